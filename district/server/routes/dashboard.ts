// The dashboard as one plugin: its options and escalation timer, the auth hook (every route
// declares `config.access`), its error answers, then the routes. app.ts registers it after the intake.
import type { FastifyInstance } from 'fastify';
import { DEFAULT_HEARTBEAT_WINDOW_MS } from '../figures/availability';
import type { EscalationConfig } from '../escalation/config';
import { startEscalationTimer } from '../escalation/scheduler';
import type { Notifier } from '../notify/types';
import adminRoutes from './api/dash/admin';
import { installAuthHook } from './api/dash/auth-hook';
import boardRoutes from './api/dash/board';
import type { DashboardContext } from './api/dash/context';
import { DashError } from './api/dash/context';
import faultRoutes from './api/dash/faults';
import inventoryRoutes from './api/dash/inventory';
import reportRoutes from './api/dash/reports';
import sessionRoutes from './api/dash/session';
import webRoutes, { defaultWebDir } from './web';

export interface DashboardOptions {
  /** A station silent longer than this is itself a problem and counts as unable to record. Default 10 minutes. */
  heartbeatWindowMs?: number;
  districtName?: string;
  secureCookies?: boolean;
  /** Escalation rules and the notifier; absent: no escalation timer. */
  escalation?: { config: EscalationConfig; notifier: Notifier; timer?: boolean };
  /** The built web app (default: dist/district-web). */
  webDir?: string;
}

/**
 * Decorates the root instance with `dashboard` (so tests and the server can read it), then
 * registers the dashboard itself encapsulated: its auth hook and error answers never touch the intake.
 */
async function dashboard(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const escalation =
    options.escalation === undefined
      ? null
      : startEscalationTimer(
          { db: app.district.db, notifier: options.escalation.notifier, config: options.escalation.config },
          {
            now: app.district.now,
            onError: (error) => app.log.error({ err: error }, 'escalation pass failed'),
          },
        );
  const context: DashboardContext = {
    heartbeatWindowMs: options.heartbeatWindowMs ?? DEFAULT_HEARTBEAT_WINDOW_MS,
    districtName: options.districtName ?? 'Dinas Kependudukan dan Pencatatan Sipil',
    secureCookies: options.secureCookies ?? false,
    escalation,
    routes: [],
  };
  app.decorate('dashboard', context);
  app.addHook('onClose', async () => {
    await escalation?.stop();
    options.escalation?.notifier.close();
  });
  await app.register(dashboardRoutes, { webDir: options.webDir ?? defaultWebDir() });
}
// fastify-plugin's convention: do not encapsulate this function, so the decoration lands on the root.
Object.assign(dashboard, { [Symbol.for('skip-override')]: true });
export default dashboard;

async function dashboardRoutes(app: FastifyInstance, options: { webDir: string }): Promise<void> {
  installAuthHook(app);
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof DashError) {
      return reply.code(error.status).send({ error: error.code, message: error.message });
    }
    if (error.name === 'ZodError' || (error.statusCode !== undefined && error.statusCode < 500)) {
      return reply.code(error.statusCode ?? 400).send({ error: 'invalid', message: error.message });
    }
    request.log.error(error);
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });

  await app.register(sessionRoutes);
  await app.register(boardRoutes);
  await app.register(faultRoutes);
  await app.register(inventoryRoutes);
  await app.register(reportRoutes);
  await app.register(adminRoutes);
  await app.register(webRoutes, { webDir: options.webDir });
}
