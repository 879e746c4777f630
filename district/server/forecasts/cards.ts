// The district's own forecast: blank e-KTP cards running out at a station, from the days of stock
// left that the consumables reports give (consumables/stock.ts). A warning on the board's summary
// (FORECAST_CARDS_RUNNING_OUT) well before the stock is low enough for the consumables alert, so
// the office can order and deliver cards in time.
import type { Series } from '../../../protocol/forecast';
import type { ForecastDetail, ForecastView, StationStock } from '../../dash-api';
import { FORECAST_STALE_AFTER_HOURS } from '../../dash-api';
import type { Db } from '../db/types';
import type { StockThresholds } from '../consumables/stock';
import { DEFAULT_THRESHOLDS } from '../consumables/stock';
import { byUrgency, daysLeftNow } from './store';

/**
 * Warn when blank cards last fewer days than this at the recent rate. Two weeks: ordering cards
 * from the province and carrying them to a kecamatan takes one to two weeks; the consumables page
 * calls the stock low only under DEFAULT_THRESHOLDS.minDaysLeft (7).
 */
export const CARDS_FORECAST_DAYS = 14;

function number(language: 'id' | 'en', value: number): string {
  return new Intl.NumberFormat(language === 'id' ? 'id-ID' : 'en-GB', { maximumFractionDigits: 1 }).format(
    value,
  );
}

/** A FORECAST_CARDS_RUNNING_OUT per station whose blank cards last fewer than `thresholdDays` now, most urgent first. */
export function cardForecasts(
  stock: readonly StationStock[],
  nowMs: number,
  thresholds: StockThresholds = DEFAULT_THRESHOLDS,
  thresholdDays: number = CARDS_FORECAST_DAYS,
): ForecastView[] {
  return stock
    .flatMap((station): ForecastView[] => {
      const cards = station.blankCards;
      if (station.reportedAt === null || cards === null || cards.daysLeft === null || cards.perDay === null) {
        return [];
      }
      const likelyInDays = daysLeftNow(Math.floor(cards.daysLeft), station.reportedAt, nowMs);
      if (likelyInDays === null || likelyInDays >= thresholdDays) {
        return [];
      }
      const window = thresholds.rateWindowDays;
      return [
        {
          source: 'district',
          stationId: station.stationId,
          stationName: station.stationName,
          kecamatan: station.kecamatan,
          code: 'FORECAST_CARDS_RUNNING_OUT',
          role: 'card-printer',
          deviceKey: null,
          likelyInDays,
          message: {
            id: `Kartu blangko tersisa ${number('id', cards.remaining)} lembar, terpakai rata-rata ${number('id', cards.perDay)} lembar per hari (${window} hari terakhir).`,
            en: `${number('en', cards.remaining)} blank cards left, ${number('en', cards.perDay)} used a day on average (last ${window} days).`,
          },
          computedAt: new Date(nowMs).toISOString(),
          reportedAt: station.reportedAt,
          stale: nowMs - Date.parse(station.reportedAt) > FORECAST_STALE_AFTER_HOURS * 3_600_000,
        },
      ];
    })
    .sort(byUrgency);
}

/** The blank-card counts behind a district forecast: the station's reports in the rate window, limit 0. */
export async function cardSeries(
  db: Db,
  forecast: ForecastView,
  nowMs: number,
  thresholds: StockThresholds = DEFAULT_THRESHOLDS,
): Promise<ForecastDetail> {
  const since = new Date(nowMs - thresholds.rateWindowDays * 86_400_000).toISOString();
  const rows = await db.query<{ at: string; blank_cards: number | string }>(
    `SELECT at, blank_cards FROM consumable_reports WHERE station_id = $1 AND (at >= $2 OR at = $3) ORDER BY at`,
    [forecast.stationId, since, forecast.reportedAt],
  );
  const series: Series = {
    metric: 'blank-cards',
    unit: 'cards',
    points: rows.slice(-120).map((row) => ({ at: row.at, value: Number(row.blank_cards) })),
    limit: 0,
  };
  return { ...forecast, series: [series] };
}
