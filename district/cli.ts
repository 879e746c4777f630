// The `siaga-district` command (npm run district -- ...):
//   serve [--port N] [--host H] [--data-dir DIR] [--db URL] [--max-batches-per-second N]
//         [--tls-cert FILE --tls-key FILE]   HTTPS with the district's own certificate (docs/tls.md)
//   station add --name NAME --kecamatan K [--code-hours H]     prints the one-time enrollment code
//   station code STATION_ID [--code-hours H]                    a new code to re-enroll a station
//   stations [--json]
//   bundle import FILE
//   faults [--json] [--state open|resolved]
//   user add --username U --role viewer|technician|admin [--name N] [--email E]   password from
//            $SIAGA_PASSWORD or one line on stdin (never an argument: it would show in `ps`)
//   escalate                                                    runs the escalation rules once
// serve also takes the dashboard's options: [--smtp smtp://...] [--mail-from ADDR]
//   [--escalation FILE.json] [--heartbeat-window-minutes 10] [--district-name NAME] [--secure-cookies]
// Every command takes --data-dir (default $SIAGA_DISTRICT_DATA_DIR or ./siaga-district-data) and
// --db (postgres://... or sqlite:PATH; default the SQLite file in the data dir).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { addUser } from './server/auth/users';
import { importBundle } from './server/intake/bundle-import';
import { openDatabase } from './server/db/open';
import type { Db } from './server/db/types';
import { DEFAULT_ESCALATION, EscalationConfigSchema } from './server/escalation/config';
import type { EscalationConfig } from './server/escalation/config';
import { runEscalation } from './server/escalation/run';
import { createNotifier } from './server/notify/notifier';
import { Refusal } from './server/intake/refusal';
import { RejectionLog } from './server/intake/rejections';
import { closeOnSignals, startServer } from './server/server';
import { addStation, listFaults, newCodeForStation } from './server/stations/stations';

const USAGE = `usage: siaga-district <command> [options]
  serve [--port 8080] [--host 0.0.0.0] [--max-batches-per-second 10] [--tls-cert FILE --tls-key FILE]
  station add --name NAME --kecamatan KECAMATAN [--code-hours 72]
  station code STATION_ID [--code-hours 72]
  stations [--json]
  bundle import FILE
  faults [--json] [--state open|resolved]
  user add --username U --role viewer|technician|admin [--name N] [--email E]  (password: $SIAGA_PASSWORD or stdin)
  escalate
serve: [--smtp smtp://host:587] [--mail-from ADDR] [--escalation FILE.json] [--heartbeat-window-minutes 10]
       [--district-name NAME] [--secure-cookies]
common: [--data-dir DIR] [--db postgres://...|sqlite:PATH]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string', default: '8080' },
    host: { type: 'string', default: '0.0.0.0' },
    'data-dir': { type: 'string', default: process.env.SIAGA_DISTRICT_DATA_DIR ?? 'siaga-district-data' },
    db: { type: 'string' },
    name: { type: 'string' },
    kecamatan: { type: 'string' },
    'code-hours': { type: 'string', default: '72' },
    'max-batches-per-second': { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    state: { type: 'string' },
    username: { type: 'string' },
    role: { type: 'string' },
    email: { type: 'string' },
    smtp: { type: 'string' },
    'mail-from': { type: 'string', default: 'Siaga <siaga@localhost>' },
    escalation: { type: 'string' },
    'heartbeat-window-minutes': { type: 'string', default: '10' },
    'district-name': { type: 'string' },
    'secure-cookies': { type: 'boolean', default: false },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function fail(message: string): never {
  console.error(`siaga-district: ${message}\n${USAGE}`);
  process.exit(2);
}

function positiveNumber(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    fail(`--${option} must be a number >= 0`);
  }
  return value;
}

async function withDb<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase({ url: values.db, dataDir: values['data-dir'] });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

function escalationConfig(): EscalationConfig {
  if (values.escalation === undefined) {
    return DEFAULT_ESCALATION;
  }
  const parsed = EscalationConfigSchema.safeParse(JSON.parse(readFileSync(values.escalation, 'utf8')));
  if (!parsed.success) {
    fail(
      `--escalation ${values.escalation}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

async function readPassword(): Promise<string> {
  if (process.env.SIAGA_PASSWORD !== undefined) {
    return process.env.SIAGA_PASSWORD;
  }
  if (process.stdin.isTTY) {
    process.stderr.write('password: ');
  }
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

async function main(): Promise<void> {
  const [command, subcommand, argument] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return;
  }
  const codeLifetimeMs = positiveNumber(values['code-hours'], 'code-hours') * 3_600_000;
  if (command === 'serve') {
    if ((values['tls-cert'] === undefined) !== (values['tls-key'] === undefined)) {
      fail('--tls-cert and --tls-key go together');
    }
    let tls: { cert: string; key: string } | undefined;
    if (values['tls-cert'] !== undefined && values['tls-key'] !== undefined) {
      try {
        tls = {
          cert: readFileSync(values['tls-cert'], 'utf8'),
          key: readFileSync(values['tls-key'], 'utf8'),
        };
      } catch (error) {
        fail(`cannot read the TLS files: ${(error as Error).message}`);
      }
    }
    const db = await openDatabase({ url: values.db, dataDir: values['data-dir'] });
    const server = await startServer({
      db,
      port: positiveNumber(values.port, 'port'),
      host: values.host,
      logger: { level: 'info' },
      tls,
      maxBatchesPerSecond: positiveNumber(values['max-batches-per-second'], 'max-batches-per-second'),
      dashboard: {
        heartbeatWindowMs:
          positiveNumber(values['heartbeat-window-minutes'], 'heartbeat-window-minutes') * 60_000,
        districtName: values['district-name'],
        secureCookies: values['secure-cookies'],
        escalation: {
          config: escalationConfig(),
          notifier: createNotifier({ smtpUrl: values.smtp ?? null, from: values['mail-from'] }),
        },
      },
    });
    console.log(`siaga-district listening on ${server.url} (database: ${values.db ?? values['data-dir']})`);
    await closeOnSignals(server);
    return;
  }
  if (command === 'station' && subcommand === 'add') {
    if (values.name === undefined || values.kecamatan === undefined) {
      fail('station add needs --name and --kecamatan');
    }
    const station = await withDb((db) =>
      addStation(db, { name: values.name!, kecamatan: values.kecamatan!, codeLifetimeMs }),
    );
    if (values.json) {
      console.log(JSON.stringify(station));
    } else {
      console.log(`station ${station.stationId} (${station.name}, kecamatan ${station.kecamatan})`);
      console.log(`enrollment code: ${station.code}  (one use, valid until ${station.expiresAt})`);
    }
    return;
  }
  if (command === 'station' && subcommand === 'code') {
    if (argument === undefined) {
      fail('station code needs a STATION_ID');
    }
    const code = await withDb((db) => newCodeForStation(db, argument, { codeLifetimeMs }));
    console.log(
      values.json
        ? JSON.stringify(code)
        : `enrollment code: ${code.code}  (one use, valid until ${code.expiresAt})`,
    );
    return;
  }
  if (command === 'stations') {
    const stations = await withDb((db) =>
      db.query<Record<string, unknown>>(
        'SELECT id, name, kecamatan, enrolled_at, last_seen_at, app_version, last_heartbeat FROM stations ORDER BY kecamatan, name',
      ),
    );
    if (values.json) {
      console.log(JSON.stringify(stations, null, 2));
    } else {
      for (const station of stations) {
        console.log(
          `${station.id}  ${station.kecamatan} / ${station.name}  enrolled ${station.enrolled_at ?? 'no'}  last seen ${station.last_seen_at ?? 'never'}`,
        );
      }
    }
    return;
  }
  if (command === 'bundle' && subcommand === 'import') {
    if (argument === undefined) {
      fail('bundle import needs a FILE');
    }
    const text = readFileSync(argument, 'utf8');
    const result = await withDb(async (db) => {
      const rejections = new RejectionLog(db);
      try {
        return await importBundle(db, text, { rejections, source: argument });
      } finally {
        await rejections.close();
      }
    });
    console.log(
      values.json
        ? JSON.stringify(result)
        : `bundle from ${result.stationId}: ${result.requests} requests, ${result.accepted} events stored, ${result.duplicates} already held, ${result.refused.length} requests refused`,
    );
    for (const refused of result.refused) {
      console.error(`  request #${refused.index} refused (${refused.error}): ${refused.message}`);
    }
    process.exitCode = result.refused.length > 0 ? 1 : 0;
    return;
  }
  if (command === 'user' && subcommand === 'add') {
    if (values.username === undefined || values.role === undefined) {
      fail('user add needs --username and --role');
    }
    const password = await readPassword();
    const user = await withDb((db) =>
      addUser(db, {
        username: values.username!,
        name: values.name ?? values.username!,
        email: values.email ?? null,
        role: values.role!,
        password,
      }),
    );
    console.log(values.json ? JSON.stringify(user) : `user ${user.username} (${user.role}) added`);
    return;
  }
  if (command === 'escalate') {
    const notifier = createNotifier({ smtpUrl: values.smtp ?? null, from: values['mail-from'] });
    try {
      const result = await withDb((db) =>
        runEscalation({ db, notifier, config: escalationConfig() }, Date.now()),
      );
      console.log(JSON.stringify(result));
    } finally {
      notifier.close();
    }
    return;
  }
  if (command === 'faults') {
    const faults = await withDb((db) => listFaults(db, { state: values.state }));
    if (values.json) {
      console.log(JSON.stringify(faults, null, 2));
    } else if (faults.length === 0) {
      console.log('no faults');
    } else {
      for (const fault of faults) {
        const flags = [fault.flapping ? 'flapping' : '', fault.recurring ? 'recurring' : '']
          .filter(Boolean)
          .join(',');
        console.log(
          `${fault.state.padEnd(8)} ${fault.severity.padEnd(8)} ${fault.kecamatan} / ${fault.stationName}  ${fault.role}  ${fault.code}` +
            `${fault.deviceSerial === null ? '' : `  SN ${fault.deviceSerial}`}  since ${fault.firstSeen}  x${fault.occurrences}${flags === '' ? '' : `  [${flags}]`}`,
        );
      }
    }
    return;
  }
  fail(`unknown command: ${positionals.join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(
    `siaga-district: ${error instanceof Refusal ? `${error.error}: ${error.message}` : error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
