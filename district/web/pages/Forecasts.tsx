// The forecast page (#/perkiraan, or #/perkiraan/STATION for one station): every forecast, the
// nearest first, each with its code in words, "kemungkinan dalam N hari", the evidence, and a chart
// of each series with its limit line. A forecast is a warning, never a fault.
import type { ForecastDetail, ForecastList } from '../../dash-api';
import { Pending, PageLinks, usePaging } from '../data-table';
import { ForecastChart } from '../forecast-chart';
import { forecastKey, forecastLink, likelyText } from '../forecast-view';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

const PAGE_SIZE = 20;

function ForecastCard({ forecast, showStation }: { forecast: ForecastDetail; showStation: boolean }) {
  const { t, time, language } = useTranslator();
  return (
    <article
      className="forecast-card"
      data-forecast={forecast.code}
      data-station={forecast.stationId}
      data-source={forecast.source}
    >
      <h3>
        <span className="badge warn">{t('forecastWord')}</span> {t.word('forecastCode', forecast.code)}
      </h3>
      <p className="likely warn-text" data-days={forecast.likelyInDays ?? ''}>
        {likelyText(t, forecast.likelyInDays)}
      </p>
      <p className="where">
        {showStation ? (
          <a href={forecastLink(forecast.stationId)}>
            {t('kecamatan')} {forecast.kecamatan} / {forecast.stationName}
          </a>
        ) : null}
        {showStation ? ' · ' : ''}
        {t.word('role', forecast.role)}
        {forecast.deviceKey === null ? '' : ` · ${forecast.deviceKey}`}
      </p>
      <p className="evidence">{forecast.message[language]}</p>
      <p className="muted small">
        {forecast.source === 'district' ? `${t('forecastByDistrict')} · ` : ''}
        {forecast.stale
          ? t('forecastStale', { time: time(forecast.reportedAt) })
          : t('forecastReported', { time: time(forecast.reportedAt) })}
      </p>
      {forecast.series.map((series, index) => (
        <ForecastChart key={`${series.metric}-${index}`} series={series} />
      ))}
    </article>
  );
}

export function ForecastsPage({ stationId }: { stationId?: string }) {
  const { t } = useTranslator();
  const paging = usePaging(PAGE_SIZE);
  const station = stationId === undefined ? '' : `&station=${encodeURIComponent(stationId)}`;
  const list = useApi<ForecastList>(`/api/dash/forecasts?${paging.query}${station}`);
  if (list.data === null) {
    return <Pending resource={list} />;
  }
  const shown = list.data.forecasts.slice(0, PAGE_SIZE);
  const first = shown[0];
  return (
    <section className="forecasts">
      <h2>
        {stationId !== undefined && first !== undefined
          ? t('forecastsStationTitle', {
              station: `${t('kecamatan')} ${first.kecamatan} / ${first.stationName}`,
            })
          : t('forecastsTitle')}
      </h2>
      <p className="muted">
        {t('forecastsIntro')} {t('forecastsCardsRule', { days: list.data.cardsThresholdDays })}
      </p>
      {stationId !== undefined ? (
        <p>
          <a href={forecastLink()}>{t('forecastsAll')}</a>
        </p>
      ) : null}
      {list.data.total === 0 ? (
        <p className="none" data-none>
          {t('forecastsNone')}
        </p>
      ) : (
        <p className="muted small">{t('forecastsShown', { shown: shown.length, total: list.data.total })}</p>
      )}
      {shown.map((forecast) => (
        <ForecastCard key={forecastKey(forecast)} forecast={forecast} showStation={stationId === undefined} />
      ))}
      <PageLinks paging={paging} received={list.data.forecasts.length} />
    </section>
  );
}
