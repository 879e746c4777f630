// The figures page: hours of service each kecamatan could not record (this month and the months
// before), and mean times to acknowledge and to repair. Months are calendar months in the
// district's time zone (calendar/store.ts; WIB unless set).
import type { Figures, MonthFigures } from '../../dash-api';
import { OFFSET_MINUTES } from '../calendar/service-hours';
import { loadCalendar } from '../calendar/store';
import type { Db } from '../db/types';
import { faultTimes } from '../faults/repository';
import { DEFAULT_DISTRICT, districtScope } from '../tenancy/scope';
import { kecamatanUnableHours, unableIntervals } from './availability';
import { unableMsByDay } from './summary';

export type { Figures, MonthFigures } from '../../dash-api';

/** [start, end) in ms of the local calendar month `monthsBack` before the one holding `nowMs`. */
export function monthRange(
  nowMs: number,
  monthsBack: number,
  offsetMinutes: number,
): { month: string; fromMs: number; toMs: number } {
  const offsetMs = offsetMinutes * 60_000;
  const local = new Date(nowMs + offsetMs);
  const start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - monthsBack, 1);
  const end = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - monthsBack + 1, 1);
  const startDate = new Date(start);
  const month = `${startDate.getUTCFullYear()}-${String(startDate.getUTCMonth() + 1).padStart(2, '0')}`;
  return { month, fromMs: start - offsetMs, toMs: end - offsetMs };
}

/** The months the figures page shows unless asked for more (and the summary is written ahead for). */
export const DEFAULT_FIGURES_MONTHS = 6;

export async function figures(
  db: Db,
  options: {
    nowMs: number;
    windowMs: number;
    months?: number;
    district?: string;
    /**
     * Hours unable from the summary of days (summary.ts; the default) or, false, computed live
     * month by month from the spans (the way before migration 701: the benchmark's and the
     * equivalence test's reference).
     */
    summary?: boolean;
    /** Rows of the summary a view may write (summary.ts unableMsByDay; the benchmark passes Infinity, the way before the job). */
    summaryWriteLimit?: number;
  },
): Promise<Figures> {
  const count = options.months ?? DEFAULT_FIGURES_MONTHS;
  const district = options.district ?? DEFAULT_DISTRICT;
  const calendar = await loadCalendar(db, district);
  const offset = OFFSET_MINUTES[calendar.timeZone];
  const kecamatan = (
    await db.query<{ kecamatan: string }>(
      'SELECT DISTINCT kecamatan FROM stations WHERE enrolled_at IS NOT NULL AND district_code = $1 ORDER BY kecamatan',
      [district],
    )
  ).map((row) => row.kecamatan);
  const byDay =
    options.summary === false
      ? undefined
      : await unableMsByDay(db, {
          district,
          calendar,
          fromMs: monthRange(options.nowMs, count - 1, offset).fromMs,
          nowMs: options.nowMs,
          windowMs: options.windowMs,
          writeLimit: options.summaryWriteLimit,
        });
  const months: MonthFigures[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const range = monthRange(options.nowMs, back, offset);
    const toMs = Math.min(range.toMs, options.nowMs);
    const hours =
      byDay === undefined
        ? kecamatanUnableHours(
            await unableIntervals(db, range.fromMs, toMs, options.windowMs, district),
            calendar,
            range.fromMs,
            toMs,
          )
        : monthHours(byDay, range.fromMs, toMs);
    const times = await faultTimes(
      db,
      new Date(range.fromMs).toISOString(),
      new Date(range.toMs).toISOString(),
      districtScope(district),
    );
    months.push({
      month: range.month,
      hoursUnable: Object.fromEntries(kecamatan.map((name) => [name, round(hours.get(name) ?? 0)])),
      faultsOpened: times.opened,
      meanHoursToAcknowledge:
        times.meanHoursToAcknowledge === null ? null : round(times.meanHoursToAcknowledge),
      meanHoursToRepair: times.meanHoursToRepair === null ? null : round(times.meanHoursToRepair),
    });
  }
  return { generatedAt: new Date(options.nowMs).toISOString(), kecamatan, months };
}

/** Hours per kecamatan of the days starting in [fromMs, toMs), summed in whole ms as the live count does. */
function monthHours(
  byDay: ReadonlyMap<string, ReadonlyMap<number, number>>,
  fromMs: number,
  toMs: number,
): Map<string, number> {
  return new Map(
    [...byDay].map(([kecamatan, days]) => {
      let ms = 0;
      for (const [dayStart, unableMs] of days) {
        if (dayStart >= fromMs && dayStart < toMs) {
          ms += unableMs;
        }
      }
      return [kecamatan, ms / 3_600_000];
    }),
  );
}

const round = (value: number): number => Math.round(value * 10) / 10;
