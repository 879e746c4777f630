// Bundles off a USB stick that someone has handled: entries reordered (a tool, or on purpose),
// an entry spliced in from another station's bundle, an entry whose events claim another station.
// The signed entries that verify are all stored, in the station's seq order, whatever the order
// in the file; the others are refused and stored nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importBundle } from '../../../district/server/intake/bundle-import';
import type { Bundle, BundleRequest } from '../../../protocol/bundle';
import { PATHS } from '../../../protocol/requests';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

let district: TestDistrict;
const clockMs = Date.now();

before(async () => {
  district = await startTestDistrict({ now: () => clockMs, maxBatchesPerSecond: Infinity });
});
after(async () => {
  await district?.close();
});

function entry(station: TestStation, events: unknown[], timestampMs: number): BundleRequest {
  const body = JSON.stringify({ events });
  return {
    method: 'POST',
    path: PATHS.events,
    timestampMs,
    signature: station.headers('POST', PATHS.events, body, timestampMs)['x-siaga-signature']!,
    body,
  };
}

function bundle(station: TestStation, requests: BundleRequest[]): string {
  const file: Bundle = {
    format: 'siaga-bundle',
    v: 1,
    stationId: station.stationId,
    createdAt: new Date(clockMs).toISOString(),
    requests,
  };
  return JSON.stringify(file);
}

test('entries in reverse order are all stored, in seq order; the fault ends in its latest state', async () => {
  const station = new TestStation();
  await station.enroll(district, 'Loket USB terbalik');
  const first = entry(
    station,
    [station.heartbeat(clockMs), station.fault('fault.opened', 'f-usb', {}, clockMs)],
    clockMs,
  );
  const second = entry(
    station,
    [station.fault('fault.resolved', 'f-usb', {}, clockMs + 1000), station.heartbeat(clockMs + 1000)],
    clockMs + 1,
  );
  const result = await importBundle(district.db, bundle(station, [second, first]), { nowMs: clockMs });
  assert.deepEqual(result.refused, []);
  assert.equal(result.accepted, 4);
  const rows = await district.db.query<{ seq: number | string }>(
    'SELECT seq FROM events WHERE station_id = $1 ORDER BY seq',
    [station.stationId],
  );
  assert.deepEqual(
    rows.map((row) => Number(row.seq)),
    [1, 2, 3, 4],
  );
  const [fault] = await district.db.query<{ state: string }>(
    "SELECT state FROM faults WHERE station_id = $1 AND fault_id = 'f-usb'",
    [station.stationId],
  );
  assert.equal(fault?.state, 'resolved');
});

test("an entry spliced in from another station's bundle, or claiming another station, stores nothing", async () => {
  const station = new TestStation();
  const intruder = new TestStation();
  await station.enroll(district, 'Loket USB asli');
  await intruder.enroll(district, 'Loket USB lain');
  const own = entry(station, [station.heartbeat(clockMs)], clockMs);
  const spliced = entry(intruder, [intruder.heartbeat(clockMs)], clockMs);
  const claiming = entry(
    station,
    [{ ...station.heartbeat(clockMs), stationId: intruder.stationId }],
    clockMs + 1,
  );
  const before = await district.counts();
  const result = await importBundle(district.db, bundle(station, [spliced, own, claiming]), {
    nowMs: clockMs,
  });
  assert.equal(result.accepted, 1);
  assert.deepEqual(
    result.refused.map((refused) => [refused.index, refused.error]),
    [
      [0, 'bad-signature'],
      [2, 'station-mismatch'],
    ],
  );
  assert.equal((await district.counts()).events, before.events + 1);
});
