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
import { localDay, serviceIntervals } from '../calendar/service-hours';
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

/**
 * Per kecamatan with enrolled stations in `district`, the milliseconds of service time in [fromMs,
 * nowMs) no station could record, by local day (start ms; every day present, zero included).
 * `fromMs` is a local midnight. Days over are read from the summary where fresh, computed and
 * written where not; today is computed.
 */
export async function unableMsByDay(
  db: Db,
  input: { district: string; calendar: Calendar; fromMs: number; nowMs: number; windowMs: number },
): Promise<Map<string, Map<number, number>>> {
  const { district, calendar, fromMs, nowMs, windowMs } = input;
  const { timeZone } = calendar;
  // Read before anything else: rows written from this view carry it (see markLate).
  const [counter] = await db.query<{ value: number | string }>(
    'SELECT value FROM figures_generation WHERE id = 1',
  );
  const generation = Number(counter?.value ?? 0);
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

  const days: { start: number; date: string }[] = [];
  for (let start = localDay(fromMs, timeZone).startMs; start < nowMs; start += DAY_MS) {
    days.push({ start, date: localDay(start, timeZone).date });
  }
  const over = days.filter((day) => day.start + DAY_MS <= nowMs);
  const rows =
    over.length === 0
      ? []
      : await db.query<{
          kecamatan: string;
          day: string;
          ends_at: string;
          unable_ms: number | string;
          basis: string;
          generation: number | string;
        }>(
          `SELECT kecamatan, day, ends_at, unable_ms, basis, generation FROM figures_unable_days
         WHERE district_code = $1 AND day >= $2 AND day <= $3`,
          [district, over[0].date, over[over.length - 1].date],
        );
  const late = new Map(
    (
      await db.query<{ kecamatan: string; from_at: string; generation: number | string }>(
        'SELECT kecamatan, from_at, generation FROM figures_late WHERE district_code = $1',
        [district],
      )
    ).map((row) => [row.kecamatan, { fromMs: Date.parse(row.from_at), generation: Number(row.generation) }]),
  );
  // Read whole and checked here: summed in SQL, the grouping's sort of text keys costs more than
  // reading the rows (measured with bench/year-db.ts).
  const stored = new Map<string, number>();
  for (const row of rows) {
    const mark = late.get(row.kecamatan);
    const stale =
      row.basis !== basis.get(row.kecamatan) ||
      (mark !== undefined &&
        mark.generation > Number(row.generation) &&
        mark.fromMs < Date.parse(row.ends_at));
    if (!stale) {
      stored.set(`${row.kecamatan}\n${row.day}`, Number(row.unable_ms));
    }
  }

  // From which day on each kecamatan is computed: its first day not stored (today at the latest).
  const todayStart = localDay(nowMs, timeZone).startMs;
  const computeFrom = new Map<string, number>();
  for (const kecamatan of byKecamatan.keys()) {
    const missing = over.find((day) => !stored.has(`${kecamatan}\n${day.date}`));
    computeFrom.set(kecamatan, missing?.start ?? todayStart);
  }
  const result = new Map<string, Map<number, number>>();
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
  const written: SqlValue[][] = [];
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
    for (const day of days) {
      const key = `${kecamatan}\n${day.date}`;
      const ms = day.start < from ? (stored.get(key) ?? 0) : (computed.get(day.start) ?? 0);
      perDay.set(day.start, ms);
      if (day.start >= from && day.start + DAY_MS <= nowMs && !stored.has(key)) {
        written.push([
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
    result.set(kecamatan, perDay);
  }
  if (written.length > 0) {
    await db.transaction(async (transaction) => {
      for (let first = 0; first < written.length; first += ROWS_PER_INSERT) {
        const batch = written.slice(first, first + ROWS_PER_INSERT);
        await transaction.run(
          `INSERT INTO figures_unable_days (district_code, kecamatan, day, ends_at, unable_ms, basis, generation)
           VALUES ${batch.map((_row, index) => `(${[1, 2, 3, 4, 5, 6, 7].map((column) => `$${index * 7 + column}`).join(', ')})`).join(', ')}
           ON CONFLICT (district_code, kecamatan, day) DO UPDATE SET ends_at = excluded.ends_at,
             unable_ms = excluded.unable_ms, basis = excluded.basis, generation = excluded.generation`,
          batch.flat(),
        );
      }
    });
  }
  return result;
}
