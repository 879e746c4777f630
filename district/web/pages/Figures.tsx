// Availability per kecamatan (hours no station could record), its trend per month, and the mean
// times to acknowledge and to repair, each chart saying what it counts and in what unit. Charts are
// plain SVG (charts.ts lays them out) that shrink to the screen's width.
import type { Figures } from '../../dash-api';
import { layoutBars } from '../charts';
import { Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

const round = (value: number): number => Math.round(value * 10) / 10;

function HoursBars({ values }: { values: [string, number][] }) {
  const { t } = useTranslator();
  const max = Math.max(1, ...values.map(([, hours]) => hours));
  const rowHeight = 26;
  const height = values.length * rowHeight + 10;
  return (
    <svg
      className="chart"
      viewBox={`0 0 400 ${height}`}
      width="400"
      height={height}
      role="img"
      aria-label={t('hoursUnable')}
    >
      {values.map(([name, hours], index) => (
        <g key={name} transform={`translate(0, ${index * rowHeight + 5})`}>
          <text x="120" y="16" textAnchor="end" className="label">
            {name}
          </text>
          <rect
            x="128"
            y="3"
            height="16"
            width={(hours / max) * 200}
            className={hours > 0 ? 'bar bad' : 'bar'}
          />
          <text x={134 + (hours / max) * 200} y="16" className="value">
            {round(hours)} {t('hours')}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** Bars per month; `series` name the CSS class of each series' bars. */
function MonthBars({
  months,
  series,
  label,
  name,
}: {
  months: string[];
  series: { className: string; values: (number | null)[] }[];
  label: string;
  name: string;
}) {
  const { month } = useTranslator();
  const layout = layoutBars(series.map((entry) => entry.values));
  return (
    <svg
      className={`chart ${name}`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width={layout.width}
      height={layout.height}
      role="img"
      aria-label={label}
    >
      <line x1="0" x2={layout.width} y1={layout.baseline} y2={layout.baseline} className="axis" />
      {layout.groups.map((group, index) => (
        <g key={months[index]} data-month={months[index]}>
          {group.bars.map((bar, seriesIndex) =>
            bar.value === null ? null : (
              <g key={seriesIndex}>
                <rect
                  x={bar.x}
                  y={bar.y}
                  width={bar.width}
                  height={bar.height}
                  className={`bar ${series[seriesIndex].className}`}
                />
                <text x={bar.x + bar.width / 2} y={bar.y - 4} textAnchor="middle" className="value">
                  {round(bar.value)}
                </text>
              </g>
            ),
          )}
          <text
            x={group.x + layout.groupWidth / 2}
            y={layout.baseline + 16}
            textAnchor="middle"
            className="label"
          >
            {month(months[index], true)}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function FiguresPage() {
  const { t, month } = useTranslator();
  const figures = useApi<Figures>('/api/dash/figures?months=6');
  if (figures.data === null) {
    return <Pending resource={figures} />;
  }
  const months = figures.data.months;
  const current = months[months.length - 1];
  const names = months.map((entry) => entry.month);
  const totals = months.map((entry) =>
    Object.values(entry.hoursUnable).reduce((sum, hours) => sum + hours, 0),
  );
  const acknowledge = months.map((entry) => entry.meanHoursToAcknowledge);
  const repair = months.map((entry) => entry.meanHoursToRepair);
  const hours = (value: number | null): string =>
    value === null ? t('noValue') : `${round(value)} ${t('hours')}`;
  return (
    <section className="figures">
      <div className="toolbar">
        <a className="button" href="/api/dash/export/availability.csv" download>
          {t('exportCsv')} ({t('hoursUnable')})
        </a>
        <a className="button" href="/api/dash/export/faults.csv" download>
          {t('exportCsv')} ({t('navFaults')})
        </a>
      </div>
      <h2>
        {t('hoursUnable')} — {month(current.month)}
      </h2>
      <p className="muted small">{t('hoursUnableExplained')}</p>
      <HoursBars values={figures.data.kecamatan.map((name) => [name, current.hoursUnable[name] ?? 0])} />
      <h2>{t('trend')}</h2>
      <MonthBars
        months={names}
        series={[{ className: 'bad', values: totals }]}
        label={t('trend')}
        name="trend"
      />
      {totals.every((total) => total === 0) ? (
        <p className="muted" data-empty-chart="trend">
          {t('trendEmpty')}
        </p>
      ) : null}
      <h2>{t('responseTimes')}</h2>
      <MonthBars
        months={names}
        series={[
          { className: 'acknowledge', values: acknowledge },
          { className: 'repair', values: repair },
        ]}
        label={t('responseTimes')}
        name="response-times"
      />
      <p className="legend">
        <span>
          <i style={{ background: 'var(--news)' }} />
          {t('mtta')}
        </span>
        <span>
          <i style={{ background: 'var(--warn-fill)' }} />
          {t('mttr')}
        </span>
      </p>
      {[...acknowledge, ...repair].every((value) => value === null || value === 0) ? (
        <p className="muted" data-empty-chart="response-times">
          {t('responseTimesEmpty')}
        </p>
      ) : null}
      <div className="table-box">
        <table className="figures-table">
          <thead>
            <tr>
              <th />
              {months.map((entry) => (
                <th key={entry.month}>{month(entry.month, true)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th>{t('faultsOpened')}</th>
              {months.map((entry) => (
                <td key={entry.month}>{entry.faultsOpened}</td>
              ))}
            </tr>
            <tr>
              <th>{t('mtta')}</th>
              {months.map((entry) => (
                <td key={entry.month}>{hours(entry.meanHoursToAcknowledge)}</td>
              ))}
            </tr>
            <tr>
              <th>{t('mttr')}</th>
              {months.map((entry) => (
                <td key={entry.month}>{hours(entry.meanHoursToRepair)}</td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </section>
  );
}
