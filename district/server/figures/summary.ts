// The figures' summary table (migration 701, docs/year-of-events.md): the milliseconds of service
// time each kecamatan could not record, per local day, written for days that are over; the figures
// page sums them and computes live only today and the days that are stale. A day's number depends
// on the spans of its stations (changed only by heartbeats: recordHeartbeat changes nothing before
// the heartbeat's time, except a station's first heartbeat, which ends "never heard since
// enrollment"), on which stations the kecamatan has, its calendar and the heartbeat window. The
// last three are fingerprinted in each row (`basis`); a heartbeat landing in a day already over
// marks its kecamatan late (figures_late) at a new generation, so rows computed before it are stale.
import { createHash } from 'node:crypto';
import type { TimeZoneName } from '../../dash-api';
import type { Calendar } from '../calendar/service-hours';
import { localDay, offsetMsOf, serviceIntervals } from '../calendar/service-hours';
import type { Db, SqlValue } from '../db/types';
import type { Interval } from './intervals';
import { intersectAll, normalize } from './intervals';
import { unableIntervals } from './availability';

const DAY_MS = 86_400_000;
/** Rows a statement when writing days: 7 parameters each, well under either engine's limit. */
const ROWS_PER_INSERT = 100;

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

interface StoredRow {
  kecamatan: string;
  ends_at: string;
  unable_ms: number | string;
  basis: string;
  generation: number | string;
}

/** Writes rows of `columns` (with `key` the conflict target) in statements of ROWS_PER_INSERT. */
async function upsert(
  db: Db,
  table: string,
  columns: readonly string[],
  key: string,
  rows: readonly SqlValue[][],
): Promise<void> {
  if (rows.length === 0) {
    return;
  }
  const updated = columns.filter((column) => !key.includes(column));
  await db.transaction(async (transaction) => {
    for (let first = 0; first < rows.length; first += ROWS_PER_INSERT) {
      const batch = rows.slice(first, first + ROWS_PER_INSERT);
      await transaction.run(
        `INSERT INTO ${table} (${columns.join(', ')})
         VALUES ${batch.map((_row, index) => `(${columns.map((_column, at) => `$${index * columns.length + at + 1}`).join(', ')})`).join(', ')}
         ON CONFLICT (${key}) DO UPDATE SET ${updated.map((column) => `${column} = excluded.${column}`).join(', ')}`,
        batch.flat(),
      );
    }
  });
}

/**
 * Per kecamatan with enrolled stations in `district`, the milliseconds of service time in [fromMs,
 * nowMs) no station could record, keyed by the start ms of a local day, or of a month's first day
 * for a whole month over (what the figures sum: months). `fromMs` is a local month's start.
 * Months and days over are read from the summary where fresh, computed and written where not;
 * today is computed.
 */
export async function unableMsByDay(
  db: Db,
  input: { district: string; calendar: Calendar; fromMs: number; nowMs: number; windowMs: number },
): Promise<Map<string, Map<number, number>>> {
  const { district, calendar, fromMs, nowMs, windowMs } = input;
  const { timeZone } = calendar;
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
  const writtenUntil = Math.min(nowMs, newestMs);
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
  // Fresh: computed on the kecamatan's present basis, and no late heartbeat since changed it.
  const fresh = (row: StoredRow): boolean => {
    const mark = late.get(row.kecamatan);
    return (
      row.basis === basis.get(row.kecamatan) &&
      (mark === undefined ||
        mark.generation <= Number(row.generation) ||
        mark.fromMs >= Date.parse(row.ends_at))
    );
  };

  const days: { start: number; date: string; month: string }[] = [];
  for (let start = localDay(fromMs, timeZone).startMs; start < nowMs; start += DAY_MS) {
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
  const overMonths = [...months].filter(([, month]) => month.end <= nowMs).map(([month]) => month);
  const storedMonths = new Map<string, number>();
  if (overMonths.length > 0) {
    for (const row of await db.query<StoredRow & { month: string }>(
      `SELECT kecamatan, month, ends_at, unable_ms, basis, generation FROM figures_unable_months
       WHERE district_code = $1 AND month >= $2 AND month <= $3`,
      [district, overMonths[0], overMonths[overMonths.length - 1]],
    )) {
      if (fresh(row)) {
        storedMonths.set(`${row.kecamatan}\n${row.month}`, Number(row.unable_ms));
      }
    }
  }
  const hasMonth = (kecamatan: string, month: string): boolean => storedMonths.has(`${kecamatan}\n${month}`);
  // The days to read: from the first month some kecamatan has no fresh total for (this month at the latest).
  const firstDayNeeded = days.find((day) =>
    [...byKecamatan.keys()].some((kecamatan) => !hasMonth(kecamatan, day.month)),
  );
  const over = days.filter((day) => day.start + DAY_MS <= nowMs);
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
      if (fresh(row)) {
        storedDays.set(`${row.kecamatan}\n${row.day}`, Number(row.unable_ms));
      }
    }
  }

  // From which day on each kecamatan is computed: its first day over in a month without a total
  // that is not stored (today at the latest).
  const todayStart = localDay(nowMs, timeZone).startMs;
  const computeFrom = new Map<string, number>();
  for (const kecamatan of byKecamatan.keys()) {
    const missing = over.find(
      (day) => !hasMonth(kecamatan, day.month) && !storedDays.has(`${kecamatan}\n${day.date}`),
    );
    computeFrom.set(kecamatan, missing?.start ?? todayStart);
  }
  const earliest = Math.min(nowMs, ...computeFrom.values());
  const live = earliest < nowMs ? await unableIntervals(db, earliest, nowMs, windowMs, district) : [];
  const liveLists = new Map<string, Interval[][]>();
  for (const station of live) {
    const from = computeFrom.get(station.kecamatan) ?? nowMs;
    liveLists.set(station.kecamatan, [
      ...(liveLists.get(station.kecamatan) ?? []),
      normalize(station.intervals, from, nowMs),
    ]);
  }

  const result = new Map<string, Map<number, number>>();
  const writtenDays: SqlValue[][] = [];
  const writtenMonths: SqlValue[][] = [];
  for (const kecamatan of byKecamatan.keys()) {
    const from = computeFrom.get(kecamatan) ?? nowMs;
    const computed = new Map<number, number>();
    const lists = liveLists.get(kecamatan);
    if (lists !== undefined) {
      addByDay(
        intersectAll([...lists, serviceIntervals(calendar, kecamatan, from, nowMs)]),
        timeZone,
        computed,
      );
    }
    const perDay = new Map<number, number>();
    const monthTotals = new Map<string, number>();
    for (const day of days) {
      const month = months.get(day.month)!;
      if (hasMonth(kecamatan, day.month)) {
        perDay.set(month.start, storedMonths.get(`${kecamatan}\n${day.month}`)!);
        continue;
      }
      const key = `${kecamatan}\n${day.date}`;
      const ms = day.start < from ? (storedDays.get(key) ?? 0) : (computed.get(day.start) ?? 0);
      perDay.set(day.start, ms);
      monthTotals.set(day.month, (monthTotals.get(day.month) ?? 0) + ms);
      if (day.start + DAY_MS <= writtenUntil && !storedDays.has(key)) {
        writtenDays.push([
          district,
          kecamatan,
          day.date,
          iso(day.start + DAY_MS),
          ms,
          basis.get(kecamatan)!,
          generation,
        ]);
      }
    }
    for (const [month, ms] of monthTotals) {
      const range = months.get(month)!;
      if (range.end <= writtenUntil) {
        writtenMonths.push([
          district,
          kecamatan,
          month,
          iso(range.end),
          ms,
          basis.get(kecamatan)!,
          generation,
        ]);
      }
    }
    result.set(kecamatan, perDay);
  }
  const columns = ['district_code', 'kecamatan', 'day', 'ends_at', 'unable_ms', 'basis', 'generation'];
  await upsert(db, 'figures_unable_days', columns, 'district_code, kecamatan, day', writtenDays);
  columns[2] = 'month';
  await upsert(db, 'figures_unable_months', columns, 'district_code, kecamatan, month', writtenMonths);
  return result;
}
