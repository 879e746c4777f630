// The dashboard as one plugin: its options and escalation timer, the auth hook (every route
// declares `config.access`), its JSON bodies and error answers, then the routes. app.ts registers
// it after the station API.
import type { FastifyError, FastifyInstance } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import * as z from 'zod';
import { DistrictError, RetryLaterError } from '../errors';
import { DEFAULT_HEARTBEAT_WINDOW_MS } from '../figures/availability';
import type { EscalationConfig } from '../escalation/config';
import { DEFAULT_ESCALATION, letterThresholdHours } from '../escalation/config';
import { startEscalationTimer } from '../escalation/scheduler';
import type { Notifier } from '../notify/types';
import adminRoutes from './api/dash/admin';
import { installAuthHook } from './api/dash/auth-hook';
import { installForwardedGuard } from './api/dash/forwarded-guard';
import { installScopeHook } from './api/dash/scope';
import rollupRoutes from './api/dash/rollup';
import boardRoutes from './api/dash/board';
import calendarRoutes from './api/dash/calendar';
import escalationLetterRoutes from './api/dash/escalation-letters';
import escalationSettingsRoutes from './api/dash/escalation-settings';
import type { DashboardContext } from './api/dash/context';
import faultRoutes from './api/dash/faults';
import forecastRoutes from './api/dash/forecasts';
import inventoryRoutes from './api/dash/inventory';
import loanSuggestionRoutes from './api/dash/loan-suggestions';
import reportRoutes from './api/dash/reports';
import sessionRoutes from './api/dash/session';
import publicRoutes from './public';
import webRoutes, { defaultWebDir } from './web';

export interface DashboardOptions {
  /** A station silent longer than this is itself a problem and counts as unable to record. Default 10 minutes. */
  heartbeatWindowMs?: number;
  districtName?: string;
  secureCookies?: boolean;
  /** Escalation rules and the notifier; absent: no escalation timer. */
  escalation?: { config: EscalationConfig; notifier: Notifier; timer?: boolean };
  /** Tells technicians of accepted loans; default: the escalation's notifier. */
  notifier?: Notifier;
  /** The built web app (default: dist/district-web). */
  webDir?: string;
}

/**
 * Decorates the root instance with `dashboard` (so tests and the server can read it), then
 * registers the dashboard itself encapsulated: its auth hook and error answers never touch the intake.
 */
async function dashboardPlugin(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const escalation =
    options.escalation === undefined
      ? null
      : startEscalationTimer(
          {
            db: app.district.db,
            notifier: options.escalation.notifier,
            config: options.escalation.config,
            warn: (message, detail) => app.log.warn(detail, message),
          },
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
    escalationConfig: options.escalation?.config ?? DEFAULT_ESCALATION,
    letterThresholdHours: letterThresholdHours(options.escalation?.config ?? DEFAULT_ESCALATION),
    notifier: options.notifier ?? options.escalation?.notifier ?? null,
    dashboardUrl: options.escalation?.config.dashboardUrl ?? '',
    routes: [],
  };
  app.decorate('dashboard', context);
  // The default district (a district's own server) takes the office's name once (migration 401 left it empty).
  await app.district.db.run("UPDATE districts SET name = $1 WHERE code = 'default' AND name = ''", [
    context.districtName,
  ]);
  app.addHook('onClose', async () => {
    await escalation?.stop();
    options.escalation?.notifier.close();
    if (options.notifier !== undefined && options.notifier !== options.escalation?.notifier) {
      options.notifier.close();
    }
  });
  await app.register(dashboardRoutes, { webDir: options.webDir ?? defaultWebDir() });
}
// Not encapsulated, so the decoration lands on the root; dashboardRoutes is encapsulated.
const dashboard = fastifyPlugin(dashboardPlugin, {
  name: 'siaga-dashboard',
  dependencies: ['siaga-district-context'],
});
export default dashboard;

/** Fastify's refusals of a body before any handler runs. */
const BODY_NOT_JSON = new Set(['FST_ERR_CTP_EMPTY_JSON_BODY', 'FST_ERR_CTP_INVALID_JSON_BODY']);

async function dashboardRoutes(app: FastifyInstance, options: { webDir: string }): Promise<void> {
  installAuthHook(app);
  installScopeHook(app);
  installForwardedGuard(app);
  // JSON bodies by fastify's own parser (application/json only: anything else is refused with 415).
  app.removeContentTypeParser('text/plain');
  // The one place a dashboard error becomes an answer: typed refusals (errors.ts) by their status and
  // code, a body that is not JSON as `malformed`, other client errors as `invalid`.
  app.setErrorHandler((error: FastifyError | DistrictError | z.ZodError, request, reply) => {
    if (error instanceof RetryLaterError) {
      void reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
    }
    if (error instanceof DistrictError) {
      return reply.code(error.status).send({ error: error.code, message: error.message });
    }
    if (error instanceof z.ZodError) {
      return reply.code(400).send({ error: 'invalid', message: error.message });
    }
    if (BODY_NOT_JSON.has(error.code)) {
      return reply.code(400).send({ error: 'malformed', message: 'the body is not JSON' });
    }
    if (error.statusCode !== undefined && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: 'invalid', message: error.message });
    }
    request.log.error(error);
    return reply.code(500).send({ error: 'internal', message: 'internal error' });
  });

  await app.register(sessionRoutes);
  await app.register(boardRoutes);
  await app.register(faultRoutes);
  await app.register(forecastRoutes);
  await app.register(inventoryRoutes);
  await app.register(loanSuggestionRoutes);
  await app.register(reportRoutes);
  await app.register(adminRoutes);
  await app.register(calendarRoutes);
  await app.register(escalationLetterRoutes);
  await app.register(escalationSettingsRoutes);
  await app.register(rollupRoutes);
  await app.register(publicRoutes);
  await app.register(webRoutes, { webDir: options.webDir });
}
