// Migration 751 (stations_district without heard_at, fillfactor 70 on stations) met as an operator
// upgrading would: a database from before it, with stations and heartbeats, opened by two server
// processes at the same moment. Applied once, the index and the table as 751 says, the rows and
// the rollup's counts per district and kecamatan unchanged.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { rollup } from '../../../district/server/tenancy/rollup';
import { addStation } from '../../../district/server/stations/stations';
import { addDistrict, addProvince } from '../../../district/server/tenancy/districts';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const WINDOW_MS = 10 * 60_000;

describe('migration 751 on a database from before it, two processes at once (PostgreSQL)', () => {
  let postgres: TestPostgres;
  let dataDir: string;
  let databases: Db[] = [];

  before(async () => {
    postgres = await startPostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'siaga-751-'));
  });
  after(async () => {
    for (const db of databases) {
      await db.close();
    }
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is applied once, leaves the rows and the counts per district and kecamatan as they were', async () => {
    const nowMs = Date.now();
    const setup = await openDatabase({ url: postgres.url, dataDir });
    await addProvince(setup, { code: '33', name: 'Jawa Tengah' });
    for (const [code, name] of [
      ['33.14', 'Sragen'],
      ['33.72', 'Surakarta'],
    ]) {
      await addDistrict(setup, { code, name, province: '33', timeZone: 'WIB' });
    }
    for (let index = 0; index < 30; index++) {
      const station = await addStation(setup, {
        name: `Loket ${index}`,
        kecamatan: `Kecamatan ${index % 4}`,
        district: index % 3 === 0 ? '33.72' : '33.14',
      });
      // Enrolled and heard as the intake leaves them (every 5th silent for an hour).
      await setup.run('UPDATE stations SET enrolled_at = $1, heard_at = $2, public_key = $3 WHERE id = $4', [
        new Date(nowMs - 86_400_000).toISOString(),
        new Date(nowMs - (index % 5 === 0 ? 3_600_000 : 30_000)).toISOString(),
        `key-${index}`,
        station.stationId,
      ]);
    }
    // The database as it was before 751.
    await setup.run('DROP INDEX stations_district');
    await setup.run('CREATE INDEX stations_district ON stations (district_code, kecamatan, enrolled_at, heard_at, id)');
    await setup.run('ALTER TABLE stations RESET (fillfactor)');
    await setup.run('DELETE FROM schema_migrations WHERE id = 751');
    const scope = { level: 'province' as const, code: '33' };
    const before751 = await rollup(setup, { scope, nowMs, windowMs: WINDOW_MS });
    const rowsBefore = await setup.query('SELECT * FROM stations ORDER BY id');
    await setup.close();

    databases = await Promise.all([0, 1].map(() => openDatabase({ url: postgres.url, dataDir })));
    const [db] = databases;
    const applied = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM schema_migrations WHERE id = 751');
    assert.equal(Number(applied[0].n), 1);
    const [index] = await db.query<{ definition: string }>(
      `SELECT pg_get_indexdef('stations_district'::regclass) AS definition`,
    );
    assert.match(index.definition, /\(district_code, kecamatan, enrolled_at, id\)$/);
    const [table] = await db.query<{ options: string[] | null }>(
      `SELECT reloptions AS options FROM pg_class WHERE relname = 'stations'`,
    );
    assert.deepEqual(table.options, ['fillfactor=70']);
    assert.deepEqual(await db.query('SELECT * FROM stations ORDER BY id'), rowsBefore);
    const after751 = await rollup(db, { scope, nowMs, windowMs: WINDOW_MS });
    assert.deepEqual(after751, before751);
    // The counts are what the seeded rows say, not merely equal before and after.
    const stations = after751.areas.map((area) => [area.code, area.stations]).sort();
    assert.deepEqual(stations, [
      ['33.14', 20],
      ['33.72', 10],
    ]);
    // And a third process starting later finds nothing left to do.
    const later = await openDatabase({ url: postgres.url, dataDir });
    databases.push(later);
    assert.equal(Number((await later.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM schema_migrations WHERE id = 751'))[0].n), 1);
  });
});
