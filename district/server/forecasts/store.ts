// Each station's current forecasts, from its forecast.reported events (protocol/forecast.ts): the
// set in an event replaces the station's previous set whole (an empty set clears it), but only when
// it is newer (a higher seq of the same enrollment). Read by the board (without series) and the
// forecast page (with them). A forecast is a warning: nothing here touches faults or can-record.
import type { Forecast, ForecastCode, ForecastReportedPayload, Series } from '../../../protocol/forecast';
import type { Role, Text } from '../../../protocol/verdict';
import type { ForecastDetail, ForecastView } from '../../dash-api';
import { clipText, FORECAST_STALE_AFTER_HOURS } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import type { Scope } from '../tenancy/scope';
import { scopeCondition } from '../tenancy/scope';

const DAY_MS = 86_400_000;

/**
 * Stores a station's set (called in the intake's transaction). `reportedAt`: the event's time on
 * the district's clock (intake.ts), from which the days left count down. Returns false when the
 * set was older than the one stored and changed nothing.
 */
export async function recordForecasts(
  db: Db,
  input: {
    stationId: string;
    eventId: string;
    seq: number;
    reportedAt: string;
    payload: ForecastReportedPayload;
  },
): Promise<boolean> {
  const [station] = await db.query<{ enrolled_at: string | null }>(
    'SELECT enrolled_at FROM stations WHERE id = $1',
    [input.stationId],
  );
  const enrolledAt = station?.enrolled_at ?? '';
  // The guard and the claim in one statement: of two sets stored at once, the newer one wins.
  const claimed = await db.query(
    `INSERT INTO forecast_sets (station_id, enrolled_at, last_seq, event_id, reported_at)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (station_id) DO UPDATE SET enrolled_at = excluded.enrolled_at, last_seq = excluded.last_seq,
       event_id = excluded.event_id, reported_at = excluded.reported_at
     WHERE forecast_sets.enrolled_at <> excluded.enrolled_at OR forecast_sets.last_seq < excluded.last_seq
     RETURNING station_id`,
    [input.stationId, enrolledAt, input.seq, input.eventId, input.reportedAt],
  );
  if (claimed.length === 0) {
    return false;
  }
  await db.run('DELETE FROM forecasts WHERE station_id = $1', [input.stationId]);
  for (const forecast of mostUrgentPerKey(input.payload.forecasts)) {
    await db.run(
      `INSERT INTO forecasts (station_id, code, role, device_key, likely_in_days, message, series, computed_at, reported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        input.stationId,
        forecast.code,
        forecast.role,
        forecast.deviceKey ?? '',
        forecast.likelyInDays,
        JSON.stringify(forecast.message),
        JSON.stringify(forecast.series),
        forecast.computedAt,
        input.reportedAt,
      ],
    );
  }
  return true;
}

/**
 * One forecast per (code, role, device): a set naming the same one twice keeps the most urgent
 * (fewest days; a dated one before an undated one), so a station's bug never hides a warning.
 */
export function mostUrgentPerKey(forecasts: readonly Forecast[]): Forecast[] {
  const byKey = new Map<string, Forecast>();
  for (const forecast of forecasts) {
    const key = JSON.stringify([forecast.code, forecast.role, forecast.deviceKey ?? '']);
    const kept = byKey.get(key);
    if (kept === undefined || daysRank(forecast.likelyInDays) < daysRank(kept.likelyInDays)) {
      byKey.set(key, forecast);
    }
  }
  return [...byKey.values()];
}

/** Sort key of days left: fewest first, no date last. */
export function daysRank(days: number | null): number {
  return days === null ? Number.POSITIVE_INFINITY : days;
}

/** The estimate counted down from when it was reported (whole days on the district's clock), never below 0. */
export function daysLeftNow(likelyInDays: number | null, reportedAt: string, nowMs: number): number | null {
  if (likelyInDays === null) {
    return null;
  }
  const elapsedDays = Math.max(0, Math.floor((nowMs - Date.parse(reportedAt)) / DAY_MS));
  return Math.max(0, likelyInDays - elapsedDays);
}

/** Fewest days left first, no date last; then station and code, so the order is stable. */
export function byUrgency(left: ForecastView, right: ForecastView): number {
  return (
    daysRank(left.likelyInDays) - daysRank(right.likelyInDays) ||
    left.kecamatan.localeCompare(right.kecamatan) ||
    left.stationName.localeCompare(right.stationName) ||
    left.code.localeCompare(right.code) ||
    (left.deviceKey ?? '').localeCompare(right.deviceKey ?? '')
  );
}

interface Row {
  station_id: string;
  station_name: string;
  kecamatan: string;
  code: string;
  role: string;
  device_key: string;
  likely_in_days: number | string | null;
  message: string;
  computed_at: string;
  reported_at: string;
  series?: string;
}

function toView(row: Row, nowMs: number): ForecastView {
  return {
    source: 'station',
    stationId: row.station_id,
    stationName: row.station_name,
    kecamatan: row.kecamatan,
    code: row.code as ForecastCode,
    role: row.role as Role,
    deviceKey: row.device_key === '' ? null : row.device_key,
    likelyInDays: daysLeftNow(
      row.likely_in_days === null ? null : Number(row.likely_in_days),
      row.reported_at,
      nowMs,
    ),
    message: JSON.parse(row.message) as Text,
    computedAt: row.computed_at,
    reportedAt: row.reported_at,
    stale: nowMs - Date.parse(row.reported_at) > FORECAST_STALE_AFTER_HOURS * 3_600_000,
  };
}

const SELECT = `SELECT f.station_id, s.name AS station_name, s.kecamatan, f.code, f.role, f.device_key,
  f.likely_in_days, f.message, f.computed_at, f.reported_at`;

/**
 * Every station's forecasts without their series, most urgent first (the board and the forecast
 * list), of the stations within `scope` only (tenancy/scope.ts; undefined: every district).
 */
export async function stationForecasts(
  db: Db,
  nowMs: number,
  stationId: string | null = null,
  scope?: Scope,
): Promise<ForecastView[]> {
  const params: SqlValue[] = [];
  let where = 'WHERE s.enrolled_at IS NOT NULL';
  if (stationId !== null) {
    params.push(stationId);
    where += ` AND f.station_id = $${params.length}`;
  }
  where += scopeCondition(scope, 's.district_code', params);
  const rows = await db.query<Row>(`${SELECT} FROM forecasts f JOIN stations s ON s.id = f.station_id ${where}`, params);
  return rows.map((row) => toView(row, nowMs)).sort(byUrgency);
}

/** The board's copy: the message cut to LISTED_TEXT_MAX (the forecast page shows it whole). */
export function listedForecast(forecast: ForecastView): ForecastView {
  return { ...forecast, message: { id: clipText(forecast.message.id), en: clipText(forecast.message.en) } };
}

/** The series of one station forecast (read for a page of the forecast list only: they are the bulk). */
export async function forecastSeries(db: Db, forecast: ForecastView): Promise<ForecastDetail> {
  const [row] = await db.query<{ series: string }>(
    'SELECT series FROM forecasts WHERE station_id = $1 AND code = $2 AND role = $3 AND device_key = $4',
    [forecast.stationId, forecast.code, forecast.role, forecast.deviceKey ?? ''],
  );
  return { ...forecast, series: row === undefined ? [] : (JSON.parse(row.series) as Series[]) };
}
