// The `faults` table: its one row type, the mappers from a row to what the dashboard, the command
// line and a station's reply show, and every query that reads or writes it. The station opens,
// updates and resolves a fault (intake); staff move it through lifecycle.ts; both write here.
import type { FaultEvent } from '../../../protocol/events';
import type { DistrictFault } from '../../../protocol/requests';
import { MAX_DISTRICT_FAULTS_PER_REPLY } from '../../../protocol/requests';
import { blocks, isUsable } from '../../../protocol/rules';
import type { Role, Status, Text } from '../../../protocol/verdict';
import { clipText } from '../../dash-api';
import type { FaultDevice, FaultHeading, FaultState, FaultView, Page } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import { pageClause } from '../db/types';
import type { Scope } from '../tenancy/scope';
import { scopeCondition } from '../tenancy/scope';

export const FAULT_STATES = [
  'open',
  'acknowledged',
  'in-repair',
  'resolved',
  'closed',
] as const satisfies readonly FaultState[];
/** States in which a fault still stops or degrades work at the station. */
export const ACTIVE_STATES: readonly FaultState[] = ['open', 'acknowledged', 'in-repair'];
/** ACTIVE_STATES as an SQL list: `('open', 'acknowledged', 'in-repair')`. */
export const ACTIVE_STATES_SQL = `(${ACTIVE_STATES.map((state) => `'${state}'`).join(', ')})`;

/** A row of `faults` (migrations 1 and 102). Integers may come back as strings (PostgreSQL). */
export interface FaultRow {
  station_id: string;
  fault_id: string;
  role: string;
  device_key: string | null;
  device_serial: string | null;
  /** FaultDevice as JSON. */
  device: string | null;
  code: string;
  severity: string;
  status: string;
  state: FaultState;
  /** Text as JSON. */
  message: string;
  first_seen: string;
  last_seen: string;
  occurrences: number | string;
  flapping: number | string;
  recurring: number | string;
  opened_at: string;
  resolved_at: string | null;
  last_event_id: string;
  last_seq: number | string;
  updated_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  assignee: string | null;
  repair_note: string | null;
  closed_at: string | null;
  closed_by: string | null;
  reopen_count: number | string | null;
}

/** A fault row joined with its station. */
export interface StationFaultRow extends FaultRow {
  station_name: string;
  kecamatan: string;
}

const WITH_STATION = `SELECT f.*, s.name AS station_name, s.kecamatan FROM faults f JOIN stations s ON s.id = f.station_id`;

export function toFaultHeading(row: StationFaultRow): FaultHeading {
  return {
    stationId: row.station_id,
    stationName: row.station_name,
    kecamatan: row.kecamatan,
    faultId: row.fault_id,
    role: row.role,
    code: row.code,
    severity: row.severity,
  };
}

export function toFaultView(row: StationFaultRow, nowMs: number): FaultView {
  const state = row.state;
  const endMs =
    row.resolved_at !== null && (state === 'resolved' || state === 'closed')
      ? Date.parse(row.resolved_at)
      : nowMs;
  return {
    ...toFaultHeading(row),
    state,
    message: JSON.parse(row.message) as Text,
    device: row.device === null ? null : (JSON.parse(row.device) as FaultDevice),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    resolvedAt: row.resolved_at,
    occurrences: Number(row.occurrences),
    flapping: Number(row.flapping) === 1,
    recurring: Number(row.recurring) === 1,
    reopenCount: Number(row.reopen_count ?? 0),
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    assignee: row.assignee,
    repairNote: row.repair_note,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    ageHours: Math.max(0, (endMs - Date.parse(row.first_seen)) / 3_600_000),
  };
}

// ---- Reading ----

/** `active`: open, acknowledged or in repair; `all`: everything; or one state. Oldest first. */
export async function findFaults(
  db: Db,
  nowMs: number,
  filter: { state?: FaultState | 'active' | 'all'; stationId?: string; scope?: Scope } = {},
  page?: Page,
): Promise<FaultView[]> {
  const state = filter.state ?? 'active';
  const params: SqlValue[] = [state, filter.stationId ?? ''];
  const inScope = scopeCondition(filter.scope, 's.district_code', params);
  const paged = pageClause(page, params);
  const rows = await db.query<StationFaultRow>(
    `${WITH_STATION} WHERE ($1 = 'all' OR ($1 = 'active' AND f.state IN ${ACTIVE_STATES_SQL}) OR f.state = $1)
       AND ($2 = '' OR f.station_id = $2)${inScope}
     ORDER BY f.first_seen, f.station_id, f.fault_id${paged.sql}`,
    paged.params,
  );
  return rows.map((row) => toFaultView(row, nowMs));
}

/** A fault as lists and the board show it: its free texts cut to LISTED_TEXT_MAX (the fault page shows them whole). */
export function listedFault(fault: FaultView): FaultView {
  return {
    ...fault,
    message: { id: clipText(fault.message.id), en: clipText(fault.message.en) },
    repairNote: fault.repairNote === null ? null : clipText(fault.repairNote),
  };
}

/** Every active fault of every station in the scope (default: all), oldest first (the board). */
export async function activeFaults(db: Db, nowMs: number, scope?: Scope): Promise<FaultView[]> {
  const params: SqlValue[] = [];
  const rows = await db.query<StationFaultRow>(
    `${WITH_STATION} WHERE f.state IN ${ACTIVE_STATES_SQL}${scopeCondition(scope, 's.district_code', params)} ORDER BY f.first_seen`,
    params,
  );
  return rows.map((row) => toFaultView(row, nowMs));
}

export async function findFault(
  db: Db,
  stationId: string,
  faultId: string,
  nowMs: number,
): Promise<FaultView | null> {
  const [row] = await db.query<StationFaultRow>(
    `${WITH_STATION} WHERE f.station_id = $1 AND f.fault_id = $2`,
    [stationId, faultId],
  );
  return row === undefined ? null : toFaultView(row, nowMs);
}

/** The fault's state, or null when the district holds no such fault. */
export async function faultState(db: Db, stationId: string, faultId: string): Promise<FaultState | null> {
  const [row] = await db.query<Pick<FaultRow, 'state'>>(
    'SELECT state FROM faults WHERE station_id = $1 AND fault_id = $2',
    [stationId, faultId],
  );
  return row?.state ?? null;
}

/**
 * Whether the fault stops the station recording (protocol/rules.ts): active, of a role that blocks
 * recording, and its status not usable (a warning such as a replaced unit does not stop it).
 */
export function stopsRecording(fault: Pick<FaultRow, 'role' | 'status' | 'state'>): boolean {
  return (
    ACTIVE_STATES.includes(fault.state) &&
    blocks(fault.role as Role) === 'recording' &&
    !isUsable(fault.status as Status)
  );
}

/** Whether the district's fault stops recording at its station; false when there is no such fault. */
export async function faultStopsRecording(db: Db, stationId: string, faultId: string): Promise<boolean> {
  const [row] = await db.query<Pick<FaultRow, 'role' | 'status' | 'state'>>(
    'SELECT role, status, state FROM faults WHERE station_id = $1 AND fault_id = $2',
    [stationId, faultId],
  );
  return row !== undefined && stopsRecording(row);
}

/** A fault as `siaga-district faults` lists it. */
export interface FaultListing extends FaultHeading {
  state: string;
  deviceKey: string | null;
  deviceSerial: string | null;
  messageId: string;
  firstSeen: string;
  lastSeen: string;
  occurrences: number;
  flapping: boolean;
  recurring: boolean;
  resolvedAt: string | null;
}

/** Faults across stations for the command line: open ones first, oldest first. `state` filters (e.g. 'open'). */
export async function listFaults(db: Db, options: { state?: string } = {}): Promise<FaultListing[]> {
  const rows = await db.query<StationFaultRow>(
    `${WITH_STATION}
     WHERE ($1 = '' OR f.state = $1)
     ORDER BY CASE WHEN f.state = 'resolved' THEN 1 ELSE 0 END, f.opened_at, f.station_id, f.fault_id`,
    [options.state ?? ''],
  );
  return rows.map((row) => ({
    ...toFaultHeading(row),
    state: row.state,
    deviceKey: row.device_key,
    deviceSerial: row.device_serial,
    messageId: (JSON.parse(row.message) as Text).id,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    occurrences: Number(row.occurrences),
    flapping: Number(row.flapping) === 1,
    recurring: Number(row.recurring) === 1,
    resolvedAt: row.resolved_at,
  }));
}

/** Resolved faults are repeated this long after resolution, closed ones this long after closing. */
const RESOLVED_REPEAT_MS = 7 * 24 * 60 * 60_000;
const CLOSED_REPEAT_MS = 24 * 60 * 60_000;

type ReplyFaultRow = Pick<
  FaultRow,
  | 'fault_id'
  | 'state'
  | 'acknowledged_by'
  | 'assignee'
  | 'repair_note'
  | 'updated_at'
  | 'acknowledged_at'
  | 'closed_at'
> & { acknowledged_name: string | null; history_at: string | null };

/**
 * The district's state of a station's faults that the station should show (its events reply): not
 * closed (resolved for a week), or closed in the last day; active ones first, then the most
 * recently changed. The whole current state every time, so a lost reply is made good by the next one.
 */
export async function districtFaults(db: Db, stationId: string, nowMs: number): Promise<DistrictFault[]> {
  const rows = await db.query<ReplyFaultRow>(
    `SELECT f.fault_id, f.state, f.acknowledged_by, u.name AS acknowledged_name, f.assignee, f.repair_note,
       f.updated_at, f.acknowledged_at, f.closed_at,
       (SELECT MAX(h.at) FROM fault_history h WHERE h.station_id = f.station_id AND h.fault_id = f.fault_id) AS history_at
     FROM faults f LEFT JOIN users u ON u.username = f.acknowledged_by
     WHERE f.station_id = $1
       AND (f.state IN ${ACTIVE_STATES_SQL}
         OR (f.state = 'resolved' AND f.resolved_at >= $2)
         OR (f.state = 'closed' AND f.closed_at >= $3))
     ORDER BY CASE WHEN f.state IN ${ACTIVE_STATES_SQL} THEN 0 ELSE 1 END, f.updated_at DESC
     LIMIT ${MAX_DISTRICT_FAULTS_PER_REPLY}`,
    [
      stationId,
      new Date(nowMs - RESOLVED_REPEAT_MS).toISOString(),
      new Date(nowMs - CLOSED_REPEAT_MS).toISOString(),
    ],
  );
  return rows.map((row) => {
    const changes = [row.updated_at, row.acknowledged_at, row.closed_at, row.history_at].filter(
      (value): value is string => value !== null,
    );
    const fault: DistrictFault = {
      faultId: row.fault_id,
      state: row.state,
      updatedAt: changes.reduce((latest, value) => (value > latest ? value : latest)),
    };
    const acknowledgedBy = row.acknowledged_name ?? row.acknowledged_by;
    if (acknowledgedBy !== null) {
      fault.acknowledgedBy = acknowledgedBy.slice(0, 200);
    }
    if (row.assignee !== null) {
      fault.assignee = row.assignee.slice(0, 200);
    }
    if (row.repair_note !== null && row.repair_note !== '') {
      fault.note = row.repair_note.slice(0, 2000);
    }
    return fault;
  });
}

/** Faults first seen in [fromIso, toIso): how many, and mean hours to acknowledge and to repair (null without any). */
export async function faultTimes(
  db: Db,
  fromIso: string,
  toIso: string,
  scope?: Scope,
): Promise<{ opened: number; meanHoursToAcknowledge: number | null; meanHoursToRepair: number | null }> {
  const params: SqlValue[] = [fromIso, toIso];
  const inScope = scopeCondition(scope, 'district_code', params);
  const [times] = await db.query<{
    opened: number | string;
    acknowledged: number | string | null;
    repaired: number | string | null;
  }>(
    `SELECT COUNT(*) AS opened,
       AVG(CASE WHEN acknowledged_at IS NOT NULL THEN ${hoursBetween(db, 'first_seen', 'acknowledged_at')} END) AS acknowledged,
       AVG(CASE WHEN resolved_at IS NOT NULL THEN ${hoursBetween(db, 'first_seen', 'resolved_at')} END) AS repaired
     FROM faults WHERE first_seen >= $1 AND first_seen < $2
       AND station_id IN (SELECT id FROM stations WHERE 1 = 1${inScope})`,
    params,
  );
  return {
    opened: Number(times.opened),
    meanHoursToAcknowledge: times.acknowledged === null ? null : Number(times.acknowledged),
    meanHoursToRepair: times.repaired === null ? null : Number(times.repaired),
  };
}

/** Hours between two ISO-8601 TEXT columns: the one expression that differs between the engines. */
export function hoursBetween(db: Db, fromColumn: string, toColumn: string): string {
  return db.dialect === 'postgres'
    ? `EXTRACT(EPOCH FROM (${toColumn}::timestamptz - ${fromColumn}::timestamptz)) / 3600.0`
    : `(julianday(${toColumn}) - julianday(${fromColumn})) * 24.0`;
}

// ---- Writing: the station's side ----

/**
 * Stores a station's fault event as the fault's current state. A late, older event (lower seq)
 * never overwrites a newer state. A station's update reopens a resolved fault but leaves any
 * district-side state (the dashboard's acknowledged, in repair) alone.
 */
export async function recordStationFault(
  db: Db,
  stationId: string,
  event: FaultEvent,
  receivedAt: string,
): Promise<void> {
  const fault = event.payload;
  const resolved = event.type === 'fault.resolved';
  await db.run(
    `INSERT INTO faults (station_id, fault_id, role, device_key, device_serial, device, code, severity, status, state,
       message, first_seen, last_seen, occurrences, flapping, recurring, opened_at, resolved_at, last_event_id,
       last_seq, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $12, $17, $18, $19, $20)
     ON CONFLICT (station_id, fault_id) DO UPDATE SET
       role = excluded.role, device_key = excluded.device_key, device_serial = excluded.device_serial,
       device = excluded.device, code = excluded.code, severity = excluded.severity, status = excluded.status,
       state = CASE WHEN excluded.state = 'resolved' THEN CASE WHEN faults.state = 'closed' THEN 'closed' ELSE 'resolved' END
                    WHEN faults.state IN ('resolved', 'closed') THEN 'open' ELSE faults.state END,
       message = excluded.message, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
       occurrences = excluded.occurrences, flapping = excluded.flapping, recurring = excluded.recurring,
       resolved_at = excluded.resolved_at, last_event_id = excluded.last_event_id, last_seq = excluded.last_seq,
       updated_at = excluded.updated_at
     WHERE faults.last_seq < excluded.last_seq`,
    [
      stationId,
      fault.faultId,
      fault.role,
      fault.device?.key ?? null,
      fault.device?.serialNumber ?? null,
      fault.device === null ? null : JSON.stringify(fault.device),
      fault.code,
      fault.severity,
      fault.status,
      resolved ? 'resolved' : 'open',
      JSON.stringify(fault.message),
      fault.firstSeen,
      fault.lastSeen,
      fault.occurrences,
      fault.flapping ? 1 : 0,
      fault.recurring ? 1 : 0,
      resolved ? event.occurredAt : null,
      event.id,
      event.seq,
      receivedAt,
    ],
  );
}

/** The station reported a resolved fault again. */
export async function countReopening(db: Db, stationId: string, faultId: string): Promise<void> {
  await db.run('UPDATE faults SET reopen_count = reopen_count + 1 WHERE station_id = $1 AND fault_id = $2', [
    stationId,
    faultId,
  ]);
}

// ---- Writing: the district's side (lifecycle.ts checks the transition first) ----

export async function markAcknowledged(
  db: Db,
  key: { stationId: string; faultId: string },
  by: { username: string; at: string },
): Promise<void> {
  await db.run(
    `UPDATE faults SET state = 'acknowledged', acknowledged_at = $3, acknowledged_by = $4 WHERE station_id = $1 AND fault_id = $2`,
    [key.stationId, key.faultId, by.at, by.username],
  );
}

/** In repair by `assignee`; also acknowledged by `username` if nobody had yet. */
export async function markInRepair(
  db: Db,
  key: { stationId: string; faultId: string },
  repair: { assignee: string; note: string; username: string; at: string },
): Promise<void> {
  await db.run(
    `UPDATE faults SET state = 'in-repair', assignee = $3, repair_note = $4,
       acknowledged_at = COALESCE(acknowledged_at, $5), acknowledged_by = COALESCE(acknowledged_by, $6)
     WHERE station_id = $1 AND fault_id = $2`,
    [key.stationId, key.faultId, repair.assignee, repair.note, repair.at, repair.username],
  );
}

export async function markClosed(
  db: Db,
  key: { stationId: string; faultId: string },
  by: { username: string; at: string },
): Promise<void> {
  await db.run(
    `UPDATE faults SET state = 'closed', closed_at = $3, closed_by = $4 WHERE station_id = $1 AND fault_id = $2`,
    [key.stationId, key.faultId, by.at, by.username],
  );
}

/** Open again: its closing and resolution are forgotten and the reopening counted. */
export async function markReopened(db: Db, key: { stationId: string; faultId: string }): Promise<void> {
  await db.run(
    `UPDATE faults SET state = 'open', closed_at = NULL, closed_by = NULL, resolved_at = NULL, reopen_count = reopen_count + 1
     WHERE station_id = $1 AND fault_id = $2`,
    [key.stationId, key.faultId],
  );
}
