// Enforces each dashboard route's `config.access` before anything else runs: a session cookie for
// staff routes (401 without), the role (403 below it), and the CSRF header on every
// state-changing request (403). A route that does not declare its access cannot be registered.
import type { FastifyInstance } from 'fastify';
import { roleAllows } from '../../../auth/roles';
import { csrfMatches, CSRF_HEADER, findSession, sessionTokenFrom } from '../../../auth/sessions';

const SAFE_METHODS = ['GET', 'HEAD', 'OPTIONS'];

export function installAuthHook(app: FastifyInstance): void {
  app.decorateRequest('staff', null);
  app.addHook('onRoute', (route) => {
    if (route.config?.access === undefined) {
      throw new Error(`dashboard route ${String(route.method)} ${route.url} declares no config.access`);
    }
    for (const method of [route.method].flat()) {
      app.dashboard.routes.push({ method, url: route.url, access: route.config.access });
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    const token = sessionTokenFrom(request.headers.cookie);
    request.staff = token === null ? null : await findSession(app.district.db, token, app.district.now());
    if (access === 'public' || access === undefined) {
      return;
    }
    if (request.staff === null) {
      return reply.code(401).send({ error: 'login-required', message: 'sign in first' });
    }
    if (!roleAllows(request.staff.user.role, access)) {
      return reply.code(403).send({ error: 'forbidden', message: `this needs the ${access} role` });
    }
    if (!SAFE_METHODS.includes(request.method) && !csrfMatches(request.staff, request.headers[CSRF_HEADER])) {
      return reply.code(403).send({ error: 'csrf', message: `missing or wrong ${CSRF_HEADER} header` });
    }
    return undefined;
  });
}
