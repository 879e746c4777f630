// Admin only: GET /api/dash/audit?limit=&offset= (newest first), GET/POST /api/dash/users, POST
// /api/dash/escalation/run (a pass over the admin's scope: a district's admin escalates their own).
import type { FastifyInstance } from 'fastify';
import { NewUserRequestSchema } from '../../../../dash-api';
import { listAudit } from '../../../auth/audit';
import { addUser, listUsers } from '../../../auth/users';
import { ConflictError } from '../../../errors';
import { auditByStaff, pageOf, parseBody } from './context';
import { districtOf, scopeOf } from './scope';

export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/audit', { config: { access: 'admin' } }, async (request) =>
    listAudit(app.district.db, pageOf(request), scopeOf(request)),
  );

  app.get('/api/dash/users', { config: { access: 'admin' } }, async (request) =>
    listUsers(app.district.db, scopeOf(request)),
  );

  app.post('/api/dash/users', { config: { access: 'admin' } }, async (request) => {
    const input = parseBody(request, NewUserRequestSchema);
    const nowMs = app.district.now();
    // A new account works in the admin's district (the one drilled into, for a wider admin).
    const user = await addUser(app.district.db, {
      ...input,
      nowMs,
      scope: { level: 'district', code: districtOf(request) },
    });
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
    const result = await app.dashboard.escalation.runNow(scopeOf(request));
    await auditByStaff(request, {
      nowMs: app.district.now(),
      action: 'escalation.run',
      target: 'escalation',
      detail: result,
    });
    return result;
  });
}
