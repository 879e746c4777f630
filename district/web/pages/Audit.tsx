import type { AuditEntry } from '../../dash-api';
import { DataTable, Pending } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

export function AuditPage() {
  const { time } = useTranslator();
  const entries = useApi<AuditEntry[]>('/api/dash/audit');
  if (entries.data === null) {
    return <Pending resource={entries} />;
  }
  return (
    <DataTable className="audit" headings={['at', 'user', 'action', 'target', '']}>
      {entries.data.map((entry) => (
        <tr key={entry.id}>
          <td>{time(entry.at)}</td>
          <td>{entry.username ?? '—'}</td>
          <td>{entry.action}</td>
          <td>{entry.target}</td>
          <td className="muted small">{JSON.stringify(entry.detail)}</td>
        </tr>
      ))}
    </DataTable>
  );
}
