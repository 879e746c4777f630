// GET /api/dash/faults?state=active|all|STATE&limit=&offset= (texts cut to LISTED_TEXT_MAX),
// GET /api/dash/faults/:stationId/:faultId (texts whole),
// POST /api/dash/faults/:stationId/:faultId/actions {type: acknowledge|repair|verify|close|reopen, ...},
// GET /api/dash/assignees (technician): the district's technicians and admins, to assign a repair to.
import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { FaultActionRequestSchema, MAX_PAGE_SIZE, PageQuerySchema } from '../../../../dash-api';
import type { Assignee } from '../../../../dash-api';
import { listUsers } from '../../../auth/users';
import { InvalidInputError, NotFoundError } from '../../../errors';
import { applyFaultAction, faultDetail } from '../../../faults/lifecycle';
import { FAULT_STATES, findFaults, listedFault } from '../../../faults/repository';
import { auditByStaff, parseBody, staffOf } from './context';
import { scopeOf } from './scope';

const FilterSchema = PageQuerySchema.extend({
  state: z.enum([...FAULT_STATES, 'active', 'all']).default('active'),
  station: z.string().max(64).optional(),
});
const ParamsSchema = z.object({ stationId: z.string().max(64), faultId: z.string().max(128) });

export default async function faultRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/faults', { config: { access: 'viewer' } }, async (request) => {
    const filter = FilterSchema.safeParse(request.query);
    if (!filter.success) {
      throw new InvalidInputError(
        `state must be active, all or a fault state; limit 1-${MAX_PAGE_SIZE}; offset 0 or more`,
      );
    }
    const { limit, offset } = filter.data;
    const faults = await findFaults(
      app.district.db,
      app.district.now(),
      { state: filter.data.state, stationId: filter.data.station, scope: scopeOf(request) },
      { limit, offset },
    );
    return faults.map(listedFault);
  });

  app.get('/api/dash/assignees', { config: { access: 'technician' } }, async (request): Promise<Assignee[]> => {
    const users = await listUsers(app.district.db, scopeOf(request));
    return users
      .filter((user) => user.role === 'technician' || user.role === 'admin')
      .map(({ username, name, role }) => ({ username, name, role }))
      .sort((left, right) => left.name.localeCompare(right.name, 'id'));
  });

  app.get('/api/dash/faults/:stationId/:faultId', { config: { access: 'viewer' } }, async (request) => {
    const { stationId, faultId } = ParamsSchema.parse(request.params);
    const detail = await faultDetail(app.district.db, stationId, faultId, app.district.now());
    if (detail === null) {
      throw new NotFoundError('no such fault');
    }
    return detail;
  });

  app.post(
    '/api/dash/faults/:stationId/:faultId/actions',
    { config: { access: 'technician' } },
    async (request) => {
      const staff = staffOf(request);
      const { stationId, faultId } = ParamsSchema.parse(request.params);
      const action = parseBody(request, FaultActionRequestSchema);
      const nowMs = app.district.now();
      const detail = await applyFaultAction(app.district.db, {
        stationId,
        faultId,
        action,
        username: staff.user.username,
        nowMs,
      });
      await auditByStaff(request, {
        nowMs,
        action: `fault.${action.type}`,
        target: `${stationId}/${faultId}`,
        detail: action,
      });
      return detail;
    },
  );
}
