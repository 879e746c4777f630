// A forecast as one amber line of the board: "Perkiraan: pita printer habis dalam 5 hari", the role,
// and a link to its chart on the forecast page. Distinct from a fault's line: never red, never
// "cannot record".
import type { ForecastView } from '../../dash-api';
import { useTranslator } from '../language';
import { forecastHeadline, forecastKey, forecastLink } from '../forecast-view';

export function ForecastItem({ forecast, where = false }: { forecast: ForecastView; where?: boolean }) {
  const { t, time, language } = useTranslator();
  return (
    <li className="warn forecast" data-forecast={forecast.code} data-days={forecast.likelyInDays ?? ''}>
      <span className="tag warn">{t('forecastWord')}</span>{' '}
      <a href={`${forecastLink(forecast.stationId)}`} className="warn-text">
        {forecastHeadline(t, forecast)}
      </a>
      <span className="muted">
        {` · ${where ? `${t('kecamatan')} ${forecast.kecamatan} / ${forecast.stationName} · ` : ''}${t.word('role', forecast.role)} · ${forecast.message[language]}${forecast.stale ? ` · ${t('forecastStale', { time: time(forecast.reportedAt) })}` : ''}`}
      </span>
    </li>
  );
}

/** The forecasts of a list, and "and N more" linking to the forecast page. */
export function ForecastItems({
  forecasts,
  hidden,
  stationId,
  where = false,
}: {
  forecasts: ForecastView[];
  hidden: number;
  stationId?: string;
  where?: boolean;
}) {
  const { t } = useTranslator();
  return (
    <>
      {forecasts.map((forecast) => (
        <ForecastItem key={forecastKey(forecast)} forecast={forecast} where={where} />
      ))}
      {hidden > 0 ? (
        <li className="muted">
          <a href={forecastLink(stationId)}>{t('forecastMore', { count: hidden })}</a>
        </li>
      ) : null}
    </>
  );
}
