// The audit log: one row for every change made through the dashboard (who, what, when, from where).
import { DEFAULT_PAGE_SIZE } from '../../dash-api';
import type { AuditEntry, Page, User } from '../../dash-api';
import { StaffRoleSchema } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import type { Scope } from '../tenancy/scope';
import { DEFAULT_DISTRICT, scopeCondition } from '../tenancy/scope';
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
    /** The district the change was made in (null: a province's or the nation's own change). */
    district?: string | null;
  },
): Promise<void> {
  await db.run(
    `INSERT INTO audit_log (id, at, user_id, username, action, target, detail, ip, district_code)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      newId(entry.nowMs),
      new Date(entry.nowMs).toISOString(),
      entry.user?.id ?? null,
      entry.user?.username ?? null,
      entry.action,
      entry.target,
      JSON.stringify(entry.detail ?? {}),
      entry.ip ?? null,
      entry.district === undefined ? DEFAULT_DISTRICT : entry.district,
    ],
  );
}

/** Newest first, a page at a time (default: the newest DEFAULT_PAGE_SIZE). */
export async function listAudit(
  db: Db,
  page: Page = { limit: DEFAULT_PAGE_SIZE, offset: 0 },
  scope?: Scope,
): Promise<AuditEntry[]> {
  const params: SqlValue[] = [page.limit, page.offset];
  const inScope = scopeCondition(scope, 'district_code', params);
  const rows = await db.query<{
    id: string;
    at: string;
    username: string | null;
    action: string;
    target: string;
    detail: string;
    ip: string | null;
  }>(
    `SELECT id, at, username, action, target, detail, ip FROM audit_log WHERE 1 = 1${inScope}
     ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2`,
    params,
  );
  const entries = rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as unknown }));
  return describeAudit(db, entries);
}

/**
 * Adds what a sentence needs instead of ids: the staff member's name and role, and for an action on
 * a fault or a loan the station's name and kecamatan (and the fault's device role).
 */
async function describeAudit(db: Db, entries: AuditEntry[]): Promise<AuditEntry[]> {
  const users = new Map(
    (
      await db.query<{ username: string; name: string; role: string }>(
        'SELECT username, name, role FROM users',
      )
    ).map((user) => [user.username, user]),
  );
  const stations = new Map(
    (
      await db.query<{ id: string; name: string; kecamatan: string }>(
        'SELECT id, name, kecamatan FROM stations',
      )
    ).map((station) => [station.id, { name: station.name, kecamatan: station.kecamatan }]),
  );
  const described: AuditEntry[] = [];
  for (const entry of entries) {
    const user = entry.username === null ? undefined : users.get(entry.username);
    const role = StaffRoleSchema.safeParse(user?.role);
    let stationId: string | null = null;
    let faultRole: string | null = null;
    if (entry.action.startsWith('fault.')) {
      const slash = entry.target.indexOf('/');
      stationId = entry.target.slice(0, slash);
      const [fault] = await db.query<{ role: string }>(
        'SELECT role FROM faults WHERE station_id = $1 AND fault_id = $2',
        [stationId, entry.target.slice(slash + 1)],
      );
      faultRole = fault?.role ?? null;
    } else if (entry.action === 'inventory.loan-created' || entry.action === 'inventory.loan-returned') {
      const [loan] = await db.query<{ to_station_id: string }>(
        'SELECT to_station_id FROM loans WHERE id = $1',
        [entry.target],
      );
      stationId = loan?.to_station_id ?? null;
    }
    described.push({
      ...entry,
      actorName: user?.name ?? null,
      actorRole: role.success ? role.data : null,
      station: stationId === null ? null : (stations.get(stationId) ?? null),
      faultRole,
    });
  }
  return described;
}
