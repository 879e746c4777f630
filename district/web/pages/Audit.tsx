// The audit log (admin): every change made through the dashboard, newest first, as sentences.
import type { AuditEntry } from '../../dash-api';
import { auditSentence } from '../audit-sentence';
import { PageLinks, pageRows, Pending, usePaging } from '../data-table';
import { useTranslator } from '../language';
import { useApi } from '../use-api';

export function AuditPage() {
  const { t, time } = useTranslator();
  const paging = usePaging();
  const entries = useApi<AuditEntry[]>(`/api/dash/audit?${paging.query}`);
  if (entries.data === null) {
    return <Pending resource={entries} />;
  }
  return (
    <>
      <ol className="audit-log">
        {pageRows(paging, entries.data).map((entry) => (
          <li key={entry.id} data-action={entry.action}>
            {auditSentence(entry, t)}, <span className="muted">{time(entry.at)}</span>
          </li>
        ))}
      </ol>
      <PageLinks paging={paging} received={entries.data.length} />
    </>
  );
}
