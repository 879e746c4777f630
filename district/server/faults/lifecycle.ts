// The district's side of a fault's life. The station opens, updates and resolves it (intake.ts);
// staff acknowledge it, put it in repair (assignee, note), ask the station to re-run its checks,
// close it once the station's own checks verified the repair, or reopen it.
//   open -> acknowledged -> in-repair -> resolved (station) -> closed;  resolved|closed -> open (reopened)
import type { Text } from '../../../protocol/verdict';
import type { FaultDetail, FaultDevice, FaultHeading, FaultState, FaultView, HistoryKind } from '../../dash-api';
import type { Db } from '../db/types';
import { requestRerunChecks } from '../stations/commands';
import { addHistory, faultHistory } from './history';

export type { FaultDetail, FaultDevice, FaultState, FaultView } from '../../dash-api';

export const FAULT_STATES = [
  'open',
  'acknowledged',
  'in-repair',
  'resolved',
  'closed',
] as const satisfies readonly FaultState[];
/** States in which a fault still stops or degrades work at the station. */
export const ACTIVE_STATES: readonly FaultState[] = ['open', 'acknowledged', 'in-repair'];

export class TransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TransitionError';
  }
}

type Row = Record<string, string | number | null>;

const text = (value: string | number | null): string | null => (value === null ? null : String(value));

/** The heading of a row of `faults` joined with its station (`station_name`, `kecamatan`). */
export function toFaultHeading(row: Row): FaultHeading {
  return {
    stationId: String(row.station_id),
    stationName: String(row.station_name),
    kecamatan: String(row.kecamatan),
    faultId: String(row.fault_id),
    role: String(row.role),
    code: String(row.code),
    severity: String(row.severity),
  };
}

export function toFaultView(row: Row, nowMs: number): FaultView {
  const firstSeen = String(row.first_seen);
  const resolvedAt = text(row.resolved_at);
  const state = String(row.state) as FaultState;
  const endMs =
    resolvedAt !== null && (state === 'resolved' || state === 'closed') ? Date.parse(resolvedAt) : nowMs;
  return {
    ...toFaultHeading(row),
    state,
    message: JSON.parse(String(row.message)) as Text,
    device: row.device === null ? null : (JSON.parse(String(row.device)) as FaultDevice),
    firstSeen,
    lastSeen: String(row.last_seen),
    resolvedAt,
    occurrences: Number(row.occurrences),
    flapping: Number(row.flapping) === 1,
    recurring: Number(row.recurring) === 1,
    reopenCount: Number(row.reopen_count ?? 0),
    acknowledgedAt: text(row.acknowledged_at),
    acknowledgedBy: text(row.acknowledged_by),
    assignee: text(row.assignee),
    repairNote: text(row.repair_note),
    closedAt: text(row.closed_at),
    closedBy: text(row.closed_by),
    ageHours: Math.max(0, (endMs - Date.parse(firstSeen)) / 3_600_000),
  };
}

const SELECT = `SELECT f.*, s.name AS station_name, s.kecamatan FROM faults f JOIN stations s ON s.id = f.station_id`;

/** `active`: open, acknowledged or in repair; `all`: everything; or one state. Oldest first. */
export async function findFaults(
  db: Db,
  nowMs: number,
  filter: { state?: FaultState | 'active' | 'all'; stationId?: string } = {},
): Promise<FaultView[]> {
  const state = filter.state ?? 'active';
  const rows = await db.query<Row>(
    `${SELECT} WHERE ($1 = 'all' OR ($1 = 'active' AND f.state IN ('open', 'acknowledged', 'in-repair')) OR f.state = $1)
       AND ($2 = '' OR f.station_id = $2)
     ORDER BY f.first_seen, f.station_id, f.fault_id`,
    [state, filter.stationId ?? ''],
  );
  return rows.map((row) => toFaultView(row, nowMs));
}

export async function faultDetail(
  db: Db,
  stationId: string,
  faultId: string,
  nowMs: number,
): Promise<FaultDetail | null> {
  const [row] = await db.query<Row>(`${SELECT} WHERE f.station_id = $1 AND f.fault_id = $2`, [
    stationId,
    faultId,
  ]);
  if (row === undefined) {
    return null;
  }
  const pending = await db.query(
    'SELECT id FROM station_commands WHERE station_id = $1 AND fault_id = $2 AND delivered_at IS NULL',
    [stationId, faultId],
  );
  return {
    ...toFaultView(row, nowMs),
    history: await faultHistory(db, stationId, faultId),
    verificationPending: pending.length > 0,
  };
}

export type FaultAction =
  | { type: 'acknowledge' }
  | { type: 'repair'; assignee: string; note: string }
  | { type: 'verify' }
  | { type: 'close'; note: string }
  | { type: 'reopen'; note: string };

const ALLOWED_FROM: Record<FaultAction['type'], readonly FaultState[]> = {
  acknowledge: ['open'],
  repair: ['open', 'acknowledged', 'in-repair'],
  verify: ['open', 'acknowledged', 'in-repair', 'resolved'],
  close: ['resolved'],
  reopen: ['resolved', 'closed'],
};

/** Applies a staff action to a fault; throws TransitionError when the fault's state does not allow it. */
export async function applyFaultAction(
  db: Db,
  input: { stationId: string; faultId: string; action: FaultAction; username: string; nowMs: number },
): Promise<FaultDetail> {
  const { stationId, faultId, action, username, nowMs } = input;
  const now = new Date(nowMs).toISOString();
  await db.transaction(async (transaction) => {
    const [row] = await transaction.query<{ state: FaultState }>(
      'SELECT state FROM faults WHERE station_id = $1 AND fault_id = $2',
      [stationId, faultId],
    );
    if (row === undefined) {
      throw new TransitionError('no such fault');
    }
    if (!ALLOWED_FROM[action.type].includes(row.state)) {
      throw new TransitionError(`cannot ${action.type} a fault that is ${row.state}`);
    }
    const where = [stationId, faultId];
    const record = (kind: HistoryKind, detail?: Record<string, unknown>): Promise<void> =>
      addHistory(transaction, { stationId, faultId, atMs: nowMs, kind, actor: username, detail });
    if (action.type === 'acknowledge') {
      await transaction.run(
        `UPDATE faults SET state = 'acknowledged', acknowledged_at = $3, acknowledged_by = $4 WHERE station_id = $1 AND fault_id = $2`,
        [...where, now, username],
      );
      await record('acknowledged');
    } else if (action.type === 'repair') {
      await transaction.run(
        `UPDATE faults SET state = 'in-repair', assignee = $3, repair_note = $4,
           acknowledged_at = COALESCE(acknowledged_at, $5), acknowledged_by = COALESCE(acknowledged_by, $6)
         WHERE station_id = $1 AND fault_id = $2`,
        [...where, action.assignee, action.note, now, username],
      );
      await record('in-repair', { assignee: action.assignee, note: action.note });
    } else if (action.type === 'verify') {
      await requestRerunChecks(transaction, { stationId, faultId, requestedBy: username, nowMs });
      await record('verification-requested');
    } else if (action.type === 'close') {
      await transaction.run(
        `UPDATE faults SET state = 'closed', closed_at = $3, closed_by = $4 WHERE station_id = $1 AND fault_id = $2`,
        [...where, now, username],
      );
      await record('closed', { note: action.note });
    } else {
      await transaction.run(
        `UPDATE faults SET state = 'open', closed_at = NULL, closed_by = NULL, resolved_at = NULL, reopen_count = reopen_count + 1
         WHERE station_id = $1 AND fault_id = $2`,
        where,
      );
      await record('reopened', { note: action.note });
    }
  });
  const detail = await faultDetail(db, stationId, faultId, nowMs);
  return detail!;
}
