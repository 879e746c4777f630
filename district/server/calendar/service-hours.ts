// When each kecamatan office serves residents: its week of opening hours (the district's unless it
// has its own), minus closed days (the district's holidays and the office's own), in the district's
// time zone. Pure: the board asks whether an office is open now and when it opens next; the figures
// count "unable to record" only within these hours. WIB, WITA and WIT have no daylight saving
// time, so local time is UTC plus a fixed offset.
import type { ServiceWeek, TimeZoneName, Weekday } from '../../dash-api';
import { WEEKDAYS } from '../../dash-api';
import type { Interval } from '../figures/intervals';
import { normalize } from '../figures/intervals';

export const DEFAULT_TIME_ZONE: TimeZoneName = 'WIB';

/** Monday to Friday 08:00-15:00: the usual hours of a Disdukcapil service counter. */
export const DEFAULT_WEEK: ServiceWeek = {
  mon: ['08:00-15:00'],
  tue: ['08:00-15:00'],
  wed: ['08:00-15:00'],
  thu: ['08:00-15:00'],
  fri: ['08:00-15:00'],
  sat: [],
  sun: [],
};

export const OFFSET_MINUTES: Record<TimeZoneName, number> = { WIB: 7 * 60, WITA: 8 * 60, WIT: 9 * 60 };

const DAY_MS = 86_400_000;
/** How far ahead `nextOpening` looks before deciding an office never opens. */
const LOOKAHEAD_DAYS = 400;

export interface Calendar {
  timeZone: TimeZoneName;
  district: ServiceWeek;
  /** Kecamatan with a week of their own. */
  kecamatan: ReadonlyMap<string, ServiceWeek>;
  /** Closed dates (`YYYY-MM-DD`, local) by kecamatan; the key '' holds the district's holidays. */
  closedDays: ReadonlyMap<string, ReadonlySet<string>>;
}

export const DEFAULT_CALENDAR: Calendar = {
  timeZone: DEFAULT_TIME_ZONE,
  district: DEFAULT_WEEK,
  kecamatan: new Map(),
  closedDays: new Map(),
};

export const offsetMsOf = (timeZone: TimeZoneName): number => OFFSET_MINUTES[timeZone] * 60_000;

/** The local calendar day holding `atMs`: its date, weekday and its start in UTC ms. */
export function localDay(
  atMs: number,
  timeZone: TimeZoneName,
): { date: string; weekday: Weekday; startMs: number } {
  const offsetMs = offsetMsOf(timeZone);
  const { date, startMs } = localDayAtOffset(atMs, offsetMs);
  return { date, weekday: WEEKDAYS[(new Date(startMs + offsetMs).getUTCDay() + 6) % 7], startMs };
}

/** The local day holding `atMs` at any fixed offset from UTC: its date and its start in UTC ms. */
export function localDayAtOffset(atMs: number, offsetMs: number): { date: string; startMs: number } {
  const localStart = Math.floor((atMs + offsetMs) / DAY_MS) * DAY_MS;
  return { date: new Date(localStart).toISOString().slice(0, 10), startMs: localStart - offsetMs };
}

const minutes = (clock: string): number => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

function isClosed(calendar: Calendar, kecamatan: string, date: string): boolean {
  return (
    (calendar.closedDays.get('')?.has(date) ?? false) ||
    (calendar.closedDays.get(kecamatan)?.has(date) ?? false)
  );
}

/** The office's opening hours on the local day starting at `dayStartMs`, in UTC ms. */
function dayIntervals(calendar: Calendar, kecamatan: string, dayStartMs: number): Interval[] {
  const { date, weekday } = localDay(dayStartMs, calendar.timeZone);
  if (isClosed(calendar, kecamatan, date)) {
    return [];
  }
  const week = calendar.kecamatan.get(kecamatan) ?? calendar.district;
  return week[weekday]
    .map((range) => ({
      start: dayStartMs + minutes(range.slice(0, 5)) * 60_000,
      end: dayStartMs + minutes(range.slice(6)) * 60_000,
    }))
    .sort((left, right) => left.start - right.start);
}

/** The office's service time within [fromMs, toMs), normalized. */
export function serviceIntervals(
  calendar: Calendar,
  kecamatan: string,
  fromMs: number,
  toMs: number,
): Interval[] {
  const intervals: Interval[] = [];
  for (let day = localDay(fromMs, calendar.timeZone).startMs; day < toMs; day += DAY_MS) {
    intervals.push(...dayIntervals(calendar, kecamatan, day));
  }
  return normalize(intervals, fromMs, toMs);
}

export const isOpenAt = (calendar: Calendar, kecamatan: string, atMs: number): boolean =>
  serviceIntervals(calendar, kecamatan, atMs, atMs + 1).length > 0;

/** When the office next opens after `atMs` (ms); null when it is open now or has no hours in the coming year. */
export function nextOpening(calendar: Calendar, kecamatan: string, atMs: number): number | null {
  if (isOpenAt(calendar, kecamatan, atMs)) {
    return null;
  }
  const first = localDay(atMs, calendar.timeZone).startMs;
  for (let day = first; day < first + LOOKAHEAD_DAYS * DAY_MS; day += DAY_MS) {
    const opening = dayIntervals(calendar, kecamatan, day).find((interval) => interval.start > atMs);
    if (opening !== undefined) {
      return opening.start;
    }
  }
  return null;
}
