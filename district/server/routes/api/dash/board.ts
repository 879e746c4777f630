// GET /api/dash/board (staff) and GET /api/public/board (residents: only which kecamatan can record).
import type { FastifyInstance } from 'fastify';
import type { Board } from '../../../../dash-api';
import { board, publicBoard } from '../../../stations/board';
import { districtOf, publicDistrictOf } from './scope';

/** The board staff see of `district` now: GET /api/dash/board's answer, and the first view of `/` (routes/first-view.ts). */
export function staffBoard(app: FastifyInstance, district: string): Promise<Board> {
  return board(app.district.db, app.district.now(), app.dashboard.heartbeatWindowMs, district);
}

export default async function boardRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/board', { config: { access: 'viewer' } }, async (request) =>
    staffBoard(app, districtOf(request)),
  );
  app.get('/api/public/board', { config: { access: 'public' } }, async (request, reply) => {
    void reply.header('cache-control', 'public, max-age=60');
    return publicBoard(
      await board(app.district.db, app.district.now(), app.dashboard.heartbeatWindowMs, await publicDistrictOf(app, request)),
    );
  });
}
