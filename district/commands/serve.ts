// `siaga-district serve`: the intake, the dashboard and escalation on one port, until SIGINT/SIGTERM
// (Ctrl+C). One line per request (time, method, URL, status, milliseconds) on stdout, or appended
// to `--log FILE`; warnings and errors go to the same place.
import { createWriteStream, readFileSync } from 'node:fs';
import { UsageError, writeLine } from '../../cli/command';
import { openDatabase } from '../server/db/open';
import { openAllConnections, POOL_SIZE } from '../server/db/postgres';
import { startFiguresAhead } from '../server/figures/ahead';
import { pruneHeartbeats } from '../server/intake/retention';
import { startForwarding } from '../server/peering/forwarder';
import { closeOnSignals, startServer } from '../server/server';
import { ESCALATION_OPTIONS, ESCALATION_USAGE, escalationConfig, notifierOf } from './escalation-options';
import { databaseOf, defineCommand, noPositionals, numberOption } from './io';

export const serve = defineCommand({
  usage: `serve [--port 8080] [--host 0.0.0.0] [--max-batches-per-second 10] [--heartbeat-window-minutes 10]
        [--tls-cert FILE --tls-key FILE]   HTTPS with the district's own certificate (docs/tls.md)
        [--district-name NAME] [--secure-cookies] [--log FILE] ${ESCALATION_USAGE}
        [--upstream-poll-seconds 60]   how often a district not enrolled upstream looks again
        [--upstream-max-backoff-seconds 300]   the longest wait between failed forwards upstream
        [--trust-proxy ADDR[,CIDR...]]   believe X-Forwarded-For from these proxies (docs/cluster.md)`,
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '0.0.0.0' },
    'max-batches-per-second': { type: 'string', default: '10' },
    'heartbeat-window-minutes': { type: 'string', default: '10' },
    'district-name': { type: 'string' },
    'secure-cookies': { type: 'boolean', default: false },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    log: { type: 'string' },
    'upstream-poll-seconds': { type: 'string', default: '60' },
    'upstream-max-backoff-seconds': { type: 'string', default: '300' },
    'trust-proxy': { type: 'string' },
    ...ESCALATION_OPTIONS,
  },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const database = databaseOf(values);
    const options = {
      port: numberOption(values.port, 'port'),
      maxBatchesPerSecond: numberOption(values['max-batches-per-second'], 'max-batches-per-second'),
      heartbeatWindowMs:
        numberOption(values['heartbeat-window-minutes'], 'heartbeat-window-minutes') * 60_000,
      escalation: escalationConfig(values),
    };
    const tls = tlsFiles(values['tls-cert'], values['tls-key']);
    const log = values.log === undefined ? io.stdout : createWriteStream(values.log, { flags: 'a' });
    const db = await openDatabase(database);
    // PostgreSQL: before listening (and passing the load balancer's check). A connection that fails
    // here (PostgreSQL restarting) is opened on demand later: the server starts with fewer open.
    const warmed = await openAllConnections(db);
    if (warmed.failure !== undefined) {
      writeLine(
        log,
        `${new Date().toISOString()} PostgreSQL: ${warmed.opened} of ${POOL_SIZE} connections opened ahead; ` +
          `the others open on demand (${warmed.failure.message})`,
      );
    }
    // Forwards to the upstream once `siaga-district upstream enroll` was run on this database.
    const forwarding = startForwarding(db, {
      log: (line) => writeLine(log, `${new Date().toISOString()} ${line}`),
      notEnrolledMs: numberOption(values['upstream-poll-seconds'], 'upstream-poll-seconds') * 1000,
      policy: {
        maxBackoffMs: numberOption(values['upstream-max-backoff-seconds'], 'upstream-max-backoff-seconds') * 1000,
      },
    });
    // Raw heartbeats are kept two days (intake/retention.ts): pruned at start and every hour.
    const prune = (): void => {
      pruneHeartbeats(db, Date.now()).catch((error: unknown) =>
        writeLine(log, `${new Date().toISOString()} heartbeat pruning failed: ${(error as Error).message}`),
      );
    };
    prune();
    const pruning = setInterval(prune, 60 * 60_000);
    // The figures' summary written ahead of the first view of a day (figures/ahead.ts): at start and every 5 minutes.
    const figuresAhead = startFiguresAhead(db, {
      windowMs: options.heartbeatWindowMs,
      now: Date.now,
      onError: (error) =>
        writeLine(log, `${new Date().toISOString()} figures summary pass failed: ${(error as Error).message}`),
    });
    const stopBackground = async (): Promise<void> => {
      clearInterval(pruning);
      await figuresAhead.stop();
      await forwarding.stop();
    };
    const server = await startServer({
      stopBeforeClose: stopBackground,
      onListenError: stopBackground,
      db,
      port: options.port,
      host: values.host,
      logger: { level: 'warn', stream: log },
      requestLog: (line) => writeLine(log, line),
      tls,
      trustProxy: trustedProxies(values['trust-proxy']),
      maxBatchesPerSecond: options.maxBatchesPerSecond,
      dashboard: {
        heartbeatWindowMs: options.heartbeatWindowMs,
        districtName: values['district-name'],
        secureCookies: values['secure-cookies'],
        escalation: { config: options.escalation, notifier: notifierOf(values, options.escalation) },
      },
    });
    writeLine(
      io.stdout,
      `siaga-district listening on ${server.url} (database: ${database.url ?? database.dataDir})` +
        (values.log === undefined ? '' : `; requests logged to ${values.log}`) +
        '. Ctrl+C stops it.',
    );
    await closeOnSignals(server);
    return 0;
  },
});

/**
 * `--trust-proxy 127.0.0.1,10.0.0.0/8`: the load balancers whose X-Forwarded-For names the client
 * (login throttling and enrollment pacing count per client address). Never `true`: a client could
 * then name any address it likes.
 */
function trustedProxies(value: string | undefined): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  const proxies = value.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const bad = proxies.find((proxy) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(proxy));
  if (proxies.length === 0 || bad !== undefined) {
    throw new UsageError(`--trust-proxy takes IP addresses or CIDR ranges, comma-separated (got ${bad ?? value})`);
  }
  return proxies;
}

/** The certificate and key for HTTPS: both or neither, read now so a bad path is a usage error. */
function tlsFiles(cert: string | undefined, key: string | undefined): { cert: string; key: string } | undefined {
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  if (cert === undefined || key === undefined) {
    return undefined;
  }
  try {
    return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') };
  } catch (error) {
    throw new UsageError(`cannot read the TLS files: ${(error as Error).message}`);
  }
}
