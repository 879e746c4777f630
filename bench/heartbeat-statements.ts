// What one heartbeat costs PostgreSQL, statement by statement: a district server (in this process,
// pacing on as in production) on a PostgreSQL with pg_stat_statements; every station sends one
// heartbeat first (its first contact: availability row created), then the counters are reset and
// each sends BENCH_ROUNDS more, one request at a time (no group commit sharing a transaction), so
// the figures are those of one steady-state heartbeat request: statements (round trips), their
// execution and planning time, in PostgreSQL's own accounting.
// BENCH_STATIONS: stations (default 300), BENCH_ROUNDS: measured heartbeats per station (default 2).
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../district/server/db/open';
import { startServer } from '../district/server/server';
import { startPostgres } from '../tests/helpers/postgres';
import { addBenchStations, benchSetting, heartbeatEvent, signedBatch } from './district-seed';
import { keepAliveAgent, postEvents } from './heartbeat-load';

const STATIONS = Math.ceil(benchSetting('BENCH_STATIONS', 300));
const ROUNDS = Math.ceil(benchSetting('BENCH_ROUNDS', 2));

const postgres = await startPostgres();
const setup = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });
const [{ data_directory: dataDirectory }] = await setup.query<{ data_directory: string }>('SHOW data_directory');
await setup.close();
// Unknown to PostgreSQL until the library is loaded, so written to the file ALTER SYSTEM keeps.
appendFileSync(
  join(dataDirectory, 'postgresql.auto.conf'),
  `shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track_planning = on\n`,
);
// The library loads only at start: restarted in place (same port), then stopped the same way below.
const pgCtl = (args: string[]): void => {
  execFileSync('runuser', ['-u', 'nobody', '--', join('/usr/lib/postgresql/15/bin', 'pg_ctl'), '-D', dataDirectory, ...args], {
    stdio: 'ignore',
  });
};
pgCtl(['-w', '-t', '30', 'restart', '-m', 'fast', '-l', join(dataDirectory, '..', 'server.log')]);

try {
  const db = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });
  await db.run('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const stations = await addBenchStations(db, STATIONS, 50);
  const server = await startServer({ db, port: 0, host: '127.0.0.1', maxInFlight: 10_000, logger: false });
  const agent = keepAliveAgent(4);

  const heartbeatAll = async (): Promise<void> => {
    for (const station of stations) {
      const now = Date.now();
      const answer = await postEvents(agent, server.url, signedBatch(station, [heartbeatEvent(station, now)], now));
      if (answer.status !== 200) {
        throw new Error(`heartbeat refused: ${answer.status} ${answer.text}`);
      }
    }
  };

  await heartbeatAll();
  await db.query('SELECT pg_stat_statements_reset()');
  for (let round = 0; round < ROUNDS; round++) {
    await heartbeatAll();
  }
  const requests = STATIONS * ROUNDS;
  const rows = await db.query<{ query: string; calls: string; exec: number; plan: number }>(
    `SELECT query, calls, total_exec_time AS exec, total_plan_time AS plan FROM pg_stat_statements
     WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC, total_exec_time DESC`,
  );
  let calls = 0;
  let exec = 0;
  let plan = 0;
  console.log(`per heartbeat request (${requests} requests, ${STATIONS} stations, one at a time):`);
  console.log('  calls   exec ms  plan ms  statement');
  for (const row of rows) {
    calls += Number(row.calls);
    exec += row.exec;
    plan += row.plan;
    console.log(
      `  ${(Number(row.calls) / requests).toFixed(2).padStart(5)}  ${(row.exec / requests).toFixed(4).padStart(7)}  ${(row.plan / requests).toFixed(4).padStart(7)}  ${row.query.replace(/\s+/g, ' ').slice(0, 150)}`,
    );
  }
  console.log(
    `  total: ${(calls / requests).toFixed(2)} statements, execution ${(exec / requests).toFixed(3)} ms, planning ${(plan / requests).toFixed(3)} ms per request`,
  );
  agent.destroy();
  await server.close();
} finally {
  pgCtl(['-w', '-t', '30', 'stop', '-m', 'fast']);
  await postgres.stop();
}
