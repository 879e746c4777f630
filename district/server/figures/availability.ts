// Whether each station could record, over time: spans of "cannot record" (its heartbeat said so)
// and "silent" (no heartbeat within the window), kept from heartbeats as they arrive, on the
// district's clock (intake.ts maps the station's time). A kecamatan cannot record while none of its
// enrolled stations can; only its office's service hours count (calendar/service-hours.ts).
import type { Calendar } from '../calendar/service-hours';
import { serviceIntervals } from '../calendar/service-hours';
import type { Db } from '../db/types';
import { newId } from '../db/ids';
import { lateBefore, markLate } from './late';
import type { Interval } from './intervals';
import { intersectAll, normalize, totalMs } from './intervals';

/** A station heartbeats every minute; silent longer than this, it counts as unable to record. */
export const DEFAULT_HEARTBEAT_WINDOW_MS = 10 * 60 * 1000;

/**
 * Updates the spans for one heartbeat (`occurredAt` on the district clock, stored at `nowMs`).
 * Heartbeats older than the newest one seen change nothing; any other changes the station's
 * unable time from `occurredAt` on only (the first one: from enrollment), which the figures'
 * summary is told of when that is in a day already over (late.ts).
 */
export async function recordHeartbeat(
  db: Db,
  input: { stationId: string; canRecord: boolean; occurredAt: string; windowMs: number; nowMs: number },
): Promise<void> {
  const { stationId, canRecord, occurredAt } = input;
  const atMs = Date.parse(occurredAt);
  // The heartbeat of almost every minute changes nothing but the time: one statement, which
  // applies only when the full path below would do just that (a state known, this heartbeat not
  // older, within the window of the last, the same ability, no day already over touched).
  // Times compare as text: every last_heartbeat_at is written here, from toISOString.
  if (atMs >= lateBefore(input.nowMs)) {
    const updated = await db.run(
      `UPDATE station_availability SET last_heartbeat_at = $1
       WHERE station_id = $2 AND can_record = $3 AND last_heartbeat_at <= $1 AND last_heartbeat_at >= $4`,
      [occurredAt, stationId, canRecord ? 1 : 0, new Date(atMs - input.windowMs).toISOString()],
    );
    if (updated === 1) {
      return;
    }
  }
  const [state] = await db.query<{ can_record: number; last_heartbeat_at: string }>(
    'SELECT can_record, last_heartbeat_at FROM station_availability WHERE station_id = $1',
    [stationId],
  );
  if (state === undefined) {
    // Until its first heartbeat a station counts as unable since enrollment (unableIntervals).
    const [station] = await db.query<{ enrolled_at: string | null }>(
      'SELECT enrolled_at FROM stations WHERE id = $1',
      [stationId],
    );
    const enrolledMs =
      station?.enrolled_at === null || station === undefined ? atMs : Date.parse(station.enrolled_at);
    await markLate(db, stationId, Math.min(atMs, enrolledMs), input.nowMs);
    await db.run(
      'INSERT INTO station_availability (station_id, can_record, last_heartbeat_at) VALUES ($1, $2, $3)',
      [stationId, canRecord ? 1 : 0, occurredAt],
    );
    if (!canRecord) {
      await openSpan(db, stationId, 'cannot-record', occurredAt);
    }
    return;
  }
  const lastMs = Date.parse(state.last_heartbeat_at);
  // Heartbeats of one batch may share a time on the district clock: the later one, in sequence, holds.
  if (atMs < lastMs) {
    return;
  }
  await markLate(db, stationId, atMs, input.nowMs);
  if (atMs - lastMs > input.windowMs) {
    await db.run(
      'INSERT INTO availability_spans (id, station_id, kind, started_at, ended_at) VALUES ($1, $2, $3, $4, $5)',
      [newId(atMs), stationId, 'silent', new Date(lastMs + input.windowMs).toISOString(), occurredAt],
    );
  }
  const couldRecord = Number(state.can_record) === 1;
  if (couldRecord && !canRecord) {
    await openSpan(db, stationId, 'cannot-record', occurredAt);
  } else if (!couldRecord && canRecord) {
    await db.run(
      `UPDATE availability_spans SET ended_at = $1 WHERE station_id = $2 AND kind = 'cannot-record' AND ended_at IS NULL`,
      [occurredAt, stationId],
    );
  }
  await db.run(
    'UPDATE station_availability SET can_record = $1, last_heartbeat_at = $2 WHERE station_id = $3',
    [canRecord ? 1 : 0, occurredAt, stationId],
  );
}

async function openSpan(db: Db, stationId: string, kind: string, startedAt: string): Promise<void> {
  await db.run('INSERT INTO availability_spans (id, station_id, kind, started_at) VALUES ($1, $2, $3, $4)', [
    newId(Date.parse(startedAt)),
    stationId,
    kind,
    startedAt,
  ]);
}

export interface StationUnavailability {
  stationId: string;
  kecamatan: string;
  intervals: Interval[];
}

/**
 * What bounds the spans' lengths, read at `sinceMs` (spanBound): every span then closed lasted at
 * most `longestMs`, every span then open started at most `longestMs` before. A span closed since
 * ends after `sinceMs` or lasted at most `longestMs` (it was open then); a span changed since in a
 * day over was marked late (late.ts), so a figure computed with it carries a generation read first.
 */
export interface SpanBound {
  longestMs: number;
  sinceMs: number;
}

const BOUND_WINDOW_MS = 30 * 86_400_000;

/**
 * The SpanBound of the spans ending after `fromMs` (or open), at `nowMs`. Reads the index on
 * (ended_at, started_at) alone, from `fromMs` on: once for many reads of unableIntervals.
 */
export async function spanBound(db: Db, fromMs: number, nowMs: number): Promise<SpanBound> {
  // By 30 days of ended_at, yielding between them: one read of months of spans would hold
  // SQLite's one connection (and the event loop) for tens of ms.
  let longest = 0;
  for (let start = fromMs; ; start += BOUND_WINDOW_MS) {
    const last = start + BOUND_WINDOW_MS >= nowMs;
    const [closed] = await db.query<{ longest: number | string | null }>(
      db.dialect === 'sqlite'
        ? `SELECT MAX((julianday(ended_at) - julianday(started_at)) * 86400000) AS longest FROM availability_spans
           WHERE ended_at > $1 AND ($2 = '' OR ended_at <= $2)`
        : `SELECT MAX(EXTRACT(EPOCH FROM (ended_at::timestamptz - started_at::timestamptz)) * 1000) AS longest FROM availability_spans
           WHERE ended_at > $1 AND ($2 = '' OR ended_at <= $2)`,
      [new Date(start).toISOString(), last ? '' : new Date(start + BOUND_WINDOW_MS).toISOString()],
    );
    longest = Math.max(longest, Number(closed?.longest ?? 0));
    if (last) {
      break;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  const [open] = await db.query<{ earliest: string | null }>(
    'SELECT MIN(started_at) AS earliest FROM availability_spans WHERE ended_at IS NULL',
  );
  const openMs = open?.earliest === undefined || open.earliest === null ? 0 : nowMs - Date.parse(open.earliest);
  // A millisecond's rounding of julianday, and a day of room.
  return { longestMs: Math.max(longest, openMs) + 86_400_000, sinceMs: nowMs };
}

/** Per enrolled station, the normalized times in [fromMs, toMs) it could not record (never heard from since enrollment counts as unable). */
export async function unableIntervals(
  db: Db,
  fromMs: number,
  toMs: number,
  windowMs: number,
  /** One district's stations; all without. */
  district?: string,
  /** Spans known to be no longer than this (see SpanBound): a read that costs what the range holds. */
  bound?: SpanBound,
): Promise<StationUnavailability[]> {
  const stations = await db.query<{
    id: string;
    kecamatan: string;
    enrolled_at: string;
    last_heartbeat_at: string | null;
  }>(
    `SELECT s.id, s.kecamatan, s.enrolled_at, a.last_heartbeat_at FROM stations s
     LEFT JOIN station_availability a ON a.station_id = s.id
     WHERE s.enrolled_at IS NOT NULL AND ($1 = '' OR s.district_code = $1)`,
    [district ?? ''],
  );
  const spans = await db.query<{ station_id: string; started_at: string; ended_at: string | null }>(
    bound === undefined
      ? `SELECT station_id, started_at, ended_at FROM availability_spans WHERE started_at < $1 AND (ended_at IS NULL OR ended_at > $2)
       AND ($3 = '' OR station_id IN (SELECT id FROM stations WHERE district_code = $3))`
      : // Without the bound, "ended_at > from" reads every span after `fromMs` (the index is on ended_at).
        `SELECT station_id, started_at, ended_at FROM availability_spans WHERE started_at < $1
       AND (ended_at IS NULL OR (ended_at > $2 AND ended_at <= $4) OR ended_at > $5)
       AND ($3 = '' OR station_id IN (SELECT id FROM stations WHERE district_code = $3))`,
    [
      new Date(toMs).toISOString(),
      new Date(fromMs).toISOString(),
      district ?? '',
      ...(bound === undefined
        ? []
        : [new Date(toMs + bound.longestMs).toISOString(), new Date(Math.max(toMs + bound.longestMs, bound.sinceMs)).toISOString()]),
    ],
  );
  const byStation = new Map<string, Interval[]>();
  for (const span of spans) {
    const list = byStation.get(span.station_id) ?? [];
    list.push({
      start: Date.parse(span.started_at),
      end: span.ended_at === null ? toMs : Date.parse(span.ended_at),
    });
    byStation.set(span.station_id, list);
  }
  return stations.map((station) => {
    const list = byStation.get(station.id) ?? [];
    if (station.last_heartbeat_at === null) {
      list.push({ start: Date.parse(station.enrolled_at), end: toMs });
    } else {
      // Silent now: from the end of the window after the last heartbeat.
      list.push({ start: Date.parse(station.last_heartbeat_at) + windowMs, end: toMs });
    }
    return { stationId: station.id, kecamatan: station.kecamatan, intervals: normalize(list, fromMs, toMs) };
  });
}

/** Hours of service in [fromMs, toMs) during which no station of each kecamatan could record. */
export function kecamatanUnableHours(
  stations: readonly StationUnavailability[],
  calendar: Calendar,
  fromMs: number,
  toMs: number,
): Map<string, number> {
  const byKecamatan = new Map<string, Interval[][]>();
  for (const station of stations) {
    const lists = byKecamatan.get(station.kecamatan) ?? [];
    lists.push(station.intervals);
    byKecamatan.set(station.kecamatan, lists);
  }
  return new Map(
    [...byKecamatan].map(([kecamatan, lists]) => [
      kecamatan,
      totalMs(intersectAll([...lists, serviceIntervals(calendar, kecamatan, fromMs, toMs)])) / 3_600_000,
    ]),
  );
}
