// Availability per kecamatan (hours no station could record), its trend, and mean times to
// acknowledge and repair. Charts are plain SVG.
import type { Figures } from '../../dash-api';
import { Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

function HoursBars({ values }: { values: [string, number][] }) {
  const { t } = useTranslator();
  const max = Math.max(1, ...values.map(([, hours]) => hours));
  const rowHeight = 26;
  return (
    <svg
      className="chart"
      width="640"
      height={values.length * rowHeight + 10}
      role="img"
      aria-label={t('hoursUnable')}
    >
      {values.map(([name, hours], index) => (
        <g key={name} transform={`translate(0, ${index * rowHeight + 5})`}>
          <text x="150" y="16" textAnchor="end" className="label">
            {name}
          </text>
          <rect
            x="160"
            y="3"
            height="16"
            width={(hours / max) * 400}
            className={hours > 0 ? 'bar bad' : 'bar'}
          />
          <text x={166 + (hours / max) * 400} y="16" className="value">
            {hours} {t('hours')}
          </text>
        </g>
      ))}
    </svg>
  );
}

function Trend({ figures }: { figures: Figures }) {
  const { t } = useTranslator();
  const totals = figures.months.map((month) =>
    Object.values(month.hoursUnable).reduce((sum, hours) => sum + hours, 0),
  );
  const max = Math.max(1, ...totals);
  const width = 80;
  return (
    <svg
      className="chart"
      width={figures.months.length * width + 20}
      height="180"
      role="img"
      aria-label={t('trend')}
    >
      {figures.months.map((month, index) => {
        const height = (totals[index] / max) * 120;
        return (
          <g key={month.month} transform={`translate(${index * width + 10}, 0)`}>
            <rect x="15" y={140 - height} width="40" height={height} className="bar bad" />
            <text x="35" y={135 - height} textAnchor="middle" className="value">
              {Math.round(totals[index])}
            </text>
            <text x="35" y="160" textAnchor="middle" className="label">
              {month.month}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export function FiguresPage() {
  const { t } = useTranslator();
  const figures = useApi<Figures>('/api/dash/figures?months=6');
  if (figures.data === null) {
    return <Pending resource={figures} />;
  }
  const current = figures.data.months[figures.data.months.length - 1];
  const hours = (value: number | null): string => (value === null ? '—' : `${value} ${t('hours')}`);
  return (
    <section>
      <div className="toolbar">
        <a className="button" href="/api/dash/export/availability.csv" download>
          {t('exportCsv')} ({t('hoursUnable')})
        </a>
        <a className="button" href="/api/dash/export/faults.csv" download>
          {t('exportCsv')} ({t('navFaults')})
        </a>
      </div>
      <h2>
        {t('hoursUnable')} — {t('thisMonth')} ({current.month})
      </h2>
      <HoursBars values={figures.data.kecamatan.map((name) => [name, current.hoursUnable[name] ?? 0])} />
      <h2>{t('trend')}</h2>
      <Trend figures={figures.data} />
      <table>
        <thead>
          <tr>
            <th />
            {figures.data.months.map((month) => (
              <th key={month.month}>{month.month}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>{t('faultsOpened')}</th>
            {figures.data.months.map((month) => (
              <td key={month.month}>{month.faultsOpened}</td>
            ))}
          </tr>
          <tr>
            <th>{t('mtta')}</th>
            {figures.data.months.map((month) => (
              <td key={month.month}>{hours(month.meanHoursToAcknowledge)}</td>
            ))}
          </tr>
          <tr>
            <th>{t('mttr')}</th>
            {figures.data.months.map((month) => (
              <td key={month.month}>{hours(month.meanHoursToRepair)}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}
