// POST /api/v1/events: a signed batch of events from an enrolled station (protocol/requests.ts).
// The reply also tells the station where the district stands on its faults, so the kiosk can show
// "acknowledged by ...", "technician assigned: ..." without a request of its own.
import type { FastifyInstance } from 'fastify';
import type { DistrictFault, EventsResponse } from '../../../../../protocol/requests';
import { MAX_DISTRICT_FAULTS_PER_REPLY, PATHS } from '../../../../../protocol/requests';
import type { Db } from '../../../db/types';
import { refuse, refuseWith } from '../../../context';
import { parseEventsBody, storeEvents, verifySignedRequest } from '../../../intake/intake';
import { Refusal } from '../../../intake/refusal';

export default async function eventsRoute(app: FastifyInstance): Promise<void> {
  app.post(PATHS.events, async (request, reply) => {
    const context = app.district;
    if (context.inFlight >= context.maxInFlight) {
      return refuse(request, reply, context, {
        error: 'unavailable',
        message: 'the district is busy; send again later',
        retryAfterMs: 2000,
      });
    }
    context.inFlight++;
    try {
      const nowMs = context.now();
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const station = await verifySignedRequest(
        context.db,
        { method: request.method, path: request.url, headers: request.headers, body },
        { nowMs, checkWindow: true, replays: context.replays },
      );
      const waitMs = context.pacer.take(station.id, nowMs);
      if (waitMs > 0) {
        throw new Refusal(
          'rate-limited',
          'too many batches from this station; wait and send again',
          station.id,
          waitMs,
        );
      }
      const batch = parseEventsBody(body, station.id);
      const stored = await storeEvents(context.db, station.id, batch.events, {
        nowMs,
        source: 'http',
        heartbeatWindowMs: context.heartbeatWindowMs,
      });
      const faults = await districtFaults(context.db, station.id, nowMs);
      const response: EventsResponse = {
        ...stored,
        ...(faults.length > 0 ? { faults } : {}),
        serverTime: context.now(),
      };
      return reply.send(response);
    } catch (error) {
      if (error instanceof Refusal) {
        return refuseWith(request, reply, context, error);
      }
      throw error;
    } finally {
      context.inFlight--;
    }
  });
}

/** Resolved faults are repeated this long after resolution, closed ones this long after closing. */
const RESOLVED_REPEAT_MS = 7 * 24 * 60 * 60_000;
const CLOSED_REPEAT_MS = 24 * 60 * 60_000;

interface DistrictFaultRow {
  fault_id: string;
  state: DistrictFault['state'];
  acknowledged_by: string | null;
  acknowledged_name: string | null;
  assignee: string | null;
  repair_note: string | null;
  updated_at: string;
  acknowledged_at: string | null;
  closed_at: string | null;
  history_at: string | null;
}

/**
 * The district's state of a station's faults that the station should show: not closed (resolved
 * for a week), or closed in the last day; active ones first, then the most recently changed. The
 * whole current state every time, so a lost reply is made good by the next one.
 */
export async function districtFaults(db: Db, stationId: string, nowMs: number): Promise<DistrictFault[]> {
  const rows = await db.query<DistrictFaultRow>(
    `SELECT f.fault_id, f.state, f.acknowledged_by, u.name AS acknowledged_name, f.assignee, f.repair_note,
       f.updated_at, f.acknowledged_at, f.closed_at,
       (SELECT MAX(h.at) FROM fault_history h WHERE h.station_id = f.station_id AND h.fault_id = f.fault_id) AS history_at
     FROM faults f LEFT JOIN users u ON u.username = f.acknowledged_by
     WHERE f.station_id = $1
       AND (f.state IN ('open', 'acknowledged', 'in-repair')
         OR (f.state = 'resolved' AND f.resolved_at >= $2)
         OR (f.state = 'closed' AND f.closed_at >= $3))
     ORDER BY CASE WHEN f.state IN ('open', 'acknowledged', 'in-repair') THEN 0 ELSE 1 END, f.updated_at DESC
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
