// The events reply's `faults` (where the district stands on the station's faults) on SQLite and a
// real PostgreSQL. The intake reads them only for a station that has any fault row (the station
// row's update says so, intake.ts): a station without faults is spared the query, and the skip must
// never hide a fault: not one opened in this very batch, not an older one on a plain heartbeat,
// not a staff change made since; and a fault closed long ago is still not sent.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Event } from '../../../protocol/events';
import type { EventsResponse } from '../../../protocol/requests';
import { PATHS } from '../../../protocol/requests';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`events reply faults on ${engine}`, () => {
    let postgres: TestPostgres | undefined;
    let district: TestDistrict;
    let clockMs = Date.now();

    before(async () => {
      if (engine === 'postgres') {
        postgres = await startPostgres();
      }
      district = await startTestDistrict({ url: postgres?.url, now: () => clockMs, maxBatchesPerSecond: Infinity });
    });
    after(async () => {
      await district?.close();
      await postgres?.stop();
    });

    const send = async (station: TestStation, events: Event[]): Promise<EventsResponse> => {
      clockMs += 1000;
      const body = JSON.stringify({ events });
      const reply = await district.app.inject({
        method: 'POST',
        url: PATHS.events,
        payload: body,
        headers: station.headers('POST', PATHS.events, body, clockMs),
      });
      assert.equal(reply.statusCode, 200, reply.body);
      return reply.json() as EventsResponse;
    };
    const enrolled = async (name: string): Promise<TestStation> => {
      const station = new TestStation();
      await station.enroll(district, name, 'Sragen Kota');
      return station;
    };

    test('a station without faults: stored, answered without a faults key', async () => {
      const station = await enrolled('Loket tanpa gangguan');
      const heartbeat = station.heartbeat(clockMs);
      const reply = await send(station, [heartbeat]);
      assert.deepEqual(reply.accepted, [heartbeat.id]);
      assert.equal('faults' in reply, false, JSON.stringify(reply));
    });

    test('a fault opened in this batch, then plain heartbeats, then a staff acknowledgment: each reply carries it', async () => {
      const station = await enrolled('Loket gangguan');
      const opened = await send(station, [station.fault('fault.opened', 'fp-1', {}, clockMs)]);
      assert.deepEqual(
        opened.faults?.map((fault) => fault.faultId),
        ['fp-1'],
        JSON.stringify(opened),
      );
      // No fault event in this batch: the fault known from before is still answered.
      const plain = await send(station, [station.heartbeat(clockMs)]);
      assert.deepEqual(plain.faults?.map((fault) => [fault.faultId, fault.state]), [['fp-1', opened.faults![0].state]]);
      await district.db.run(
        `UPDATE faults SET state = 'acknowledged', acknowledged_by = 'teknisi.budi', acknowledged_at = $1, updated_at = $1
         WHERE station_id = $2 AND fault_id = 'fp-1'`,
        [new Date(clockMs).toISOString(), station.stationId],
      );
      const acknowledged = await send(station, [station.heartbeat(clockMs)]);
      assert.deepEqual(
        acknowledged.faults?.map((fault) => [fault.faultId, fault.state, fault.acknowledgedBy]),
        [['fp-1', 'acknowledged', 'teknisi.budi']],
      );
    });

    test('a fault closed long ago: the station has a fault row, yet nothing is answered', async () => {
      const station = await enrolled('Loket lama');
      await send(station, [station.fault('fault.opened', 'fp-old', {}, clockMs)]);
      const longAgo = new Date(clockMs - 30 * 24 * 60 * 60_000).toISOString();
      await district.db.run(`UPDATE faults SET state = 'closed', closed_at = $1, resolved_at = $1, updated_at = $1 WHERE station_id = $2`, [
        longAgo,
        station.stationId,
      ]);
      const reply = await send(station, [station.heartbeat(clockMs)]);
      assert.equal('faults' in reply, false, JSON.stringify(reply));
    });
  });
}
