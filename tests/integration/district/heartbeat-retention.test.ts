// Raw heartbeats are kept two days and then pruned (intake/retention.ts); every other event stays.
// A pruned heartbeat sent again is a duplicate (the station deletes it), never a refusal, while a
// recent heartbeat going backwards is still refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { storeEvents } from '../../../district/server/intake/intake';
import { Refusal } from '../../../district/server/intake/refusal';
import { HEARTBEAT_RETENTION_MS, pruneHeartbeats } from '../../../district/server/intake/retention';
import type { TestDistrict } from '../../helpers/district';
import { startTestDistrict, TestStation } from '../../helpers/district';

let district: TestDistrict;
const station = new TestStation();
const t0 = Date.parse('2026-03-02T02:00:00Z');

before(async () => {
  district = await startTestDistrict();
  await station.enroll(district);
});
after(() => district.close());

const kinds = async (): Promise<string[]> =>
  (
    await district.db.query<{ type: string }>('SELECT type FROM events WHERE station_id = $1 ORDER BY seq', [
      station.stationId,
    ])
  ).map((row) => row.type);

test('heartbeats older than the retention are pruned, faults are kept, and a pruned one sent again is a duplicate', async () => {
  const old = station.heartbeat(t0);
  const fault = station.fault('fault.opened', 'f-1', {}, t0);
  await storeEvents(district.db, station.stationId, [old, fault], { nowMs: t0, source: 'http' });
  const recent = station.heartbeat(t0 + HEARTBEAT_RETENTION_MS);
  await storeEvents(district.db, station.stationId, [recent], { nowMs: t0 + HEARTBEAT_RETENTION_MS, source: 'http' });

  // One ms short of the retention for `old`: nothing goes.
  assert.equal(await pruneHeartbeats(district.db, t0 + HEARTBEAT_RETENTION_MS), 0);
  const later = t0 + HEARTBEAT_RETENTION_MS + 60_000;
  assert.equal(await pruneHeartbeats(district.db, later), 1);
  assert.deepEqual(await kinds(), ['fault.opened', 'heartbeat']);
  const [row] = await district.db.query<{ last_heartbeat_at: string }>(
    'SELECT last_heartbeat_at FROM stations WHERE id = $1',
    [station.stationId],
  );
  assert.equal(row!.last_heartbeat_at, recent.occurredAt, 'the station row keeps the newest heartbeat');

  const again = await storeEvents(district.db, station.stationId, [old], { nowMs: later, source: 'http' });
  assert.deepEqual(again, { accepted: [], duplicates: [old.id] });
  assert.deepEqual(await kinds(), ['fault.opened', 'heartbeat'], 'not stored again');

  // A heartbeat within the retention that goes backwards is still refused.
  const backwards = { ...station.heartbeat(later), seq: fault.seq };
  await assert.rejects(
    storeEvents(district.db, station.stationId, [backwards], { nowMs: later, source: 'http' }),
    (error: unknown) => error instanceof Refusal && error.error === 'invalid-schema',
  );
});
