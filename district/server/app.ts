// Builds the district's fastify app: the shared context and refusals first, then the station API
// (/api/v1, raw signed bodies) and the dashboard (JSON bodies), each with its own body parsing.
// server.ts listens; tests call buildApp and use app.inject() against a real database.
import Fastify, { LogController } from 'fastify';
import type https from 'node:https';
import type { FastifyHttpsOptions, FastifyInstance, FastifyServerOptions } from 'fastify';
import { FaultPayloadSchema, StationIdSchema } from '../../protocol/events';
import { ERROR_STATUS, MAX_BODY_BYTES } from '../../protocol/requests';
import type { ErrorCode } from '../../protocol/requests';
import type { DistrictContext } from './context';
import { districtContext, refuse, refuseWith } from './context';
import { isDatabaseUnavailable } from './db/postgres';
import type { Db } from './db/types';
import { loadDistrictKey } from './intake/district-key';
import { ReplayMemory, StationPacer } from './intake/guards';
import { SharedPacer, SharedReplayGuard } from './intake/shared-guards';
import { Refusal } from './intake/refusal';
import { signRepliesHook } from './intake/reply-signing';
import { RejectionLog } from './intake/rejections';
import type { RejectionLogOptions } from './intake/rejections';
import dashboard from './routes/dashboard';
import type { DashboardOptions } from './routes/dashboard';
import stationApi from './routes/api/v1';
import { installSecurityHeaders } from './security-headers';

/**
 * Every path parameter is a station id (at most 64 characters), a fault id (at most 128 of any
 * kind) or an id the district made (shorter): a fault id of 128 four-byte characters is 1536
 * characters percent-encoded.
 */
/** How long a request refused because PostgreSQL is out of reach is told to wait (a restart takes seconds). */
const DATABASE_RETRY_AFTER_MS = 5000;

export const MAX_PATH_PARAMETER_LENGTH =
  Math.max(StationIdSchema.maxLength ?? 64, FaultPayloadSchema.shape.faultId.maxLength ?? 128) * 12;

export interface AppOptions {
  db: Db;
  /** The district clock (ms since the epoch); defaults to Date.now. */
  now?: () => number;
  logger?: FastifyServerOptions['logger'];
  /** One line per answered request (`METHOD URL STATUS MS`) instead of fastify's two JSON lines. */
  requestLog?: (line: string) => void;
  /** Batches per second a station may send on average (token bucket, burst of the same size). Default 10. */
  maxBatchesPerSecond?: number;
  /** Intake requests processed at once before answering 503. Default 64. */
  maxInFlight?: number;
  rejectionLog?: RejectionLogOptions;
  /** Enrollment attempts per minute from one address (burst of the same size). Default 10. */
  maxEnrollmentsPerMinute?: number;
  /**
   * Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (fastify's trustProxy: an address,
   * a CIDR list or true). Default: none; the socket's address and protocol count.
   */
  trustProxy?: boolean | string | string[];
  /** The staff dashboard, the public page and escalation (routes/dashboard.ts). */
  dashboard?: DashboardOptions;
  /** Serve HTTPS with these PEM files' contents (`serve --tls-cert FILE --tls-key FILE`); HTTP without. */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

/** Fastify's own refusals (before our handlers run) in the protocol's words. */
function errorCodeOf(statusCode: number | undefined, code: string | undefined): ErrorCode {
  if (statusCode === 413 || code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return 'too-large';
  }
  if (statusCode === 415 || code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return 'unsupported-media-type';
  }
  if (statusCode === 404) {
    return 'not-found';
  }
  if (statusCode !== undefined && statusCode >= 400 && statusCode < 500) {
    return 'malformed';
  }
  return 'internal';
}

/**
 * The intake's guards: in memory for SQLite (one process on one PC, as before), in the database for
 * PostgreSQL, where any number of processes may serve the same stations (docs/cluster.md).
 */
function intakeGuards(options: AppOptions): Pick<DistrictContext, 'replays' | 'pacer' | 'enrollPacer'> {
  const batchesPerSecond = options.maxBatchesPerSecond ?? 10;
  const enrollmentsPerMinute = options.maxEnrollmentsPerMinute ?? 10;
  if (options.db.dialect === 'postgres') {
    return {
      replays: new SharedReplayGuard(options.db),
      pacer: new SharedPacer(options.db, 'station-batches', batchesPerSecond),
      enrollPacer: new SharedPacer(options.db, 'enroll-address', enrollmentsPerMinute / 60, {
        burst: enrollmentsPerMinute,
      }),
    };
  }
  return {
    replays: new ReplayMemory(),
    pacer: new StationPacer(batchesPerSecond),
    enrollPacer: new StationPacer(enrollmentsPerMinute / 60, { burst: enrollmentsPerMinute }),
  };
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const serverOptions: FastifyServerOptions = {
    logger: options.logger ?? false,
    logController: new LogController({ disableRequestLogging: options.requestLog !== undefined }),
    bodyLimit: MAX_BODY_BYTES,
    // Proxies in front of a district are configured by the operator; by default we take the socket address.
    trustProxy: options.trustProxy ?? false,
    // The longest path parameter a route takes, percent-encoded (find-my-way measures it raw; fastify's
    // default of 100 answered 414 to valid fault ids).
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER_LENGTH },
  };
  // An HTTPS fastify has another server type parameter; the routes never touch the server itself.
  const app = (options.tls === undefined
    ? Fastify(serverOptions)
    : Fastify({
        ...serverOptions,
        https: options.tls,
      } as FastifyHttpsOptions<https.Server>)) as unknown as FastifyInstance;
  installSecurityHeaders(app);
  const context: DistrictContext = {
    db: options.db,
    now: options.now ?? Date.now,
    ...intakeGuards(options),
    rejections: new RejectionLog(options.db, options.rejectionLog),
    districtKey: await loadDistrictKey(options.db),
    inFlight: 0,
    maxInFlight: options.maxInFlight ?? 64,
    heartbeatWindowMs: options.dashboard?.heartbeatWindowMs,
  };
  await app.register(districtContext, { context });
  app.addHook('onSend', signRepliesHook(context.districtKey));
  const requestLog = options.requestLog;
  if (requestLog !== undefined) {
    app.addHook('onResponse', async (request, reply) => {
      requestLog(
        `${new Date().toISOString()} ${request.method} ${request.url} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`,
      );
    });
  }

  // The station API's refusals (a Refusal thrown by the intake, or fastify's own before a handler
  // runs) in the protocol's words. The dashboard answers its errors itself (routes/dashboard.ts).
  app.setErrorHandler((error: { statusCode?: number; code?: string; message?: string }, request, reply) => {
    if (error instanceof Refusal) {
      return refuseWith(request, reply, context, error);
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      const station = request.headers['x-siaga-station'];
      return refuseWith(request, reply, context, new Refusal(
        'unavailable',
        'the district database is unavailable; send again later',
        typeof station === 'string' ? station : null,
        DATABASE_RETRY_AFTER_MS,
      ));
    }
    const errorCode = errorCodeOf(error.statusCode, error.code);
    if (ERROR_STATUS[errorCode] >= 500) {
      request.log.error(error);
      return reply
        .code(500)
        .send({ error: 'internal', message: 'internal error', serverTime: context.now() });
    }
    const claimed = request.headers['x-siaga-station'];
    return refuse(request, reply, context, {
      error: errorCode,
      message:
        errorCode === 'too-large' ? `the body exceeds ${MAX_BODY_BYTES} bytes` : (error.message ?? errorCode),
      stationId: typeof claimed === 'string' ? claimed : null,
    });
  });
  app.setNotFoundHandler((request, reply) =>
    refuse(request, reply, context, {
      error: 'not-found',
      message: `no route ${request.method} ${request.url}`,
    }),
  );

  await app.register(stationApi);
  await app.register(dashboard, options.dashboard ?? {});
  return app;
}
