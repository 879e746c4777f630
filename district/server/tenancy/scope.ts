// Tenancy: every station (and through it its faults, events, loans, consumables and availability),
// every device, user, audit row and calendar setting belongs to one district; districts belong to a
// province. A Scope says which districts a query may see; `scopeCondition` is the one WHERE clause
// builder every repository uses, so a district user's query never reaches another district's rows.
// A district that runs its own server is the single DEFAULT_DISTRICT (migrations 401-403).
import type { Scope } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';

export type { Scope } from '../../dash-api';

/** The district every single-district database migrated into, and where new rows go by default. */
export const DEFAULT_DISTRICT = 'default';

/** Every district: the command line and the intake (which act for the whole service). */
export const NATIONAL: Scope = { level: 'national' };

export const districtScope = (code: string): Scope => ({ level: 'district', code });

/**
 * ` AND <districtColumn> ...` restricting rows to the scope, its parameter appended to `params`
 * (so call it after the query's other parameters are in, before a page clause). Undefined and
 * national restrict nothing.
 */
export function scopeCondition(scope: Scope | undefined, districtColumn: string, params: SqlValue[]): string {
  if (scope === undefined || scope.level === 'national') {
    return '';
  }
  params.push(scope.code);
  return scope.level === 'district'
    ? ` AND ${districtColumn} = $${params.length}`
    : ` AND ${districtColumn} IN (SELECT code FROM districts WHERE province_code = $${params.length})`;
}

/** The one district a scope names, or null when it spans several (a province, the nation). */
export function singleDistrict(scope: Scope | undefined): string | null {
  return scope === undefined ? DEFAULT_DISTRICT : scope.level === 'district' ? scope.code : null;
}

/** Whether `inner` (a district) lies within `outer`. */
export async function districtWithin(db: Db, districtCode: string, outer: Scope): Promise<boolean> {
  const params: SqlValue[] = [districtCode];
  const rows = await db.query(
    `SELECT code FROM districts WHERE code = $1${scopeCondition(outer, 'code', params)}`,
    params,
  );
  return rows.length > 0;
}

/** The district of a station, device, loan or escalation letter, or null when there is none such (path and body ids). */
export async function districtOfId(
  db: Db,
  kind: 'station' | 'device' | 'loan' | 'letter',
  id: string,
): Promise<string | null> {
  const sql = {
    station: 'SELECT district_code FROM stations WHERE id = $1',
    device: 'SELECT district_code FROM devices WHERE id = $1',
    loan: 'SELECT d.district_code FROM loans l JOIN devices d ON d.id = l.device_id WHERE l.id = $1',
    letter: 'SELECT district_code FROM escalation_letters WHERE id = $1',
  }[kind];
  const [row] = await db.query<{ district_code: string }>(sql, [id]);
  return row?.district_code ?? null;
}

/**
 * Whether `scope` holds every district of the service (the default district counts only once it has
 * stations, as in the views): what a setting shared by all districts needs before a user may change it.
 */
export async function scopeCoversService(db: Db, scope: Scope): Promise<boolean> {
  if (scope.level === 'national') {
    return true;
  }
  const params: SqlValue[] = [scope.code];
  const outside = await db.query(
    `SELECT code FROM districts
     WHERE (code <> '${DEFAULT_DISTRICT}' OR EXISTS (SELECT 1 FROM stations WHERE district_code = '${DEFAULT_DISTRICT}'))
       AND ${scope.level === 'district' ? 'code <> $1' : 'province_code <> $1'}
     LIMIT 1`,
    params,
  );
  return outside.length === 0;
}
