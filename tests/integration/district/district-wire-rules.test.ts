// One bad event must not block a station, on SQLite and on a real PostgreSQL alike:
// - text fields with NUL or other control characters, or too long, are refused with a 400 naming
//   the field (PostgreSQL cannot store NUL in TEXT: it used to answer 500 and block the queue);
// - a station's outbox parks such an event (PC_EVENT_REFUSED) and delivers the rest;
// - event ids are unique per station, not across stations;
// - seq strictly increases per station, and one absurd seq cannot freeze a fault.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { listFaults } from '../../../district/server/faults/repository';
import { Outbox } from '../../../electron/agent/outbox';
import { Store } from '../../../electron/agent/store/store';
import type { StoredEvent } from '../../../electron/agent/store/store';
import { loadIdentity } from '../../../electron/agent/identity';
import { run as runFaultsCommand } from '../../../electron/commands/faults';
import { PassThrough } from 'node:stream';
import type { ErrorResponse, EventsResponse } from '../../../protocol/requests';
import { injectEvents } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';
import { heartbeatDraft } from '../../helpers/station-events';

let postgres: TestPostgres;

before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await postgres?.stop();
});

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`on ${engine}`, () => {
    let district: TestDistrict;
    let clockMs = Date.now();
    const databaseUrl = () => (engine === 'postgres' ? postgres.url : undefined);

    before(async () => {
      district = await startTestDistrict({ url: databaseUrl(), now: () => clockMs });
    });
    after(async () => {
      await district?.close();
    });

    async function send(station: TestStation, events: unknown[]) {
      clockMs += 1;
      return injectEvents(district, station, events, clockMs);
    }

    test('NUL and control characters are refused with a 400 naming the field; tab, newline, CR pass', async () => {
      const station = new TestStation();
      await station.enroll(district, 'Loket NUL');
      const before = await district.counts();
      for (const bad of ['Pemindai\u0000rusak', 'bell\u0007', 'esc\u001b[31m']) {
        const response = await send(station, [
          station.fault('fault.opened', 'f-nul', { message: { id: bad, en: 'x' } }, clockMs),
        ]);
        assert.equal(response.statusCode, 400, response.body);
        const refusal = response.json() as ErrorResponse;
        assert.equal(refusal.error, 'invalid-schema');
        assert.match(refusal.message, /events\.0\.payload\.message\.id: control characters/);
      }
      const serial = await send(station, [
        station.fault(
          'fault.opened',
          'f-nul',
          {
            device: { key: 'usb:080b:0010:\u0000', serialNumber: 'A\u0000' },
          },
          clockMs,
        ),
      ]);
      assert.equal(serial.statusCode, 400);
      assert.match((serial.json() as ErrorResponse).message, /events\.0\.payload\.device\.key/);
      const long = await send(station, [
        station.fault('fault.opened', 'f-long', { message: { id: 'x'.repeat(2001), en: 'x' } }, clockMs),
      ]);
      assert.equal(long.statusCode, 400);
      assert.match((long.json() as ErrorResponse).message, /events\.0\.payload\.message\.id/);
      assert.equal((await district.counts()).events, before.events, 'nothing stored');
      const fine = await send(station, [
        station.fault(
          'fault.opened',
          'f-ok',
          { message: { id: 'baris 1\nbaris 2\tkolom\r', en: 'x' } },
          clockMs,
        ),
      ]);
      assert.equal(fine.statusCode, 200, fine.body);
    });

    test("event ids are unique per station: B's event with A's id is stored, not called a duplicate", async () => {
      const stationA = new TestStation();
      const stationB = new TestStation();
      await stationA.enroll(district, 'Loket A');
      await stationB.enroll(district, 'Loket B');
      const eventA = stationA.heartbeat(clockMs);
      const eventB = { ...stationB.heartbeat(clockMs), id: eventA.id };
      assert.deepEqual((await send(stationA, [eventA])).json<EventsResponse>().accepted, [eventA.id]);
      const replyB = (await send(stationB, [eventB])).json<EventsResponse>();
      assert.deepEqual(replyB.accepted, [eventA.id]);
      assert.deepEqual(replyB.duplicates, []);
      const rows = await district.db.query<{ station_id: string }>(
        'SELECT station_id FROM events WHERE id = $1 ORDER BY station_id',
        [eventA.id],
      );
      assert.deepEqual(
        rows.map((row) => row.station_id).sort(),
        [stationA.stationId, stationB.stationId].sort(),
      );
      // The same event again from A is still an idempotent duplicate.
      const again = (await send(stationA, [eventA])).json<EventsResponse>();
      assert.deepEqual(again.duplicates, [eventA.id]);
    });

    test('seq: backwards or repeated refused, a huge one refused, and it cannot freeze a fault', async () => {
      const station = new TestStation();
      await station.enroll(district, 'Loket seq');
      const opened = station.fault('fault.opened', 'f-seq', {}, clockMs);
      assert.equal((await send(station, [opened])).statusCode, 200);
      const repeated = { ...station.heartbeat(clockMs), seq: opened.seq };
      const backwards = { ...station.heartbeat(clockMs), seq: opened.seq - 1 || 1 };
      for (const event of [repeated, backwards]) {
        const response = await send(station, [event]);
        assert.equal(response.statusCode, 400, response.body);
        assert.match(
          (response.json() as ErrorResponse).message,
          /events\.0\.seq: .*not above the station's last seq/,
        );
      }
      const huge = {
        ...station.fault('fault.updated', 'f-seq', { occurrences: 99 }, clockMs),
        seq: 2 ** 53 - 1,
      };
      const hugeReply = await send(station, [huge]);
      assert.equal(hugeReply.statusCode, 400);
      assert.match((hugeReply.json() as ErrorResponse).message, /events\.0\.seq: .*more than 10000000 above/);
      // The next ordinary update still moves the fault along.
      const resolved = station.fault('fault.resolved', 'f-seq', { occurrences: 3 }, clockMs);
      assert.equal((await send(station, [resolved])).statusCode, 200);
      const fault = (await listFaults(district.db)).find((candidate) => candidate.faultId === 'f-seq');
      assert.equal(fault?.state, 'resolved');
    });

    test("a station's outbox parks the event the district refuses and delivers the rest", async () => {
      const http = await startHttpDistrict({ url: databaseUrl() });
      const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-poison-'));
      try {
        await enrollStation(http, dataDir, `Loket racun ${engine}`);
        const store = Store.open(dataDir);
        const parked: { event: StoredEvent; reason: string }[] = [];
        try {
          const at = new Date().toISOString();
          store.appendEvents([
            heartbeatDraft(at, 0),
            heartbeatDraft(at, 1),
            {
              type: 'station.started',
              occurredAt: at,
              payload: {
                appVersion: '0.1.0',
                platform: 'linux',
                hostname: 'LOKET\u00001',
                expectedRoles: [],
              },
            },
            heartbeatDraft(at, 3),
            heartbeatDraft(at, 4),
          ]);
          const identity = loadIdentity(dataDir)!;
          const outbox = new Outbox(store, () => identity, {
            onParked: (event, reason) => parked.push({ event, reason }),
          });
          for (let attempt = 0; attempt < 20 && store.pendingCount() > 0; attempt++) {
            await outbox.sendBatch();
          }
          assert.equal(store.pendingCount(), 0, 'the queue is not blocked');
          assert.equal(parked.length, 1);
          assert.equal(parked[0]!.event.type, 'station.started');
          assert.match(parked[0]!.reason, /payload\.hostname: control characters/);
          assert.equal(store.rejectedCount(), 1);
          const stored = await http.events(identity.stationId);
          assert.deepEqual(
            stored.map((row) => row.type),
            ['heartbeat', 'heartbeat', 'heartbeat', 'heartbeat'],
          );
        } finally {
          store.close();
        }
        // `siaga faults` shows the parked event with its reason.
        const stdout = new PassThrough();
        let printed = '';
        stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
        await runFaultsCommand(['--data-dir', dataDir], { stdout, stderr: new PassThrough() });
        assert.match(
          printed,
          /DISISIHKAN \/ parked {2}seq 3 {2}station\.started .*hostname: control characters/,
        );
      } finally {
        await http.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });
}
