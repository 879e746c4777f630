// The audit log: one row for every change made through the dashboard (who, what, when, from where).
import { DEFAULT_PAGE_SIZE } from '../../dash-api';
import type { AuditEntry, Page, User } from '../../dash-api';
import type { Db } from '../db/types';
import { newId } from '../db/ids';

export type { AuditEntry } from '../../dash-api';

export async function audit(
  db: Db,
  entry: {
    nowMs: number;
    user: User | null;
    action: string;
    target: string;
    detail?: unknown;
    ip?: string | null;
  },
): Promise<void> {
  await db.run(
    'INSERT INTO audit_log (id, at, user_id, username, action, target, detail, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [
      newId(entry.nowMs),
      new Date(entry.nowMs).toISOString(),
      entry.user?.id ?? null,
      entry.user?.username ?? null,
      entry.action,
      entry.target,
      JSON.stringify(entry.detail ?? {}),
      entry.ip ?? null,
    ],
  );
}

/** Newest first, a page at a time (default: the newest DEFAULT_PAGE_SIZE). */
export async function listAudit(
  db: Db,
  page: Page = { limit: DEFAULT_PAGE_SIZE, offset: 0 },
): Promise<AuditEntry[]> {
  const rows = await db.query<{
    id: string;
    at: string;
    username: string | null;
    action: string;
    target: string;
    detail: string;
    ip: string | null;
  }>(
    'SELECT id, at, username, action, target, detail, ip FROM audit_log ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2',
    [page.limit, page.offset],
  );
  return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as unknown }));
}
