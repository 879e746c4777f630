// POST /api/v1/events: a signed batch of events from an enrolled station (protocol/requests.ts).
// The reply also tells the station where the district stands on its faults, so the kiosk can show
// "acknowledged by ...", "technician assigned: ..." without a request of its own. Refusals are
// thrown and answered by the app's error handler (app.ts).
import type { FastifyInstance } from 'fastify';
import type { EventsResponse } from '../../../../../protocol/requests';
import { PATHS } from '../../../../../protocol/requests';
import { withRequestBound } from '../../../db/postgres';
import { parseEventsBody, storeEvents, verifySignedRequest } from '../../../intake/intake';
import { Refusal } from '../../../intake/refusal';
import { currentIntakeSpan, setIntakeTraceGauges, traceIntakeRequest } from '../../../intake/trace';

export default async function eventsRoute(app: FastifyInstance): Promise<void> {
  setIntakeTraceGauges({ inFlight: () => app.district.inFlight });
  app.post(PATHS.events, (request, reply) =>
    traceIntakeRequest(request.headers, async () => {
      const context = app.district;
      if (context.inFlight >= context.maxInFlight) {
        throw new Refusal('unavailable', 'the district is busy; send again later', null, 2000);
      }
      context.inFlight++;
      try {
        const nowMs = context.now();
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        // PostgreSQL out of reach without a word (a silent network) is a 503 in seconds, not a hang.
        const db = withRequestBound(context.db);
        const station = await verifySignedRequest(
          db,
          { method: request.method, path: request.url, headers: request.headers, body },
          { nowMs, checkWindow: true, replays: context.replays },
        );
        const waitMs = await context.pacer.take(station.id, nowMs);
        currentIntakeSpan()?.mark('pacing');
        if (waitMs > 0) {
          throw new Refusal(
            'rate-limited',
            'too many batches from this station; wait and send again',
            station.id,
            waitMs,
          );
        }
        const batch = parseEventsBody(body, station.id);
        const stored = await storeEvents(db, station.id, batch.events, {
          nowMs,
          source: 'http',
          heartbeatWindowMs: context.heartbeatWindowMs,
          replyFaults: true,
        });
        const response: EventsResponse = { ...stored, serverTime: context.now() };
        return reply.send(response);
      } finally {
        context.inFlight--;
      }
    }),
  );
}
