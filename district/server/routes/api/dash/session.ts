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
import { HashingBusyError } from '../../../auth/password';
import { accountKey, admitLogin, forget, pruneThrottle, refundAddress } from '../../../auth/throttle';
import { DistrictError, RetryLaterError } from '../../../errors';
import { DEFAULT_DISTRICT, singleDistrict } from '../../../tenancy/scope';
import { auditByStaff, parseBody, staffOf } from './context';

/** Every this many ms a login also deletes throttling rows gone quiet. */
const PRUNE_EVERY_MS = 10 * 60 * 1000;

export default async function sessionRoutes(app: FastifyInstance): Promise<void> {
  let lastPruneMs = 0;

  // Throttled by (account, address) and by address with growing delays (auth/throttle.ts); the
  // password check itself waits in the bounded hashing queue (auth/password.ts).
  app.post('/api/dash/login', { config: { access: 'public' } }, async (request, reply) => {
    const { username, password } = parseBody(request, LoginRequestSchema);
    const nowMs = app.district.now();
    const key = username.trim().toLowerCase();
    if (nowMs - lastPruneMs > PRUNE_EVERY_MS) {
      lastPruneMs = nowMs;
      await pruneThrottle(app.district.db, nowMs);
    }
    const admission = await admitLogin(app.district.db, key, request.ip, nowMs);
    if (!admission.admitted) {
      throw new RetryLaterError(
        429,
        'too-many-attempts',
        `too many failed logins; try again in ${Math.ceil(admission.retryAfterMs / 1000)} s`,
        admission.retryAfterMs,
      );
    }
    let user: Awaited<ReturnType<typeof authenticate>>;
    try {
      user = await authenticate(app.district.db, username, password);
    } catch (error) {
      if (error instanceof HashingBusyError) {
        throw new RetryLaterError(503, 'busy', 'too many logins at once; try again shortly', 1000);
      }
      throw error;
    }
    if (user === null) {
      // Seen by the district of the account named (an unknown name: the default district's, the service's own).
      const [named] = await app.district.db.query<{ scope_level: string; scope_code: string }>(
        'SELECT scope_level, scope_code FROM users WHERE username = $1',
        [key],
      );
      await audit(app.district.db, {
        nowMs,
        user: null,
        action: 'login-failed',
        target: key,
        detail: { failures: admission.accountFailures },
        ip: request.ip,
        district: named === undefined ? DEFAULT_DISTRICT : named.scope_level === 'district' ? named.scope_code : null,
      });
      throw new DistrictError(401, 'bad-login', 'wrong username or password');
    }
    await forget(app.district.db, accountKey(key, request.ip));
    await refundAddress(app.district.db, request.ip);
    const { token, session } = await createSession(app.district.db, user, nowMs);
    await audit(app.district.db, {
      nowMs,
      user,
      action: 'login',
      target: user.username,
      ip: request.ip,
      district: singleDistrict(user.scope),
    });
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
