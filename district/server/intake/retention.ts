// What the district keeps of a year (docs/year-of-events.md): every event for good except raw
// heartbeats, which are kept HEARTBEAT_RETENTION_MS and then deleted. A heartbeat's lasting content
// is already kept elsewhere when it arrives: the station row (last heartbeat, liveness, clock) and
// the availability spans (figures/availability.ts), so the board and the figures never read raw
// heartbeats; at one a minute, a year of them for 20,000 stations would be billions of rows.
import type { Db } from '../db/types';

/** Raw heartbeat events are kept this long after they were received. */
export const HEARTBEAT_RETENTION_MS = 2 * 24 * 60 * 60 * 1000;

/** Deletes heartbeat events received before `nowMs - retentionMs`; returns how many. */
export async function pruneHeartbeats(
  db: Db,
  nowMs: number,
  retentionMs: number = HEARTBEAT_RETENTION_MS,
): Promise<number> {
  return db.run(`DELETE FROM events WHERE type = 'heartbeat' AND received_at < $1`, [
    new Date(nowMs - retentionMs).toISOString(),
  ]);
}

/**
 * Whether a heartbeat whose seq is not above the station's last is one the district already took
 * and pruned: it is older than the retention, so its copy is gone, and the station state it
 * carried was superseded long ago. It is answered as a duplicate (the station deletes it), never
 * refused: a refused event is parked on the station and raises a fault for the operator.
 */
export function isPrunedHeartbeat(event: { type: string; occurredAt: string }, nowMs: number): boolean {
  return event.type === 'heartbeat' && Date.parse(event.occurredAt) < nowMs - HEARTBEAT_RETENTION_MS;
}
