import { useTranslator } from '../language';
import type { AuditEntry } from '../types';
import { useApi } from '../use-api';

export function AuditPage() {
  const { t, time } = useTranslator();
  const entries = useApi<AuditEntry[]>('/api/dash/audit');
  if (entries.data === null) {
    return <p>{entries.error ?? t('loading')}</p>;
  }
  return (
    <table className="audit">
      <thead>
        <tr>
          <th>{t('at')}</th>
          <th>{t('user')}</th>
          <th>{t('action')}</th>
          <th>{t('target')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {entries.data.map((entry) => (
          <tr key={entry.id}>
            <td>{time(entry.at)}</td>
            <td>{entry.username ?? '—'}</td>
            <td>{entry.action}</td>
            <td>{entry.target}</td>
            <td className="muted small">{JSON.stringify(entry.detail)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
