// Availability spans kept from heartbeats (district/server/figures/availability.ts), on SQLite and a
// real PostgreSQL. The minute's heartbeat that changes nothing takes a one-statement path; these
// cases are the ones where that path must step aside: the first heartbeat, a silence longer than
// the window, the ability changing, a heartbeat older than the last, and one in a day already over
// (late marking for the figures' summary).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { recordHeartbeat } from '../../../district/server/figures/availability';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const WINDOW_MS = 10 * 60_000;
const MINUTE = 60_000;
/** 12:00 WIB on a Tuesday: every time zone of the country is well into the same day. */
const NOON = Date.parse('2026-03-10T05:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`availability from heartbeats on ${engine}`, () => {
    let postgres: TestPostgres | undefined;
    let dir: string;
    let db: Db;

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'siaga-availability-'));
      postgres = engine === 'postgres' ? await startPostgres() : undefined;
      db = await openDatabase({ url: postgres?.url, dataDir: dir });
      for (const [id, kecamatan] of [
        ['st-a', 'Cibeunying'],
        ['st-b', 'Coblong'],
      ]) {
        await db.run(
          'INSERT INTO stations (id, name, kecamatan, created_at, enrolled_at) VALUES ($1, $2, $3, $4, $4)',
          [id, `Loket ${id}`, kecamatan, iso(NOON - 24 * 60 * MINUTE)],
        );
      }
    });

    after(async () => {
      await db.close();
      await postgres?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    const beat = (stationId: string, atMs: number, canRecord: boolean): Promise<void> =>
      recordHeartbeat(db, { stationId, canRecord, occurredAt: iso(atMs), windowMs: WINDOW_MS, nowMs: atMs + 1000 });
    const spans = (stationId: string): Promise<{ kind: string; started_at: string; ended_at: string | null }[]> =>
      db.query(
        'SELECT kind, started_at, ended_at FROM availability_spans WHERE station_id = $1 ORDER BY started_at, kind',
        [stationId],
      );
    const state = async (stationId: string): Promise<{ can_record: number; last_heartbeat_at: string }> => {
      const [row] = await db.query<{ can_record: number | string; last_heartbeat_at: string }>(
        'SELECT can_record, last_heartbeat_at FROM station_availability WHERE station_id = $1',
        [stationId],
      );
      return { can_record: Number(row.can_record), last_heartbeat_at: row.last_heartbeat_at };
    };

    test('silence, a change of ability and a heartbeat out of order each leave their span; the quiet minutes none', async () => {
      await beat('st-a', NOON, true);
      await beat('st-a', NOON + MINUTE, true);
      assert.deepEqual(await state('st-a'), { can_record: 1, last_heartbeat_at: iso(NOON + MINUTE) });
      assert.deepEqual(await spans('st-a'), []);

      // Silent 29 minutes: unable from the window's end after the last heartbeat.
      await beat('st-a', NOON + 30 * MINUTE, true);
      assert.deepEqual(await spans('st-a'), [
        { kind: 'silent', started_at: iso(NOON + 11 * MINUTE), ended_at: iso(NOON + 30 * MINUTE) },
      ]);

      await beat('st-a', NOON + 31 * MINUTE, false);
      await beat('st-a', NOON + 32 * MINUTE, false);
      // Older than the last: changes nothing, whatever it says.
      await beat('st-a', NOON + 20 * MINUTE, true);
      assert.deepEqual(await state('st-a'), { can_record: 0, last_heartbeat_at: iso(NOON + 32 * MINUTE) });
      assert.deepEqual((await spans('st-a'))[1], { kind: 'cannot-record', started_at: iso(NOON + 31 * MINUTE), ended_at: null });

      await beat('st-a', NOON + 33 * MINUTE, true);
      // Exactly the window after the last: not yet silent.
      await beat('st-a', NOON + 43 * MINUTE, true);
      assert.deepEqual(await spans('st-a'), [
        { kind: 'silent', started_at: iso(NOON + 11 * MINUTE), ended_at: iso(NOON + 30 * MINUTE) },
        { kind: 'cannot-record', started_at: iso(NOON + 31 * MINUTE), ended_at: iso(NOON + 33 * MINUTE) },
      ]);
      assert.deepEqual(await state('st-a'), { can_record: 1, last_heartbeat_at: iso(NOON + 43 * MINUTE) });
    });

    test('an unchanged heartbeat stored just before midnight WIB still marks its kecamatan late', async () => {
      const midnight = Date.parse('2026-03-10T17:00:00.000Z'); // 00:00 WIB on the 11th
      await beat('st-b', midnight - 10 * MINUTE, true);
      await db.run('DELETE FROM figures_late');
      await beat('st-b', midnight - 2 * MINUTE, true);
      const late = await db.query<{ kecamatan: string; from_at: string }>('SELECT kecamatan, from_at FROM figures_late');
      assert.deepEqual(late, [{ kecamatan: 'Coblong', from_at: iso(midnight - 2 * MINUTE) }]);
      // Well into the new day: nothing marked.
      await db.run('DELETE FROM figures_late');
      await beat('st-b', midnight + 60 * MINUTE, true);
      await beat('st-b', midnight + 61 * MINUTE, true);
      assert.deepEqual(await db.query('SELECT kecamatan FROM figures_late'), []);
    });
  });
}
