// What the dashboard shows of a forecast, apart from React so it can be tested: its headline in
// words ("pita printer habis dalam 5 hari"), the link to the forecast page, and a series as the
// columns uPlot draws (time in seconds, oldest first, with the limit as a flat line). Pure.
import type { Translator } from '../../protocol/i18n';
import type { Series } from '../../protocol/forecast';
import type { ForecastView } from '../dash-api';

type T = Translator<'dashboard'>;

/** "pita printer habis dalam 5 hari" / "... hari ini" / "... (waktunya belum bisa diperkirakan)". */
export function forecastHeadline(t: T, forecast: Pick<ForecastView, 'code' | 'likelyInDays'>): string {
  const what = t.word('forecastCode', forecast.code);
  return forecast.likelyInDays === null
    ? t('forecastNoDate', { what })
    : forecast.likelyInDays === 0
      ? t('forecastToday', { what })
      : t('forecastInDays', { what, days: forecast.likelyInDays });
}

/** "kemungkinan dalam 5 hari", for the forecast page. */
export function likelyText(t: T, likelyInDays: number | null): string {
  return likelyInDays === null
    ? t('forecastLikelyNoDate')
    : likelyInDays === 0
      ? t('forecastLikelyToday')
      : t('forecastLikely', { days: likelyInDays });
}

/** The forecast page of one station, or of the whole district. */
export function forecastLink(stationId?: string): string {
  return stationId === undefined ? '#/perkiraan' : `#/perkiraan/${encodeURIComponent(stationId)}`;
}

/** A stable key (and DOM id) of a forecast in a list. */
export function forecastKey(forecast: ForecastView): string {
  return [forecast.source, forecast.stationId, forecast.code, forecast.role, forecast.deviceKey ?? ''].join(
    '|',
  );
}

export interface ChartColumns {
  /** Seconds since the epoch, ascending (uPlot's time scale). */
  times: number[];
  values: number[];
  /** The limit at every time (a flat line), or null when the series has none. */
  limit: number[] | null;
  /** The y range to show: the values and the limit, so the limit line is always in view. */
  range: [number, number] | null;
}

/** A series as chart columns: points with an unreadable time dropped, sorted by time. */
export function chartColumns(series: Series): ChartColumns {
  const points = series.points
    .map((point) => ({ seconds: Date.parse(point.at) / 1000, value: point.value }))
    .filter((point) => Number.isFinite(point.seconds) && Number.isFinite(point.value))
    .sort((left, right) => left.seconds - right.seconds);
  const times = points.map((point) => point.seconds);
  const values = points.map((point) => point.value);
  const all = series.limit === null ? values : [...values, series.limit];
  let range: [number, number] | null = null;
  if (points.length > 0) {
    const low = Math.min(...all);
    const high = Math.max(...all);
    // A flat series still gets some height; 5% room above and below.
    const pad = high === low ? Math.max(1, Math.abs(high) * 0.1) : (high - low) * 0.05;
    range = [low - pad, high + pad];
  }
  return {
    times,
    values,
    limit: series.limit === null ? null : times.map(() => series.limit as number),
    range,
  };
}
