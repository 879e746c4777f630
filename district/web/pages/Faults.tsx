import { useState } from 'react';
import { useTranslator } from '../language';
import type { Fault } from '../types';
import { useApi } from '../use-api';
import { deviceName, faultLink } from './fault-format';

export function FaultsPage() {
  const { t, time, age, language } = useTranslator();
  const [filter, setFilter] = useState<'active' | 'all'>('active');
  const faults = useApi<Fault[]>(`/api/dash/faults?state=${filter}`, 30_000);
  return (
    <section>
      <div className="toolbar">
        <button className={filter === 'active' ? 'selected' : ''} onClick={() => setFilter('active')}>
          {t('filterActive')}
        </button>
        <button className={filter === 'all' ? 'selected' : ''} onClick={() => setFilter('all')}>
          {t('filterAll')}
        </button>
        <a className="button" href="/api/dash/export/faults.csv" download>
          {t('exportCsv')}
        </a>
      </div>
      {faults.data === null ? (
        <p>{faults.error ?? t('loading')}</p>
      ) : faults.data.length === 0 ? (
        <p>{t('noFaults')}</p>
      ) : (
        <table className="faults">
          <thead>
            <tr>
              <th>{t('age')}</th>
              <th>{t('station')}</th>
              <th>{t('device')}</th>
              <th>{t('openFaults')}</th>
              <th>{t('severity')}</th>
              <th>{t('state')}</th>
              <th>{t('assignee')}</th>
            </tr>
          </thead>
          <tbody>
            {faults.data.map((fault) => (
              <tr key={`${fault.stationId}/${fault.faultId}`} data-fault={fault.faultId}>
                <td title={time(fault.firstSeen)}>{age(fault.ageHours)}</td>
                <td>
                  {fault.kecamatan} / {fault.stationName}
                </td>
                <td>{deviceName(fault, t)}</td>
                <td>
                  <a href={faultLink(fault)}>{fault.message[language]}</a>
                  <div className="muted small">{fault.code}</div>
                  {fault.flapping ? <span className="tag">{t('flapping')}</span> : null}
                  {fault.recurring ? <span className="tag">{t('recurring')}</span> : null}
                  {fault.reopenCount > 0 ? (
                    <span className="tag">
                      {t('reopened')} ×{fault.reopenCount}
                    </span>
                  ) : null}
                </td>
                <td className={`severity-${fault.severity}`}>{t(`severity.${fault.severity}`)}</td>
                <td>
                  <span className={`state state-${fault.state}`}>{t(`state.${fault.state}`)}</span>
                </td>
                <td>{fault.assignee ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
