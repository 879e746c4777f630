// GET /api/v1/openapi.json: the API and its signing scheme, described for humans and tools.
import type { FastifyInstance } from 'fastify';
import { PATHS } from '../../../../../protocol/requests';
import { openApiDocument } from '../../../intake/openapi';

export default async function openApiRoute(app: FastifyInstance): Promise<void> {
  app.get(PATHS.openapi, async () => openApiDocument());
}
