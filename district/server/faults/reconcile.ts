// Reconciliation of a station's open faults with what the station itself says is open (its
// heartbeat's `openFaultIds`): a fault the district holds open that the station no longer has (its
// store was replaced after corruption, a resolve event was lost) would otherwise stay open forever.
//
// Contract: only faults still active at the district (open, acknowledged, in repair) whose last
// event came before the heartbeat (lower seq) are closed; a fault reported after the heartbeat was
// written is never touched. Each closing is a history entry of kind `closed` with no actor and the
// reason "reconciliation".
import type { Db } from '../db/types';
import { addHistory } from './history';

export const RECONCILIATION_REASON = 'reconciliation';

/** Closes what the station no longer has open; returns the closed fault ids. */
export async function reconcileOpenFaults(
  db: Db,
  stationId: string,
  heartbeat: { seq: number; occurredAt: string; openFaultIds: readonly string[] },
  nowMs: number,
): Promise<string[]> {
  const stillOpen = new Set(heartbeat.openFaultIds);
  const rows = await db.query<{ fault_id: string }>(
    `SELECT fault_id FROM faults WHERE station_id = $1 AND state IN ('open', 'acknowledged', 'in-repair') AND last_seq < $2`,
    [stationId, heartbeat.seq],
  );
  const gone = rows.map((row) => row.fault_id).filter((faultId) => !stillOpen.has(faultId));
  const at = new Date(nowMs).toISOString();
  for (const faultId of gone) {
    await db.run(
      `UPDATE faults SET state = 'closed', closed_at = $3, resolved_at = COALESCE(resolved_at, $4), updated_at = $3
       WHERE station_id = $1 AND fault_id = $2`,
      [stationId, faultId, at, heartbeat.occurredAt],
    );
    await addHistory(db, {
      stationId,
      faultId,
      atMs: nowMs,
      kind: 'closed',
      actor: null,
      detail: { reason: RECONCILIATION_REASON, heartbeatSeq: heartbeat.seq },
    });
  }
  return gone;
}
