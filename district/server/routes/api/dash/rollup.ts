// GET /api/dash/rollup[?province=CODE] (viewer): the national view (every province) for a national
// user, a province's view (its districts) for a national user naming it or for the province's own
// users. A district user has no wider view: 404, like a province outside the user's scope.
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { Rollup } from '../../../../dash-api';
import { NotFoundError } from '../../../errors';
import { rollup } from '../../../tenancy/rollup';
import { scopeOf } from './scope';

const RollupQuery = z.object({ province: z.string().max(32).optional() });

export default async function rollupRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/rollup', { config: { access: 'viewer' } }, async (request): Promise<Rollup> => {
    const { province } = RollupQuery.parse(request.query);
    const scope = scopeOf(request);
    const db = app.district.db;
    const nowMs = app.district.now();
    const windowMs = app.dashboard.heartbeatWindowMs;
    if (scope.level === 'district') {
      throw new NotFoundError(
        'Akun kabupaten/kota tidak punya tampilan provinsi atau nasional (no wider view for a district account)',
      );
    }
    if (province === undefined || province === '') {
      return rollup(db, { scope, nowMs, windowMs });
    }
    const [known] = await db.query('SELECT code FROM provinces WHERE code = $1', [province]);
    if (known === undefined || (scope.level === 'province' && scope.code !== province)) {
      throw new NotFoundError('Provinsi tidak ditemukan (no such province)');
    }
    return rollup(db, { scope: { level: 'province', code: province }, nowMs, windowMs });
  });
}
