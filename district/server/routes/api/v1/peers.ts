// POST /api/v1/peers/enroll and /api/v1/peers/events: a district server that runs its own stations
// enrolls here as a peer and forwards their events (protocol/peering.ts, peering/peers.ts). The
// checks are the stations' own: the enrollment code paced per address, SIAGA1 signatures, the
// timestamp window, replays; refusals are thrown, logged and answered by the app's error handler.
import type { FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import type { ForwardResponse } from '../../../../../protocol/peering';
import { ForwardRequestSchema, PEER_PATHS, PeerEnrollRequestSchema } from '../../../../../protocol/peering';
import { verifySignedBy } from '../../../intake/intake';
import { Refusal } from '../../../intake/refusal';
import { enrollPeer, findEnrolledPeer, storeForwarded } from '../../../peering/peers';

/** The JSON of a raw body, or a Refusal naming what is wrong (the first issue of `schema`). */
function parseBody<T>(
  body: unknown,
  schema: ZodType<T>,
  what: string,
  signer: string | null,
): T {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Refusal('malformed', `the body is not JSON: ${(error as Error).message}`, signer);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
    throw new Refusal('invalid-schema', `not a valid ${what}: ${issues}`, signer);
  }
  return parsed.data;
}

export default async function peersRoute(app: FastifyInstance): Promise<void> {
  app.post(PEER_PATHS.enroll, async (request, reply) => {
    const context = app.district;
    const waitMs = await context.enrollPacer.take(request.ip, context.now());
    if (waitMs > 0) {
      throw new Refusal('rate-limited', 'too many enrollment attempts from this address; wait', null, waitMs);
    }
    const enrollRequest = parseBody(request.body, PeerEnrollRequestSchema, 'peer enroll request', null);
    const enrolled = await enrollPeer(context.db, enrollRequest, context.now(), context.districtKey.publicKeyBase64);
    await context.enrollPacer.refund(request.ip);
    return reply.send(enrolled);
  });

  app.post(PEER_PATHS.events, async (request, reply) => {
    const context = app.district;
    if (context.inFlight >= context.maxInFlight) {
      throw new Refusal('unavailable', 'the service is busy; send again later', null, 2000);
    }
    context.inFlight++;
    try {
      const nowMs = context.now();
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const peer = await verifySignedBy(
        { method: request.method, path: request.url, headers: request.headers, body },
        { nowMs, checkWindow: true, replays: context.replays },
        'peer',
        (peerId) => findEnrolledPeer(context.db, peerId),
      );
      const waitMs = await context.pacer.take(peer.id, nowMs);
      if (waitMs > 0) {
        throw new Refusal('rate-limited', 'too many forwards from this peer; wait and send again', peer.id, waitMs);
      }
      const forward = parseBody(body, ForwardRequestSchema, `${PEER_PATHS.events} forward`, peer.id);
      const stored = await storeForwarded(context.db, peer, forward, {
        nowMs,
        heartbeatWindowMs: context.heartbeatWindowMs,
      });
      const response: ForwardResponse = { ...stored, serverTime: context.now() };
      return reply.send(response);
    } finally {
      context.inFlight--;
    }
  });
}
