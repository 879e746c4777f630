// POST /api/v1/enroll: a station redeems its one-time code and registers its public key.
// Refused attempts are paced per address (app.ts). Refusals are thrown and answered by the app's
// error handler (app.ts).
import type { FastifyInstance } from 'fastify';
import { EnrollRequestSchema, PATHS } from '../../../../../protocol/requests';
import { Refusal } from '../../../intake/refusal';
import { enroll } from '../../../stations/stations';

export default async function enrollRoute(app: FastifyInstance): Promise<void> {
  app.post(PATHS.enroll, async (request, reply) => {
    const context = app.district;
    const waitMs = await context.enrollPacer.take(request.ip, context.now());
    if (waitMs > 0) {
      throw new Refusal('rate-limited', 'too many enrollment attempts from this address; wait', null, waitMs);
    }
    const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      throw new Refusal('malformed', `the body is not JSON: ${(error as Error).message}`);
    }
    const parsed = EnrollRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Refusal(
        'invalid-schema',
        `not an enroll request: ${issue.path.join('.') || '(body)'}: ${issue.message}`,
      );
    }
    const enrolled = await enroll(context.db, parsed.data, context.now(), context.districtKey.publicKeyBase64);
    // Only refused attempts (a guessed code, a malformed body) use up the address's allowance.
    await context.enrollPacer.refund(request.ip);
    return reply.send(enrolled);
  });
}
