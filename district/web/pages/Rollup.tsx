// The national view (every province) and a province's view (its districts): how many kecamatan can
// record now, open faults and the oldest, availability this month, blank cards running out; then
// the oldest open faults and the districts waiting longest. A province opens its own view, a
// district its board (#/kabupaten/CODE). One request, figures aggregated by the server.
import type { AreaRollup, Rollup } from '../../dash-api';
import { Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

const REFRESH_MS = 60_000;

function areaLink(rollup: Rollup, area: AreaRollup): string {
  return rollup.level === 'national'
    ? `#/provinsi/${encodeURIComponent(area.code)}`
    : `#/kabupaten/${encodeURIComponent(area.code)}`;
}

function Area({ rollup, area }: { rollup: Rollup; area: AreaRollup }) {
  const { t, age } = useTranslator();
  const trouble = area.cannotRecord > 0 ? 'bad' : area.noNews > 0 ? 'warn' : 'good';
  const oldestHours =
    area.oldestFaultAt === null ? null : (Date.parse(rollup.generatedAt) - Date.parse(area.oldestFaultAt)) / 3_600_000;
  return (
    <li className={`area ${trouble}`} data-area={area.code}>
      <a href={areaLink(rollup, area)}>
        <strong>{area.name || area.code}</strong>
      </a>{' '}
      <span className="muted">
        {area.timeZone ?? ''} · {t('rollupStations', { count: area.stations })}
      </span>
      <div className="area-figures">
        <span className="good-text">
          {area.canRecord}/{area.kecamatan} {t('rollupCanRecord')}
        </span>
        {area.cannotRecord > 0 ? (
          <span className="bad-text">
            {' '}
            · {area.cannotRecord} {t('rollupCannot')}
          </span>
        ) : null}
        {area.noNews > 0 ? (
          <span className="warn-text">
            {' '}
            · {area.noNews} {t('rollupNoNews')}
          </span>
        ) : null}
        {area.closed > 0 ? (
          <span className="muted">
            {' '}
            · {area.closed} {t('rollupClosed')}
          </span>
        ) : null}
      </div>
      <div className="area-figures muted">
        {t('rollupFaults')}: {area.openFaults}
        {oldestHours === null ? '' : ` (${t('rollupOldestSince')} ${age(oldestHours)})`} · {t('rollupAvailability')}:{' '}
        {area.availabilityPercent === null ? '—' : `${area.availabilityPercent}%`}
        {area.consumablesLow > 0 ? ` · ${t('rollupConsumables')}: ${area.consumablesLow}` : ''}
      </div>
    </li>
  );
}

export function RollupPage({ province }: { province: string | null }) {
  const { t, age } = useTranslator();
  const rollup = useApi<Rollup>(
    province === null ? '/api/dash/rollup' : `/api/dash/rollup?province=${encodeURIComponent(province)}`,
    REFRESH_MS,
  );
  if (rollup.data === null) {
    return <Pending resource={rollup} />;
  }
  const view = rollup.data;
  return (
    <section className="rollup">
      {view.level === 'province' && province !== null ? (
        <a href="#/nasional" className="back">
          {t('rollupBack')}
        </a>
      ) : null}
      <h2>{view.level === 'national' ? t('rollupNational') : view.name}</h2>
      <p className="summary">
        {t('rollupSummary', { canRecord: view.totals.canRecord, total: view.totals.kecamatan })}
      </p>
      <ul className="areas">
        {view.areas.map((area) => (
          <Area key={area.code} rollup={view} area={area} />
        ))}
      </ul>
      <h3>{t('rollupOldestFaults')}</h3>
      {view.oldestFaults.length === 0 ? <p>{t('rollupNone')}</p> : null}
      <ol className="oldest">
        {view.oldestFaults.map((fault) => (
          <li key={`${fault.stationId}/${fault.faultId}`}>
            <a href={`#/kabupaten/${encodeURIComponent(fault.districtCode)}`}>{fault.districtName}</a> · Kec.{' '}
            {fault.kecamatan} · {fault.stationName} · {t.word('role', fault.role)} ({fault.code}) ·{' '}
            {age(fault.ageHours)}
          </li>
        ))}
      </ol>
      <h3>{t('rollupWaiting')}</h3>
      <ol className="waiting">
        {view.longestWaiting.map((district) => (
          <li key={district.code}>
            <a href={`#/kabupaten/${encodeURIComponent(district.code)}`}>{district.name}</a> —{' '}
            {t('rollupWaitingLine', { count: district.openFaults, age: age(district.oldestAgeHours) })}
          </li>
        ))}
      </ol>
    </section>
  );
}
