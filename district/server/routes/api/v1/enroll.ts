// POST /api/v1/enroll: a station redeems its one-time code and registers its public key.
import type { FastifyInstance } from 'fastify';
import { EnrollRequestSchema, PATHS } from '../../../../../protocol/requests';
import { refuse, refuseWith } from '../../../context';
import { Refusal } from '../../../intake/refusal';
import { enroll } from '../../../stations/stations';

export default async function enrollRoute(app: FastifyInstance): Promise<void> {
  app.post(PATHS.enroll, async (request, reply) => {
    const context = app.district;
    const body = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      return refuse(request, reply, context, {
        error: 'malformed',
        message: `the body is not JSON: ${(error as Error).message}`,
      });
    }
    const parsed = EnrollRequestSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return refuse(request, reply, context, {
        error: 'invalid-schema',
        message: `not an enroll request: ${issue.path.join('.') || '(body)'}: ${issue.message}`,
      });
    }
    try {
      return reply.send(
        await enroll(context.db, parsed.data, context.now(), context.districtKey.publicKeyBase64),
      );
    } catch (error) {
      if (error instanceof Refusal) {
        return refuseWith(request, reply, context, error);
      }
      throw error;
    }
  });
}
