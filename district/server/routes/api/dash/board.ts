// GET /api/dash/board (staff) and GET /api/public/board (residents: only which kecamatan can record).
import type { FastifyInstance } from 'fastify';
import { board, publicBoard } from '../../../stations/board';
import { districtOf, publicDistrictOf } from './scope';

export default async function boardRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/board', { config: { access: 'viewer' } }, async (request) =>
    board(app.district.db, app.district.now(), app.dashboard.heartbeatWindowMs, districtOf(request)),
  );
  app.get('/api/public/board', { config: { access: 'public' } }, async (request, reply) => {
    void reply.header('cache-control', 'public, max-age=60');
    return publicBoard(
      await board(app.district.db, app.district.now(), app.dashboard.heartbeatWindowMs, await publicDistrictOf(app, request)),
    );
  });
}
