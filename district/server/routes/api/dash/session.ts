// POST /api/dash/login, POST /api/dash/logout, GET /api/dash/session.
import type { FastifyInstance } from 'fastify';
import { LoginRequestSchema } from '../../../../dash-api';
import { audit } from '../../../auth/audit';
import {
  createSession,
  deleteSession,
  SESSION_LIFETIME_MS,
  sessionCookie,
  sessionTokenFrom,
} from '../../../auth/sessions';
import { authenticate } from '../../../auth/users';
import { DistrictError } from '../../../errors';
import { auditByStaff, parseBody, staffOf } from './context';

/** Failed logins per username within the window before the username is locked for the rest of it. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60 * 1000;

export default async function sessionRoutes(app: FastifyInstance): Promise<void> {
  const failures = new Map<string, number[]>();

  app.post('/api/dash/login', { config: { access: 'public' } }, async (request, reply) => {
    const { username, password } = parseBody(request, LoginRequestSchema);
    const nowMs = app.district.now();
    const key = username.trim().toLowerCase();
    const recent = (failures.get(key) ?? []).filter((atMs) => nowMs - atMs < FAILURE_WINDOW_MS);
    if (recent.length >= MAX_FAILURES) {
      throw new DistrictError(429, 'too-many-attempts', 'too many failed logins; wait 15 minutes');
    }
    const user = await authenticate(app.district.db, username, password);
    if (user === null) {
      failures.set(key, [...recent, nowMs]);
      await audit(app.district.db, {
        nowMs,
        user: null,
        action: 'login-failed',
        target: key,
        ip: request.ip,
      });
      throw new DistrictError(401, 'bad-login', 'wrong username or password');
    }
    failures.delete(key);
    const { token, session } = await createSession(app.district.db, user, nowMs);
    await audit(app.district.db, { nowMs, user, action: 'login', target: user.username, ip: request.ip });
    void reply.header(
      'set-cookie',
      sessionCookie(token, {
        secure: app.dashboard.secureCookies,
        maxAgeSeconds: Math.floor(SESSION_LIFETIME_MS / 1000),
      }),
    );
    return { user: session.user, csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  });

  app.post('/api/dash/logout', { config: { access: 'viewer' } }, async (request, reply) => {
    const staff = staffOf(request);
    const token = sessionTokenFrom(request.headers.cookie);
    if (token !== null) {
      await deleteSession(app.district.db, token);
    }
    await auditByStaff(request, {
      nowMs: app.district.now(),
      action: 'logout',
      target: staff.user.username,
    });
    void reply.header(
      'set-cookie',
      sessionCookie('', { secure: app.dashboard.secureCookies, maxAgeSeconds: 0 }),
    );
    return { ok: true };
  });

  app.get('/api/dash/session', { config: { access: 'viewer' } }, async (request) => {
    const staff = staffOf(request);
    return { user: staff.user, csrfToken: staff.csrfToken, expiresAt: staff.expiresAt };
  });
}
