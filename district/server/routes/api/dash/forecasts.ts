// GET /api/dash/forecasts (viewer): the forecast page's list, every forecast of the district (or of
// one station with ?station=) with the series behind it, most urgent first, a page at a time.
import type { FastifyInstance } from 'fastify';
import type { ForecastList } from '../../../../dash-api';
import { ForecastListQuerySchema, MAX_FORECASTS_PAGE } from '../../../../dash-api';
import { DEFAULT_THRESHOLDS, stockReport } from '../../../consumables/stock';
import { InvalidInputError } from '../../../errors';
import { CARDS_FORECAST_DAYS, cardForecasts, cardSeries } from '../../../forecasts/cards';
import { byUrgency, forecastSeries, stationForecasts } from '../../../forecasts/store';
import { scopeOf } from './scope';

export default async function forecastRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/forecasts', { config: { access: 'viewer' } }, async (request): Promise<ForecastList> => {
    const parsed = ForecastListQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      throw new InvalidInputError(
        `station is a station id; limit is 1-${MAX_FORECASTS_PAGE} and offset 0 or more`,
      );
    }
    const { station, limit, offset } = parsed.data;
    const db = app.district.db;
    const nowMs = app.district.now();
    // Only the stations within the account's scope (a district account never sees another's).
    const scope = scopeOf(request);
    const district = cardForecasts(await stockReport(db, nowMs, DEFAULT_THRESHOLDS, scope), nowMs).filter(
      (forecast) => station === undefined || forecast.stationId === station,
    );
    const all = [...(await stationForecasts(db, nowMs, station ?? null, scope)), ...district].sort(byUrgency);
    const page = all.slice(offset, offset + limit);
    const forecasts = [];
    // Series only for the page: they are most of the bytes.
    for (const forecast of page) {
      forecasts.push(
        forecast.source === 'district'
          ? await cardSeries(db, forecast, nowMs)
          : await forecastSeries(db, forecast),
      );
    }
    return {
      generatedAt: new Date(nowMs).toISOString(),
      cardsThresholdDays: CARDS_FORECAST_DAYS,
      total: all.length,
      forecasts,
    };
  });
}
