// How many working days a fault has kept a station from its work: the local days, from the day the
// station first saw the fault to the letter's date, on which the kecamatan office had service hours
// (its week, or the district's, minus the closed days) that the fault overlapped. A day counts
// whole once any of its service time fell after the fault opened: the opening day counts when the
// fault was there before closing time, the letter's own day when the letter is written after
// opening time. Pure, over the service calendar (calendar/service-hours.ts).
import type { Calendar } from '../../calendar/service-hours';
import { localDay, serviceIntervals } from '../../calendar/service-hours';
import type { Interval } from '../../figures/intervals';
import { normalize, totalMs } from '../../figures/intervals';

const DAY_MS = 86_400_000;

export interface WorkingDays {
  /** Local days touched by [fromMs, toMs], both ends included. */
  calendarDays: number;
  /** Of those, days on which the office served residents while the fault was open. */
  workingDays: number;
  /** Service hours lost within those days (whole hours, rounded down). */
  serviceHours: number;
}

export function workingDaysBetween(
  calendar: Calendar,
  kecamatan: string,
  fromMs: number,
  toMs: number,
): WorkingDays {
  if (!(toMs > fromMs)) {
    return { calendarDays: toMs === fromMs ? 1 : 0, workingDays: 0, serviceHours: 0 };
  }
  return workingDaysWhileOpen(calendar, kecamatan, [{ start: fromMs, end: toMs }]);
}

/**
 * The same over the spans the fault was open (a fault that recovered for weeks and came back
 * counts only its open spans): calendar days are the local days any span touched, working days
 * those with service time inside a span.
 */
export function workingDaysWhileOpen(
  calendar: Calendar,
  kecamatan: string,
  spans: readonly Interval[],
): WorkingDays {
  const open = normalize(spans, -Infinity, Infinity);
  if (open.length === 0) {
    return { calendarDays: 0, workingDays: 0, serviceHours: 0 };
  }
  let calendarDays = 0;
  let workingDays = 0;
  let serviceMs = 0;
  const first = localDay(open[0].start, calendar.timeZone).startMs;
  const last = localDay(open[open.length - 1].end, calendar.timeZone).startMs;
  // Day by day: an office open around the clock has one merged interval over many days.
  for (let day = first; day <= last; day += DAY_MS) {
    // Both ends of a span count as touched (the letter's own day, at whatever time).
    if (!open.some((span) => span.start < day + DAY_MS && span.end >= day)) {
      continue;
    }
    calendarDays++;
    const served = normalize(open, day, day + DAY_MS).flatMap((span) =>
      serviceIntervals(calendar, kecamatan, span.start, span.end),
    );
    workingDays += served.length > 0 ? 1 : 0;
    serviceMs += totalMs(served);
  }
  return { calendarDays, workingDays, serviceHours: Math.floor(serviceMs / 3_600_000) };
}
