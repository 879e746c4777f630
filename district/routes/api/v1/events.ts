// POST /api/v1/events: a signed batch of events from an enrolled station (protocol/requests.ts).
import type { FastifyInstance } from 'fastify';
import type { EventsResponse } from '../../../../protocol/requests';
import { PATHS } from '../../../../protocol/requests';
import { refuse, refuseWith } from '../../../context';
import { parseEventsBody, storeEvents, verifySignedRequest } from '../../../intake';
import { Refusal } from '../../../refusal';

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
      const response: EventsResponse = { ...stored, serverTime: context.now() };
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
