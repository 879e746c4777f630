// The figures count "unable to record" within service hours only, on the district's clock: a
// station heard only before opening counts the whole day; one an hour slow, heartbeating all day,
// counts nothing; silence over a weekend and a holiday counts nothing; a station enrolled and never
// heard counts from its enrollment.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { addClosedDay } from '../../../district/server/calendar/store';
import { figures } from '../../../district/server/figures/report';
import { HEALTHY, heartbeat, postEvents } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WINDOW = 10 * MINUTE;
/** Monday 2 March 2026, 07:00 WIB. */
const MONDAY_07_WIB = Date.parse('2026-03-02T00:00:00Z');

let clock = MONDAY_07_WIB;
let district: TestDistrict;
beforeEach(async () => {
  clock = MONDAY_07_WIB;
  district = await startTestDistrict({ now: () => clock, dashboard: { heartbeatWindowMs: WINDOW } });
});
afterEach(async () => district.close());

async function enrolled(kecamatan: string): Promise<TestStation> {
  const station = new TestStation();
  await station.enroll(district, 'Loket 1', kecamatan);
  return station;
}

/** Heartbeats every 5 minutes from `fromMs` to `toMs` (district clock), the station's clock `skewMs` off. */
async function heartbeats(station: TestStation, fromMs: number, toMs: number, skewMs = 0): Promise<void> {
  for (clock = fromMs; clock <= toMs; clock += 5 * MINUTE) {
    await postEvents(district, station, [heartbeat(station, clock + skewMs, HEALTHY)], clock);
  }
}

async function hoursUnable(atMs: number): Promise<Record<string, number>> {
  clock = atMs;
  const report = await figures(district.db, { nowMs: atMs, windowMs: WINDOW, months: 1 });
  return report.months[0].hoursUnable;
}

test('heard only before opening: the seven service hours of the day count; one an hour slow, heard all day, counts none', async () => {
  const early = await enrolled('Tangen');
  const slow = await enrolled('Gesi');
  // Last heard 07:40: silent from 07:50, past the window, so from opening on.
  await heartbeats(early, MONDAY_07_WIB, MONDAY_07_WIB + 40 * MINUTE);
  await heartbeats(slow, MONDAY_07_WIB, MONDAY_07_WIB + 9 * HOUR, -HOUR);
  const hours = await hoursUnable(MONDAY_07_WIB + 10 * HOUR);
  assert.deepEqual(hours, { Gesi: 0, Tangen: 7 });
});

test('silence over the weekend and a Monday holiday counts nothing; Tuesday counts', async () => {
  const station = await enrolled('Tangen');
  await addClosedDay(district.db, { date: '2026-03-09', kecamatan: null, note: 'Libur', nowMs: clock });
  const friday0800 = Date.parse('2026-03-06T01:00:00Z');
  await heartbeats(station, friday0800, friday0800 + 7 * HOUR);
  assert.deepEqual(await hoursUnable(Date.parse('2026-03-09T23:00:00Z')), { Tangen: 0 });
  // Tuesday 10:00 WIB: two hours of silence within service hours.
  assert.deepEqual(await hoursUnable(Date.parse('2026-03-10T03:00:00Z')), { Tangen: 2 });
});

test('enrolled on Monday at 10:00 and never heard: five hours by 15:00, none before enrollment', async () => {
  clock = Date.parse('2026-03-02T03:00:00Z');
  await enrolled('Tangen');
  assert.deepEqual(await hoursUnable(Date.parse('2026-03-02T10:00:00Z')), { Tangen: 5 });
});
