// Admin only: GET /api/dash/audit, GET/POST /api/dash/users, POST /api/dash/escalation/run.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { listAudit } from '../../../auth/audit';
import { StaffRoleSchema } from '../../../auth/roles';
import { addUser, listUsers } from '../../../auth/users';
import { auditByStaff, DashError, parseBody } from './context';

const NewUserSchema = z.strictObject({
  username: z.string().min(2).max(50),
  name: z.string().max(100).default(''),
  email: z.email().nullable().default(null),
  role: StaffRoleSchema,
  password: z.string().min(1).max(200),
});

export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/dash/audit', { config: { access: 'admin' } }, async () => listAudit(app.district.db));

  app.get('/api/dash/users', { config: { access: 'admin' } }, async () => listUsers(app.district.db));

  app.post('/api/dash/users', { config: { access: 'admin' } }, async (request) => {
    const input = parseBody(request, NewUserSchema);
    const nowMs = app.district.now();
    let user;
    try {
      user = await addUser(app.district.db, { ...input, nowMs });
    } catch (error) {
      throw new DashError(409, 'conflict', (error as Error).message);
    }
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
      throw new DashError(409, 'conflict', 'escalation is not configured');
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
