// GET /api/v1/time: the district clock, for a station to measure its clock offset before signing.
import type { FastifyInstance } from 'fastify';
import type { TimeResponse } from '../../../../../protocol/requests';
import { PATHS } from '../../../../../protocol/requests';

export default async function timeRoute(app: FastifyInstance): Promise<void> {
  app.get(PATHS.time, async (): Promise<TimeResponse> => ({ serverTime: app.district.now() }));
}
