// The technician screen's forecasts tab: each forecast the agent holds (never a fault) with its
// code in words, "likely in N days", the message with its evidence, and a sparkline per series.
import { useEffect, useState } from 'react';
import type { Forecast, Series } from '../../protocol/forecast';
import type { ScreenProps } from '../App';
import { sparkline } from '../charts/sparkline';

const WIDTH = 240;
const HEIGHT = 48;

function figure(value: number, language: ScreenProps['language']): string {
  const shown = Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 10 ? 2 : 1);
  return language === 'id' ? shown.replace('.', ',') : shown;
}

function SeriesChart({ series, t, language }: { series: Series } & Pick<ScreenProps, 't' | 'language'>) {
  const line = sparkline(series.points, series.limit, WIDTH, HEIGHT);
  const last = series.points.at(-1);
  return (
    <figure className="forecast-chart" data-testid="forecast-chart">
      <svg
        width={WIDTH}
        height={HEIGHT}
        viewBox={`-2 -2 ${WIDTH + 4} ${HEIGHT + 4}`}
        role="img"
        aria-label={series.metric}
      >
        {line.limitY !== null && (
          <line x1={0} x2={WIDTH} y1={line.limitY} y2={line.limitY} className="forecast-limit" />
        )}
        <path d={line.path} className="forecast-line" fill="none" />
      </svg>
      <figcaption>
        {series.metric}: {last ? `${figure(last.value, language)} ${series.unit}` : '-'}
        {series.limit !== null && ` · ${t('forecastLimit')} ${figure(series.limit, language)} ${series.unit}`}
        {` · ${series.points.length}`}
      </figcaption>
    </figure>
  );
}

export function TechnicianForecasts({ api, t, text, language, token }: ScreenProps & { token: string }) {
  const [forecasts, setForecasts] = useState<Forecast[] | null>(null);
  useEffect(() => {
    api.technician
      .forecasts(token)
      .then(setForecasts)
      .catch(() => setForecasts([]));
  }, [api, token]);
  if (forecasts === null) {
    return null;
  }
  return (
    <div className="forecasts" data-testid="forecasts">
      <p>{t('forecastsIntro')}</p>
      {forecasts.length === 0 && <p data-testid="forecasts-none">{t('forecastsNone')}</p>}
      {forecasts.map((forecast) => (
        <section
          key={`${forecast.code}:${forecast.role}:${forecast.deviceKey ?? ''}`}
          className="forecast"
          data-testid="forecast"
          data-code={forecast.code}
        >
          <h3>
            {t(`forecast.${forecast.code}`)}{' '}
            <span className="forecast-when" data-testid="forecast-when">
              {forecast.likelyInDays === null
                ? t('forecastNoDate')
                : forecast.likelyInDays === 0
                  ? t('forecastLikelyNow')
                  : t('forecastLikelyIn', { days: forecast.likelyInDays })}
            </span>
          </h3>
          <p data-testid="forecast-message">{text(forecast.message)}</p>
          <div className="forecast-charts">
            {forecast.series.map((series) => (
              <SeriesChart key={series.metric} series={series} t={t} language={language} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
