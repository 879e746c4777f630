import type { AuditEntry } from '../../dash-api';
import { DataTable, PageLinks, pageRows, Pending, usePaging } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

export function AuditPage() {
  const { time } = useTranslator();
  const paging = usePaging();
  const entries = useApi<AuditEntry[]>(`/api/dash/audit?${paging.query}`);
  if (entries.data === null) {
    return <Pending resource={entries} />;
  }
  return (
    <>
      <DataTable className="audit" headings={['at', 'user', 'action', 'target', '']}>
        {pageRows(paging, entries.data).map((entry) => (
          <tr key={entry.id}>
            <td>{time(entry.at)}</td>
            <td>{entry.username ?? '—'}</td>
            <td>{entry.action}</td>
            <td>{entry.target}</td>
            <td className="muted small">{JSON.stringify(entry.detail)}</td>
          </tr>
        ))}
      </DataTable>
      <PageLinks paging={paging} received={entries.data.length} />
    </>
  );
}
