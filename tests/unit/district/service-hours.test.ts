// The service calendar's arithmetic: open or closed at an instant, the next opening across a
// weekend, a holiday and a kecamatan's own week, the three time zones, and service time in a range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Calendar } from '../../../district/server/calendar/service-hours';
import {
  DEFAULT_CALENDAR,
  isOpenAt,
  localDay,
  nextOpening,
  serviceIntervals,
} from '../../../district/server/calendar/service-hours';
import { totalMs } from '../../../district/server/figures/intervals';

const HOUR = 3_600_000;
/** Monday 3 March 2025, 00:00 WIB. */
const MONDAY = Date.UTC(2025, 2, 2, 17, 0);

test('default: Monday to Friday 08:00-15:00 WIB', () => {
  assert.equal(localDay(MONDAY + 10 * HOUR, 'WIB').weekday, 'mon');
  assert.equal(isOpenAt(DEFAULT_CALENDAR, 'Tangen', MONDAY + 7.99 * HOUR), false);
  assert.equal(isOpenAt(DEFAULT_CALENDAR, 'Tangen', MONDAY + 8 * HOUR), true);
  assert.equal(isOpenAt(DEFAULT_CALENDAR, 'Tangen', MONDAY + 14.99 * HOUR), true);
  assert.equal(isOpenAt(DEFAULT_CALENDAR, 'Tangen', MONDAY + 15 * HOUR), false);
  assert.equal(nextOpening(DEFAULT_CALENDAR, 'Tangen', MONDAY + 10 * HOUR), null, 'open now');
  assert.equal(nextOpening(DEFAULT_CALENDAR, 'Tangen', MONDAY + 16 * HOUR), MONDAY + 32 * HOUR);
  // Friday 15:00 to Monday 08:00.
  assert.equal(
    nextOpening(DEFAULT_CALENDAR, 'Tangen', MONDAY + 4 * 24 * HOUR + 15 * HOUR),
    MONDAY + 7 * 24 * HOUR + 8 * HOUR,
  );
  assert.equal(isOpenAt(DEFAULT_CALENDAR, 'Tangen', MONDAY + 5 * 24 * HOUR + 10 * HOUR), false, 'Saturday');
});

test('a district holiday and a kecamatan closed day close the office; a kecamatan week of its own', () => {
  const calendar: Calendar = {
    ...DEFAULT_CALENDAR,
    kecamatan: new Map([['Tangen', { ...DEFAULT_CALENDAR.district, sat: ['08:00-12:00'] }]]),
    closedDays: new Map([
      ['', new Set(['2025-03-04'])],
      ['Gemolong', new Set(['2025-03-05'])],
    ]),
  };
  const tuesday = MONDAY + 24 * HOUR;
  assert.equal(isOpenAt(calendar, 'Gemolong', tuesday + 9 * HOUR), false);
  assert.equal(
    nextOpening(calendar, 'Gemolong', tuesday + 9 * HOUR),
    tuesday + 48 * HOUR + 8 * HOUR,
    'Thursday',
  );
  assert.equal(nextOpening(calendar, 'Sragen Kota', tuesday + 9 * HOUR), tuesday + 24 * HOUR + 8 * HOUR);
  assert.equal(
    isOpenAt(calendar, 'Tangen', MONDAY + 5 * 24 * HOUR + 9 * HOUR),
    true,
    'Tangen opens Saturdays',
  );
  assert.equal(isOpenAt(calendar, 'Gemolong', MONDAY + 5 * 24 * HOUR + 9 * HOUR), false);
  // Monday to Sunday: 5 days of 7 hours, minus the Tuesday holiday, plus Tangen's Saturday morning.
  const week = (kecamatan: string) =>
    totalMs(serviceIntervals(calendar, kecamatan, MONDAY, MONDAY + 7 * 24 * HOUR)) / HOUR;
  assert.deepEqual([week('Tangen'), week('Gemolong'), week('Sragen Kota')], [32, 21, 28]);
});

test('WITA and WIT: the same local hours an hour and two hours earlier in UTC', () => {
  for (const [timeZone, shift] of [
    ['WIB', 0],
    ['WITA', 1],
    ['WIT', 2],
  ] as const) {
    const calendar: Calendar = { ...DEFAULT_CALENDAR, timeZone };
    assert.equal(nextOpening(calendar, 'Tangen', MONDAY - 2 * HOUR), MONDAY + (8 - shift) * HOUR, timeZone);
  }
});

test('no service hours at all: never opens, counts no time', () => {
  const empty = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  const calendar: Calendar = { ...DEFAULT_CALENDAR, district: empty };
  assert.equal(nextOpening(calendar, 'Tangen', MONDAY), null);
  assert.deepEqual(serviceIntervals(calendar, 'Tangen', MONDAY, MONDAY + 30 * 24 * HOUR), []);
});
