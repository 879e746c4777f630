// Admin only: GET /api/dash/audit?limit=&offset= (newest first), GET/POST /api/dash/users, POST /api/dash/escalation/run.
import type { FastifyInstance } from 'fastify';
import { NewUserRequestSchema } from '../../../../dash-api';
import { listAudit } from '../../../auth/audit';
import { addUser, listUsers } from '../../../auth/users';
import { ConflictError } from '../../../errors';
import { auditByStaff, pageOf, parseBody } from './context';

export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/audit', { config: { access: 'admin' } }, async (request) =>
    listAudit(app.district.db, pageOf(request)),
  );

  app.get('/api/dash/users', { config: { access: 'admin' } }, async () => listUsers(app.district.db));

  app.post('/api/dash/users', { config: { access: 'admin' } }, async (request) => {
    const input = parseBody(request, NewUserRequestSchema);
    const nowMs = app.district.now();
    const user = await addUser(app.district.db, { ...input, nowMs });
    await auditByStaff(request, {
      nowMs,
      action: 'user.added',
      target: user.username,
      detail: { role: user.role },
    });
    return user;
  });

  app.post('/api/dash/escalation/run', { config: { access: 'admin' } }, async (request) => {
    if (app.dashboard.escalation === null) {
      throw new ConflictError('escalation is not configured');
    }
    const result = await app.dashboard.escalation.runNow();
    await auditByStaff(request, {
      nowMs: app.district.now(),
      action: 'escalation.run',
      target: 'escalation',
      detail: result,
    });
    return result;
  });
}
