// One series of a forecast drawn with uPlot (canvas): the measured values over time and the limit
// at which the device is expected to stop, as a dashed red line. uPlot styles its elements through
// the CSSOM (element.style), which the Content-Security-Policy does not govern, and its stylesheet
// is bundled into app.css (served from the district itself): the dashboard's policy needs nothing
// more. A caption says in words what the chart shows, for screen readers and printouts.
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Series } from '../../protocol/forecast';
import type { Language } from '../../protocol/i18n';
import { useTranslator } from './language';
import { chartColumns } from './forecast-view';

/** Ticks of the time axis: whole days and weeks (a forecast's series spans days to months), six hours at the least. */
const TIME_INCREMENTS = [6, 12, 24, 48, 7 * 24, 14 * 24, 28 * 24, 56 * 24].map((hours) => hours * 3600);

/** Time axis labels in the dashboard's language: `23 Nov` at midnight, `06.00` between. */
function timeLabels(language: Language): (plot: uPlot, splits: number[]) => string[] {
  const locale = language === 'id' ? 'id-ID' : 'en-GB';
  const day = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' });
  const hour = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (_plot, splits) =>
    splits.map((seconds) => {
      const date = new Date(seconds * 1000);
      return date.getHours() === 0 && date.getMinutes() === 0 ? day.format(date) : hour.format(date);
    });
}

const HEIGHT = 200;
/** Narrower than this the axes eat the plot; the page itself never scrolls sideways (the card clips). */
const MIN_WIDTH = 240;

export function ForecastChart({ series }: { series: Series }) {
  const { t, language, time } = useTranslator();
  const holder = useRef<HTMLDivElement>(null);
  const columns = useMemo(() => chartColumns(series), [series]);
  const metric = t.word('forecastMetric', series.metric);
  const unit = t.word('forecastUnit', series.unit);
  const empty = columns.times.length === 0;
  useEffect(() => {
    const element = holder.current;
    if (element === null || empty) {
      return undefined;
    }
    const width = () => Math.max(MIN_WIDTH, element.clientWidth);
    const data: uPlot.AlignedData =
      columns.limit === null
        ? [columns.times, columns.values]
        : [columns.times, columns.values, columns.limit];
    const plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: () => columns.range ?? [0, 1] } },
        axes: [
          { incrs: TIME_INCREMENTS, values: timeLabels(language), space: 60 },
          { label: unit, size: 56 },
        ],
        series: [
          {},
          { label: metric, stroke: '#123a5f', width: 2, points: { show: columns.times.length <= 40 } },
          ...(columns.limit === null
            ? []
            : [
                {
                  label: t('forecastLimit'),
                  stroke: '#c62828',
                  width: 2,
                  dash: [6, 4],
                  points: { show: false },
                },
              ]),
        ],
      },
      data,
      element,
    );
    const resize = () => plot.setSize({ width: width(), height: HEIGHT });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [columns, empty, language, metric, t, unit]);
  const last = columns.values[columns.values.length - 1];
  return (
    <figure className="forecast-chart" data-metric={series.metric}>
      {empty ? (
        <p className="muted">{t('forecastSeriesEmpty')}</p>
      ) : (
        <div ref={holder} className="chart-holder" role="img" aria-label={metric} />
      )}
      <figcaption className="muted small">
        {empty
          ? metric
          : t('forecastChartText', {
              metric,
              count: columns.times.length,
              from: time(new Date(columns.times[0] * 1000).toISOString()),
              to: time(new Date(columns.times[columns.times.length - 1] * 1000).toISOString()),
              last: last.toLocaleString(language === 'id' ? 'id-ID' : 'en-GB'),
              unit,
            })}
        {series.limit === null
          ? ''
          : `; ${t('forecastChartLimit', { limit: series.limit.toLocaleString(language === 'id' ? 'id-ID' : 'en-GB'), unit })}`}
      </figcaption>
    </figure>
  );
}
