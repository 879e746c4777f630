import { useState } from 'react';
import type { FaultView } from '../../dash-api';
import { DataTable, Loaded, PageLinks, pageRows, usePaging } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';
import { FaultTags } from './FaultTags';
import { deviceName, faultLink, faultTone } from './fault-format';

export function FaultsPage() {
  const { t, time, age, language } = useTranslator();
  const [filter, setFilter] = useState<'active' | 'all'>('active');
  const paging = usePaging();
  const faults = useApi<FaultView[]>(`/api/dash/faults?state=${filter}&${paging.query}`, 30_000);
  const choose = (next: 'active' | 'all') => {
    setFilter(next);
    paging.setOffset(0);
  };
  return (
    <section>
      <div className="toolbar">
        <button className={filter === 'active' ? 'selected' : ''} onClick={() => choose('active')}>
          {t('filterActive')}
        </button>
        <button className={filter === 'all' ? 'selected' : ''} onClick={() => choose('all')}>
          {t('filterAll')}
        </button>
        <a className="button" href="/api/dash/export/faults.csv" download>
          {t('exportCsv')}
        </a>
      </div>
      <Loaded resource={faults}>
        {(list) =>
          list.length === 0 ? (
            <p>{t('noFaults')}</p>
          ) : (
            <>
            <DataTable
              className="faults"
              headings={['age', 'station', 'device', 'openFaults', 'severity', 'state', 'assignee']}
            >
              {pageRows(paging, list).map((fault) => (
                <tr
                  key={`${fault.stationId}/${fault.faultId}`}
                  data-fault={fault.faultId}
                  className={`tone-${faultTone(fault) || 'none'}`}
                >
                  <td title={time(fault.firstSeen)}>{age(fault.ageHours)}</td>
                  <td>
                    {fault.kecamatan} / {fault.stationName}
                  </td>
                  <td>{deviceName(fault, t)}</td>
                  <td>
                    <a href={faultLink(fault)}>{fault.message[language]}</a>
                    <div className="muted small">{fault.code}</div>
                    <FaultTags fault={fault} />
                  </td>
                  <td className={`severity-${fault.severity}`}>{t.word('severity', fault.severity)}</td>
                  <td>
                    <span className={`state state-${fault.state} ${faultTone(fault)}`}>
                      {t(`state.${fault.state}`)}
                    </span>
                  </td>
                  <td>{fault.assignee ?? '—'}</td>
                </tr>
              ))}
            </DataTable>
              <PageLinks paging={paging} received={list.length} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}
