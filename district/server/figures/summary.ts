// The figures' summary table (migration 701, docs/year-of-events.md): the milliseconds of service
// time each kecamatan could not record, per local day, written for days that are over; the figures
// page sums them and computes live only today and the days that are stale or not written yet.
// ahead.ts writes them ahead (a pass a few minutes after a district's day ends, and at start); a
// view writes what it computed only when that is a small backlog. A day's number depends
// on the spans of its stations (changed only by heartbeats: recordHeartbeat changes nothing before
// the heartbeat's time, except a station's first heartbeat, which ends "never heard since
// enrollment"), on which stations the kecamatan has, its calendar and the heartbeat window. The
// last three are fingerprinted in each row (`basis`); a heartbeat landing in a day already over
// marks its kecamatan late (figures_late) at a new generation, so rows computed before it are stale.
import { createHash } from 'node:crypto';
import type { TimeZoneName } from '../../dash-api';
import type { Calendar } from '../calendar/service-hours';
import { localDay, offsetMsOf, serviceIntervals } from '../calendar/service-hours';
import { withAdvisoryLock } from '../db/locks';
import type { Db, SqlValue } from '../db/types';
import type { Interval } from './intervals';
import { intersectAll, normalize } from './intervals';
import type { StationUnavailability } from './availability';
import { unableIntervals } from './availability';

const DAY_MS = 86_400_000;
/** Rows a statement when writing days: 7 parameters each, well under either engine's limit. */
const ROWS_PER_INSERT = 100;
/**
 * Kecamatan-days (rows) one transaction of the summary writes at most: a pass of ahead.ts per
 * batch, and a view in all (a bigger backlog is left to the job). About 50 ms of writing.
 */
export const SUMMARY_BATCH_ROWS = 2000;

const iso = (ms: number): string => new Date(ms).toISOString();

/** What a kecamatan's day depends on besides its spans. */
function basisOf(
  calendar: Calendar,
  kecamatan: string,
  stations: readonly { id: string; enrolled_at: string }[],
  windowMs: number,
): string {
  const closed = [
    ...(calendar.closedDays.get('') ?? []),
    ...(calendar.closedDays.get(kecamatan) ?? []),
  ].sort();
  const text = JSON.stringify({
    windowMs,
    timeZone: calendar.timeZone,
    week: calendar.kecamatan.get(kecamatan) ?? calendar.district,
    closed,
    stations: stations.map((station) => [station.id, station.enrolled_at]).sort(),
  });
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** Adds the intervals' milliseconds to the local day (start ms) each part falls in. */
function addByDay(intervals: readonly Interval[], timeZone: TimeZoneName, days: Map<number, number>): void {
  for (const interval of intervals) {
    let start = interval.start;
    while (start < interval.end) {
      const dayStart = localDay(start, timeZone).startMs;
      const end = Math.min(interval.end, dayStart + DAY_MS);
      days.set(dayStart, (days.get(dayStart) ?? 0) + end - start);
      start = end;
    }
  }
}

export interface StoredRow {
  kecamatan: string;
  ends_at: string;
  unable_ms: number | string;
  basis: string;
  generation: number | string;
}

/**
 * Writes day rows and month rows (7 values each, in the order of SUMMARY_COLUMNS) in one
 * transaction, in key order: two writers of overlapping rows then lock them in the same order.
 */
export async function writeSummary(
  db: Db,
  dayRows: readonly SqlValue[][],
  monthRows: readonly SqlValue[][],
): Promise<void> {
  if (dayRows.length + monthRows.length === 0) {
    return;
  }
  await db.transaction(async (transaction) => {
    await upsert(transaction, 'figures_unable_days', 'day', dayRows);
    await upsert(transaction, 'figures_unable_months', 'month', monthRows);
  });
}

const byKey = (a: readonly SqlValue[], b: readonly SqlValue[]): number =>
  `${String(a[0])}\n${String(a[1])}\n${String(a[2])}`.localeCompare(`${String(b[0])}\n${String(b[1])}\n${String(b[2])}`);

/** Upserts rows (district, kecamatan, day or month, ends_at, unable_ms, basis, generation) in statements of ROWS_PER_INSERT. */
async function upsert(transaction: Db, table: string, period: 'day' | 'month', rows: readonly SqlValue[][]): Promise<void> {
  const columns = ['district_code', 'kecamatan', period, 'ends_at', 'unable_ms', 'basis', 'generation'];
  const sorted = [...rows].sort(byKey);
  for (let first = 0; first < sorted.length; first += ROWS_PER_INSERT) {
    const batch = sorted.slice(first, first + ROWS_PER_INSERT);
    await transaction.run(
      `INSERT INTO ${table} (${columns.join(', ')})
       VALUES ${batch.map((_row, index) => `(${columns.map((_column, at) => `$${index * columns.length + at + 1}`).join(', ')})`).join(', ')}
       ON CONFLICT (district_code, kecamatan, ${period}) DO UPDATE SET ${columns
         .slice(3)
         .map((column) => `${column} = excluded.${column}`)
         .join(', ')}`,
      batch.flat(),
    );
  }
}

/** What a district's rows are checked against, read in this order (see late.ts for why the generation comes first). */
export interface SummaryInputs {
  /** figures_generation when read: rows computed from what is read after it carry it. */
  generation: number;
  /** Days are written only when they end by this (the clock, and the district's newest heartbeat). */
  writtenUntil: number;
  /** The district's newest stored heartbeat (district clock; -Infinity when none). */
  newestMs: number;
  /** The enrolled stations per kecamatan. */
  byKecamatan: Map<string, { id: string; enrolled_at: string }[]>;
  basis: Map<string, string>;
  /** The district's late marks (late.ts) per kecamatan. */
  late: Map<string, { fromMs: number; generation: number }>;
  /** Computed on the kecamatan's present basis, and no late heartbeat since changed it. */
  fresh(row: StoredRow): boolean;
}

export async function summaryInputs(
  db: Db,
  input: { district: string; calendar: Calendar; nowMs: number; windowMs: number },
): Promise<SummaryInputs> {
  const { district, calendar, nowMs, windowMs } = input;
  // Read before anything else: rows written from this view carry it (see late.ts).
  const [counter] = await db.query<{ value: number | string }>(
    'SELECT value FROM figures_generation WHERE id = 1',
  );
  const generation = Number(counter?.value ?? 0);
  // Rows are written only for days over by the intake's clock too: a day ending after the newest
  // heartbeat stored in the district may still get heartbeats that late.ts does not call late (a
  // view on a clock ahead: another process's, or a server clock wrong then corrected).
  const [newest] = await db.query<{ at: string | null }>(
    `SELECT MAX(a.last_heartbeat_at) AS at FROM station_availability a JOIN stations s ON s.id = a.station_id
     WHERE s.district_code = $1`,
    [district],
  );
  const newestMs = newest?.at === null || newest?.at === undefined ? -Infinity : Date.parse(newest.at);
  const stations = await db.query<{ id: string; kecamatan: string; enrolled_at: string }>(
    'SELECT id, kecamatan, enrolled_at FROM stations WHERE enrolled_at IS NOT NULL AND district_code = $1',
    [district],
  );
  const byKecamatan = new Map<string, { id: string; enrolled_at: string }[]>();
  for (const station of stations) {
    byKecamatan.set(station.kecamatan, [...(byKecamatan.get(station.kecamatan) ?? []), station]);
  }
  const basis = new Map(
    [...byKecamatan].map(([kecamatan, list]) => [kecamatan, basisOf(calendar, kecamatan, list, windowMs)]),
  );
  const late = new Map(
    (
      await db.query<{ kecamatan: string; from_at: string; generation: number | string }>(
        'SELECT kecamatan, from_at, generation FROM figures_late WHERE district_code = $1',
        [district],
      )
    ).map((row) => [row.kecamatan, { fromMs: Date.parse(row.from_at), generation: Number(row.generation) }]),
  );
  return {
    generation,
    writtenUntil: Math.min(nowMs, newestMs),
    newestMs,
    byKecamatan,
    basis,
    late,
    fresh: (row) => {
      const mark = late.get(row.kecamatan);
      return (
        row.basis === basis.get(row.kecamatan) &&
        (mark === undefined ||
          mark.generation <= Number(row.generation) ||
          mark.fromMs >= Date.parse(row.ends_at))
      );
    },
  };
}

export interface SummaryDay {
  start: number;
  /** `YYYY-MM-DD`, local. */
  date: string;
  /** `YYYY-MM`, local. */
  month: string;
}

/** The local days from the one holding `fromMs` (a month's first) to `toMs`, and each month's first listed day and end. */
export function summaryDays(
  fromMs: number,
  toMs: number,
  timeZone: TimeZoneName,
): { days: SummaryDay[]; months: Map<string, { start: number; end: number }> } {
  const days: SummaryDay[] = [];
  for (let start = localDay(fromMs, timeZone).startMs; start < toMs; start += DAY_MS) {
    const { date } = localDay(start, timeZone);
    days.push({ start, date, month: date.slice(0, 7) });
  }
  // Each local month listed: its first listed day and its end (the next month's first instant).
  const months = new Map<string, { start: number; end: number }>();
  for (const day of days) {
    if (!months.has(day.month)) {
      const [year, month] = day.month.split('-').map(Number);
      months.set(day.month, { start: day.start, end: Date.UTC(year, month, 1) - offsetMsOf(timeZone) });
    }
  }
  return { days, months };
}

/** The fresh rows stored for `days` (months over `untilMs` as totals; days of months without a total for some kecamatan). */
export async function storedSummary(
  db: Db,
  input: {
    district: string;
    inputs: SummaryInputs;
    days: readonly SummaryDay[];
    months: ReadonlyMap<string, { start: number; end: number }>;
    untilMs: number;
  },
): Promise<{ months: Map<string, number>; days: Map<string, number> }> {
  const { district, inputs, days, months, untilMs } = input;
  const overMonths = [...months].filter(([, month]) => month.end <= untilMs).map(([month]) => month);
  const storedMonths = new Map<string, number>();
  if (overMonths.length > 0) {
    for (const row of await db.query<StoredRow & { month: string }>(
      `SELECT kecamatan, month, ends_at, unable_ms, basis, generation FROM figures_unable_months
       WHERE district_code = $1 AND month >= $2 AND month <= $3`,
      [district, overMonths[0], overMonths[overMonths.length - 1]],
    )) {
      if (inputs.fresh(row)) {
        storedMonths.set(summaryKey(row.kecamatan, row.month), Number(row.unable_ms));
      }
    }
  }
  // The days to read: from the first month some kecamatan has no fresh total for (this month at the latest).
  const firstDayNeeded = days.find((day) =>
    [...inputs.byKecamatan.keys()].some((kecamatan) => !storedMonths.has(summaryKey(kecamatan, day.month))),
  );
  const over = days.filter((day) => day.start + DAY_MS <= untilMs);
  const storedDays = new Map<string, number>();
  if (
    firstDayNeeded !== undefined &&
    over.length > 0 &&
    firstDayNeeded.start < over[over.length - 1].start + DAY_MS
  ) {
    for (const row of await db.query<StoredRow & { day: string }>(
      `SELECT kecamatan, day, ends_at, unable_ms, basis, generation FROM figures_unable_days
       WHERE district_code = $1 AND day >= $2 AND day <= $3`,
      [district, firstDayNeeded.date, over[over.length - 1].date],
    )) {
      if (inputs.fresh(row)) {
        storedDays.set(summaryKey(row.kecamatan, row.day), Number(row.unable_ms));
      }
    }
  }
  return { months: storedMonths, days: storedDays };
}

/** The key of a kecamatan's day or month in the maps of storedSummary. */
export const summaryKey = (kecamatan: string, period: string): string => `${kecamatan}\n${period}`;

/**
 * Per kecamatan, the milliseconds of service time no station could record per local day (start
 * ms), over [from(kecamatan), toMs): the stations' intervals as unableIntervals read them for a
 * range holding that. Kecamatan `from` answers undefined for are left out.
 */
export function unableByDay(
  stations: readonly StationUnavailability[],
  calendar: Calendar,
  from: (kecamatan: string) => number | undefined,
  toMs: number,
): Map<string, Map<number, number>> {
  const lists = new Map<string, Interval[][]>();
  for (const station of stations) {
    const start = from(station.kecamatan);
    if (start !== undefined) {
      lists.set(station.kecamatan, [...(lists.get(station.kecamatan) ?? []), normalize(station.intervals, start, toMs)]);
    }
  }
  const result = new Map<string, Map<number, number>>();
  for (const [kecamatan, list] of lists) {
    const byDay = new Map<number, number>();
    addByDay(
      intersectAll([...list, serviceIntervals(calendar, kecamatan, from(kecamatan)!, toMs)]),
      calendar.timeZone,
      byDay,
    );
    result.set(kecamatan, byDay);
  }
  return result;
}

/** A row of figures_unable_days or figures_unable_months, in the order writeSummary takes. */
export const summaryRow = (
  district: string,
  kecamatan: string,
  period: string,
  endsMs: number,
  unableMs: number,
  basis: string,
  generation: number,
): SqlValue[] => [district, kecamatan, period, iso(endsMs), unableMs, basis, generation];

/**
 * Per kecamatan with enrolled stations in `district`, the milliseconds of service time in [fromMs,
 * nowMs) no station could record, keyed by the start ms of a local day, or of a month's first day
 * for a whole month over (what the figures sum: months). `fromMs` is a local month's start.
 * Months and days over are read from the summary where fresh (figures/ahead.ts writes them ahead),
 * computed where not; today is computed. What this computes of days over is written only when it
 * is at most `writeLimit` rows (default SUMMARY_BATCH_ROWS: the first view after a day ends writes
 * that day) and no pass of ahead.ts is writing: a bigger backlog is the job's, and a view never
 * waits for its writing (docs/year-of-events.md).
 */
export async function unableMsByDay(
  db: Db,
  input: {
    district: string;
    calendar: Calendar;
    fromMs: number;
    nowMs: number;
    windowMs: number;
    writeLimit?: number;
  },
): Promise<Map<string, Map<number, number>>> {
  const { district, calendar, fromMs, nowMs, windowMs } = input;
  const inputs = await summaryInputs(db, { district, calendar, nowMs, windowMs });
  const { generation, writtenUntil, byKecamatan, basis } = inputs;
  const { days, months } = summaryDays(fromMs, nowMs, calendar.timeZone);
  const stored = await storedSummary(db, { district, inputs, days, months, untilMs: nowMs });
  const hasMonth = (kecamatan: string, month: string): boolean => stored.months.has(summaryKey(kecamatan, month));
  const over = days.filter((day) => day.start + DAY_MS <= nowMs);

  // From which day on each kecamatan is computed: its first day over in a month without a total
  // that is not stored (today at the latest).
  const todayStart = localDay(nowMs, calendar.timeZone).startMs;
  const computeFrom = new Map<string, number>();
  for (const kecamatan of byKecamatan.keys()) {
    const missing = over.find(
      (day) => !hasMonth(kecamatan, day.month) && !stored.days.has(summaryKey(kecamatan, day.date)),
    );
    computeFrom.set(kecamatan, missing?.start ?? todayStart);
  }
  const earliest = Math.min(nowMs, ...computeFrom.values());
  const computed = unableByDay(
    earliest < nowMs ? await unableIntervals(db, earliest, nowMs, windowMs, district) : [],
    calendar,
    (kecamatan) => computeFrom.get(kecamatan),
    nowMs,
  );

  const result = new Map<string, Map<number, number>>();
  const writtenDays: SqlValue[][] = [];
  const writtenMonths: SqlValue[][] = [];
  for (const kecamatan of byKecamatan.keys()) {
    const from = computeFrom.get(kecamatan) ?? nowMs;
    const perDay = new Map<number, number>();
    const monthTotals = new Map<string, number>();
    for (const day of days) {
      const month = months.get(day.month)!;
      if (hasMonth(kecamatan, day.month)) {
        perDay.set(month.start, stored.months.get(summaryKey(kecamatan, day.month))!);
        continue;
      }
      const key = summaryKey(kecamatan, day.date);
      const ms = day.start < from ? (stored.days.get(key) ?? 0) : (computed.get(kecamatan)?.get(day.start) ?? 0);
      perDay.set(day.start, ms);
      monthTotals.set(day.month, (monthTotals.get(day.month) ?? 0) + ms);
      if (day.start + DAY_MS <= writtenUntil && !stored.days.has(key)) {
        writtenDays.push(summaryRow(district, kecamatan, day.date, day.start + DAY_MS, ms, basis.get(kecamatan)!, generation));
      }
    }
    for (const [month, ms] of monthTotals) {
      const range = months.get(month)!;
      if (range.end <= writtenUntil) {
        writtenMonths.push(summaryRow(district, kecamatan, month, range.end, ms, basis.get(kecamatan)!, generation));
      }
    }
    result.set(kecamatan, perDay);
  }
  const rows = writtenDays.length + writtenMonths.length;
  if (rows > 0 && rows <= (input.writeLimit ?? SUMMARY_BATCH_ROWS)) {
    // Not while a pass of ahead.ts writes (it holds the lock): one writer of the summary at a time.
    await withAdvisoryLock(db, 'figures', { wait: false }, () => writeSummary(db, writtenDays, writtenMonths));
  }
  return result;
}
