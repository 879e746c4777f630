// Work the district asks of a station (protocol/requests.ts Command), delivered with the station's
// next events reply (its heartbeat goes there every minute). Delivered once: the station reports
// the outcome through its usual fault events.
import type { Command } from '../../../protocol/requests';
import type { Db } from '../db/types';
import { newId } from '../db/ids';

export async function requestRerunChecks(
  db: Db,
  input: { stationId: string; faultId: string | null; requestedBy: string; nowMs: number },
): Promise<string> {
  const id = newId(input.nowMs);
  await db.run(
    'INSERT INTO station_commands (id, station_id, type, fault_id, requested_at, requested_by) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      id,
      input.stationId,
      'rerun-checks',
      input.faultId,
      new Date(input.nowMs).toISOString(),
      input.requestedBy,
    ],
  );
  return id;
}

/** The station's undelivered commands, marked delivered. Several pending re-runs collapse into one. */
export async function takePendingCommands(db: Db, stationId: string, nowMs: number): Promise<Command[]> {
  const rows = await db.query<{ id: string; type: string }>(
    'SELECT id, type FROM station_commands WHERE station_id = $1 AND delivered_at IS NULL ORDER BY id',
    [stationId],
  );
  if (rows.length === 0) {
    return [];
  }
  await db.run(
    'UPDATE station_commands SET delivered_at = $1 WHERE station_id = $2 AND delivered_at IS NULL',
    [new Date(nowMs).toISOString(), stationId],
  );
  const rerun = rows.filter((row) => row.type === 'rerun-checks');
  return rerun.length === 0 ? [] : [{ type: 'rerun-checks', id: rerun[rerun.length - 1].id }];
}

export async function pendingCommandCount(db: Db, stationId: string): Promise<number> {
  const [row] = await db.query<{ count: number | string }>(
    'SELECT COUNT(*) AS count FROM station_commands WHERE station_id = $1 AND delivered_at IS NULL',
    [stationId],
  );
  return Number(row.count);
}

/** Whether a command about this fault (a re-run of the checks) still waits for the station. */
export async function hasPendingCommand(db: Db, stationId: string, faultId: string): Promise<boolean> {
  const pending = await db.query(
    'SELECT id FROM station_commands WHERE station_id = $1 AND fault_id = $2 AND delivered_at IS NULL',
    [stationId, faultId],
  );
  return pending.length > 0;
}
