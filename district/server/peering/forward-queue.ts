// The forward outbox of a district that forwards to an upstream (table forward_outbox): every event
// the intake accepts is queued in the intake's own transaction, so nothing accepted here can miss
// the upstream, whatever crashes when. Without an upstream link nothing is queued.
//
// Order: `position` grows with every accepted event (the queue's highest + 1, so a drained queue
// may start again from 1); events of one station are queued in their seq order, which the upstream
// requires (intake.ts refuses a seq going backwards).
import type { Db } from '../db/types';

/** Queues the events just accepted for `stationId` when this district forwards upstream. */
export async function queueForUpstream(db: Db, stationId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) {
    return;
  }
  const [link] = await db.query('SELECT id FROM upstream_link WHERE id = 1');
  if (link === undefined) {
    return;
  }
  const [top] = await db.query<{ top: number | string | null }>(
    'SELECT MAX(position) AS top FROM forward_outbox',
  );
  let position = Number(top?.top ?? 0);
  for (const eventId of eventIds) {
    position++;
    await db.run(
      `INSERT INTO forward_outbox (station_id, event_id, position) VALUES ($1, $2, $3)
       ON CONFLICT (station_id, event_id) DO NOTHING`,
      [stationId, eventId, position],
    );
  }
}

/**
 * At enrollment upstream: queues every event already stored here, oldest received first, so the
 * upstream can rebuild this district's board and history. Returns how many were queued.
 */
export async function queueBackfill(db: Db): Promise<number> {
  return db.run(
    `INSERT INTO forward_outbox (station_id, event_id, position)
     SELECT station_id, id, ROW_NUMBER() OVER (ORDER BY received_at, station_id, seq) FROM events WHERE true
     ON CONFLICT (station_id, event_id) DO NOTHING`,
  );
}

export interface ForwardQueueCounts {
  pending: number;
  parked: number;
}

export async function forwardQueueCounts(db: Db): Promise<ForwardQueueCounts> {
  const [row] = await db.query<{ pending: number | string | null; parked: number | string | null }>(
    `SELECT SUM(CASE WHEN parked_reason IS NULL THEN 1 ELSE 0 END) AS pending,
            SUM(CASE WHEN parked_reason IS NULL THEN 0 ELSE 1 END) AS parked FROM forward_outbox`,
  );
  return { pending: Number(row?.pending ?? 0), parked: Number(row?.parked ?? 0) };
}
