// What the routes share: the database and the intake's guards, decorated onto the root fastify
// instance by the `districtContext` plugin (not encapsulated, so every route sees it).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import type { ErrorCode } from '../../protocol/requests';
import { ERROR_STATUS } from '../../protocol/requests';
import type { Db } from './db/types';
import type { DistrictKey } from './intake/district-key';
import type { Pacer, ReplayGuard } from './intake/guards';
import type { Refusal } from './intake/refusal';
import type { RejectionLog } from './intake/rejections';

export interface DistrictContext {
  db: Db;
  /** The district clock in ms; tests pass their own. */
  now: () => number;
  /** In memory on SQLite (one process), in the database on PostgreSQL (shared by every process). */
  replays: ReplayGuard;
  pacer: Pacer;
  /** Enrollment attempts per address (codes must not be guessed in a flood). */
  enrollPacer: Pacer;
  rejections: RejectionLog;
  /** Signs every reply to a request that carries a nonce (intake/reply-signing.ts). */
  districtKey: DistrictKey;
  /** Intake requests being processed now, for load shedding. */
  inFlight: number;
  maxInFlight: number;
  /** A station silent longer than this is itself a problem (board, availability figures). */
  heartbeatWindowMs?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    district: DistrictContext;
  }
}

/** Decorates the app with `district` and closes its rejection log with the app. */
export const districtContext = fastifyPlugin(
  async (app: FastifyInstance, options: { context: DistrictContext }): Promise<void> => {
    app.decorate('district', options.context);
    app.addHook('onClose', async () => {
      await options.context.rejections.close();
    });
  },
  { name: 'siaga-district-context' },
);

/** Sends a refusal (the protocol's ErrorResponse), logs it to rejected_requests and the server log. */
export function refuse(
  request: FastifyRequest,
  reply: FastifyReply,
  context: DistrictContext,
  refusal: { error: ErrorCode; message: string; stationId?: string | null; retryAfterMs?: number },
): FastifyReply {
  const status = ERROR_STATUS[refusal.error];
  const serverTime = context.now();
  if (status !== 404 && status < 500) {
    context.rejections.record({
      atMs: serverTime,
      ip: request.ip ?? null,
      method: request.method,
      path: request.url,
      stationId: refusal.stationId ?? null,
      status,
      reason: refusal.error,
      detail: refusal.message,
    });
  }
  request.log.warn({ error: refusal.error, station: refusal.stationId, status }, refusal.message);
  if (refusal.retryAfterMs !== undefined) {
    void reply.header('retry-after', String(Math.max(1, Math.ceil(refusal.retryAfterMs / 1000))));
  }
  return reply.code(status).send({
    error: refusal.error,
    message: refusal.message,
    serverTime,
    ...(refusal.retryAfterMs === undefined ? {} : { retryAfterMs: refusal.retryAfterMs }),
  });
}

export function refuseWith(
  request: FastifyRequest,
  reply: FastifyReply,
  context: DistrictContext,
  refusal: Refusal,
): FastifyReply {
  return refuse(request, reply, context, {
    error: refusal.error,
    message: refusal.message,
    stationId: refusal.stationId,
    retryAfterMs: refusal.retryAfterMs,
  });
}
