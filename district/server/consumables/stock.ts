// Blank e-KTP cards and printer ribbons per station, as reported in the daily check and by
// consumables.reported events; days of stock left at the recent rate of use; low-stock alerts.
import type { ConsumablesPayload, Ribbon } from '../../../protocol/events';
import type { StationStock, StockLevel } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import type { Scope } from '../tenancy/scope';
import { scopeCondition } from '../tenancy/scope';

export interface StockThresholds {
  /** Alert at or below this many blank cards. */
  minBlankCards: number;
  /** Alert at or below this many prints left on a ribbon, or this percentage. */
  minRibbonPrints: number;
  minRibbonPercent: number;
  /** Alert when stock lasts fewer days than this at the recent rate. */
  minDaysLeft: number;
  /** The rate is measured over the reports of this many days. */
  rateWindowDays: number;
}

export const DEFAULT_THRESHOLDS: StockThresholds = {
  minBlankCards: 50,
  minRibbonPrints: 50,
  minRibbonPercent: 10,
  minDaysLeft: 7,
  rateWindowDays: 14,
};

export type { StationStock, StockLevel } from '../../dash-api';

export async function recordConsumables(
  db: Db,
  input: { eventId: string; stationId: string; occurredAt: string; consumables: ConsumablesPayload },
): Promise<void> {
  await db.run(
    `INSERT INTO consumable_reports (event_id, station_id, at, blank_cards, ribbons) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (event_id) DO NOTHING`,
    [
      input.eventId,
      input.stationId,
      input.occurredAt,
      input.consumables.blankCards,
      JSON.stringify(input.consumables.ribbons),
    ],
  );
}

/** Use per day over a series of (time ms, remaining) readings, oldest first: decreases only, so a restock does not count as negative use. */
export function usePerDay(readings: readonly { atMs: number; remaining: number }[]): number | null {
  if (readings.length < 2) {
    return null;
  }
  let used = 0;
  for (let index = 1; index < readings.length; index++) {
    used += Math.max(0, readings[index - 1].remaining - readings[index].remaining);
  }
  const days = (readings[readings.length - 1].atMs - readings[0].atMs) / 86_400_000;
  return days <= 0 ? null : used / days;
}

function level(
  readings: { atMs: number; remaining: number }[],
  minimum: number,
  thresholds: StockThresholds,
): StockLevel {
  const remaining = readings[readings.length - 1].remaining;
  const perDay = usePerDay(readings);
  const daysLeft = perDay === null || perDay <= 0 ? null : Math.round((remaining / perDay) * 10) / 10;
  return {
    remaining,
    perDay: perDay === null ? null : Math.round(perDay * 10) / 10,
    daysLeft,
    low: remaining <= minimum || (daysLeft !== null && daysLeft < thresholds.minDaysLeft),
  };
}

export async function stockReport(
  db: Db,
  nowMs: number,
  thresholds: StockThresholds = DEFAULT_THRESHOLDS,
  scope?: Scope,
): Promise<StationStock[]> {
  const since = new Date(nowMs - thresholds.rateWindowDays * 86_400_000).toISOString();
  const stationParams: SqlValue[] = [];
  const stations = await db.query<{ id: string; name: string; kecamatan: string }>(
    `SELECT id, name, kecamatan FROM stations WHERE 1 = 1${scopeCondition(scope, 'district_code', stationParams)}
     ORDER BY kecamatan, name`,
    stationParams,
  );
  const reportParams: SqlValue[] = [since];
  const reportScope = scopeCondition(scope, 's.district_code', reportParams);
  // The latest report of every station, whatever its age, plus all reports inside the rate window.
  const reports = await db.query<{
    station_id: string;
    at: string;
    blank_cards: number | string;
    ribbons: string;
  }>(
    `SELECT r.station_id, r.at, r.blank_cards, r.ribbons FROM consumable_reports r
     WHERE (r.at >= $1 OR r.at = (SELECT MAX(l.at) FROM consumable_reports l WHERE l.station_id = r.station_id))
       AND r.station_id IN (SELECT s.id FROM stations s WHERE 1 = 1${reportScope})
     ORDER BY r.station_id, r.at`,
    reportParams,
  );
  const byStation = new Map<string, typeof reports>();
  for (const report of reports) {
    const list = byStation.get(report.station_id) ?? [];
    list.push(report);
    byStation.set(report.station_id, list);
  }
  return stations.map((station) => {
    const list = byStation.get(station.id) ?? [];
    if (list.length === 0) {
      return {
        stationId: station.id,
        stationName: station.name,
        kecamatan: station.kecamatan,
        reportedAt: null,
        blankCards: null,
        ribbons: [],
        low: false,
      };
    }
    const cards = level(
      list.map((report) => ({ atMs: Date.parse(report.at), remaining: Number(report.blank_cards) })),
      thresholds.minBlankCards,
      thresholds,
    );
    const latestRibbons = JSON.parse(list[list.length - 1].ribbons) as Ribbon[];
    const ribbons = latestRibbons.map((ribbon) => {
      const readings = list.flatMap((report) =>
        (JSON.parse(report.ribbons) as Ribbon[])
          .filter((candidate) => candidate.name === ribbon.name && candidate.unit === ribbon.unit)
          .map((candidate) => ({ atMs: Date.parse(report.at), remaining: candidate.remaining })),
      );
      const minimum = ribbon.unit === 'prints' ? thresholds.minRibbonPrints : thresholds.minRibbonPercent;
      return { name: ribbon.name, unit: ribbon.unit, ...level(readings, minimum, thresholds) };
    });
    return {
      stationId: station.id,
      stationName: station.name,
      kecamatan: station.kecamatan,
      reportedAt: list[list.length - 1].at,
      blankCards: cards,
      ribbons,
      low: cards.low || ribbons.some((ribbon) => ribbon.low),
    };
  });
}
