// District server processes on one PostgreSQL behind haproxy (docs/cluster.md), the whole chain
// real and on this machine: `siaga-district serve` processes, haproxy, PostgreSQL with fsync on.
// (a) 20,000 stations heartbeating once a minute through haproxy to two processes: 333 signed
//     one-event batches a second, open loop at that rate (bench/heartbeat-load.ts: signed
//     beforehand, keep-alive connections, latency from each request's scheduled send time, the
//     generator's own lag beside it); each server process's CPU and RSS, and where the machine's
//     CPU went (generator, servers, haproxy, PostgreSQL, other work, idle).
// (b) Intake throughput at saturation, two processes vs one, in the same run: the same closed loop
//     (signed batches of 5 events, 32 in flight) through a haproxy with one backend and through one
//     with two, alternating rounds, with the CPU split of each side. On one machine the generator,
//     haproxy, PostgreSQL and the servers share the cores, so the ratio is bounded by what the
//     second process can find idle: the printout says how much there was.
// BENCH_SECONDS: (a)'s duration (default 20; 180 for the closing figures), BENCH_ROUND_SECONDS and
// BENCH_ROUNDS: (b)'s round length (default 6) and rounds per side (default 2), BENCH_FSYNC=off:
// PostgreSQL without disk flushes (the CPU side alone).
// (a) also prints where the slow requests were (heartbeat-stalls.ts): PostgreSQL runs with
// autovacuum, checkpoints, lock waits and statements over 100 ms logged, and the servers with
// their intake trace (SIAGA_INTAKE_TRACE, district/server/intake/trace.ts); BENCH_TRACE=off runs
// the servers without it.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../district/server/db/open';
import { startDistrictProcess, startHaproxy } from '../tests/helpers/cluster';
import { startPostgres } from '../tests/helpers/postgres';
import type { BenchStation } from './district-seed';
import { addBenchStations, benchSetting, faultEvent, heartbeatEvent, signedBatch } from './district-seed';
import type { SignedRequest } from './heartbeat-load';
import { closedLoop, HEARTBEAT_GOAL_MS, keepAliveAgent, openLoopHeartbeats, printOpenLoop } from './heartbeat-load';
import { stationsTableReport, whereSlowRequestsWere } from './heartbeat-stalls';
import type { CpuShare } from './proc-usage';
import { contentionWarning, cpuPerRequest, cpuWindow, formatCpuShares, rssSampler } from './proc-usage';

const STATIONS = 20_000;
const SECONDS = benchSetting('BENCH_SECONDS', 20);
const ROUND_SECONDS = benchSetting('BENCH_ROUND_SECONDS', 6);
const ROUNDS = Math.ceil(benchSetting('BENCH_ROUNDS', 2));
const CONCURRENCY = 32; // below the 64 in flight at which one process sheds load (503 busy)
const EVENTS_PER_BATCH = 5;
const THROUGHPUT_STATIONS = 2_000;
// CPU per request of the serving side: a load-independent figure (cores needed = rate x cost).
const PER_REQUEST = { servers: 'server', haproxy: 'haproxy', PostgreSQL: 'PostgreSQL' };

const printWarning = (line: string | null): void => {
  if (line !== null) {
    console.log(line);
  }
};
const load = (): string => loadavg().map((value) => value.toFixed(2)).join(' ');

const postgres = await startPostgres({
  settings: {
    log_autovacuum_min_duration: '0',
    log_checkpoints: 'on',
    log_lock_waits: 'on',
    // Lock waits are logged after deadlock_timeout (1 s by default): sooner, to see short ones.
    deadlock_timeout: "'100ms'",
    log_min_duration_statement: '100',
  },
});
const traceDirectory = mkdtempSync(join(tmpdir(), 'siaga-trace-'));
const traceFile = join(traceDirectory, 'intake-trace.jsonl');
if (process.env.BENCH_TRACE !== 'off') {
  process.env.SIAGA_INTAKE_TRACE = traceFile; // inherited by the server processes started below
}
// The test helper turns fsync off; a benchmark of durable intake needs it on (a reload suffices).
// BENCH_FSYNC=off measures the CPU side alone (on a disk shared with other work, a commit's
// flush can take 100 ms and more, and then the disk is all the figures show).
const db = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });
await db.run(`ALTER SYSTEM SET fsync = ${process.env.BENCH_FSYNC === 'off' ? 'off' : 'on'}`);
await db.query('SELECT pg_reload_conf()');
const seedStarted = performance.now();
const stations = await addBenchStations(db, STATIONS, 7_300);
console.log(
  `seeded ${STATIONS} enrolled stations in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; ` +
    `${cpus().length} cores (${cpus()[0].model}); PostgreSQL fsync ${(await db.query<{ fsync: string }>('SHOW fsync'))[0].fsync}; ` +
    `load average ${load()}`,
);
// Pacing off: the bench measures the work, not the limits.
const serveArgs = ['--db', postgres.url, '--max-batches-per-second', '0', '--log', '/dev/null'];
const servers = await Promise.all([0, 1].map(() => startDistrictProcess(serveArgs)));
const both = await startHaproxy(servers.map((server, index) => ({ name: `d${index + 1}`, port: server.port })));
const single = await startHaproxy([{ name: 'd1', port: servers[0].port }]);
const agent = keepAliveAgent();

// Batches of 5 events from THROUGHPUT_STATIONS stations, one fault in ten, signed now.
let batchNumber = 0;
function intakeBatches(count: number): SignedRequest[] {
  return Array.from({ length: count }, () => {
    const index = batchNumber++;
    const station: BenchStation = stations[index % THROUGHPUT_STATIONS];
    const now = Date.now();
    const events = Array.from({ length: EVENTS_PER_BATCH }, (_unused, position) =>
      position === 0 && index % 10 === 0 ? faultEvent(station, now, `f-cluster-${index}`) : heartbeatEvent(station, now + position),
    );
    return signedBatch(station, events, now);
  });
}

const failures: string[] = [];
// Warm-up, not measured: both processes' code paths compiled, connections open.
await closedLoop({ url: both.url, requests: intakeBatches(400), concurrency: 8, seconds: 30, failures, agent });
await closedLoop({ url: single.url, requests: intakeBatches(200), concurrency: 8, seconds: 30, failures, agent });
failures.length = 0;

const groups = (backends: number): Parameters<typeof cpuWindow>[0] => ({
  generator: { pid: process.pid },
  ...Object.fromEntries(servers.slice(0, backends).map((server, index) => [`server ${index + 1}`, { pid: server.pid }])),
  haproxy: { pid: backends === 1 ? single.pid : both.pid },
  PostgreSQL: { tree: postgres.pid },
});

// ---- (a) 20,000 stations, one heartbeat a minute each, through haproxy to two processes.
{
  let shares: CpuShare[] = [];
  let memory: { median: number; max: number }[] = [];
  const result = await openLoopHeartbeats({
    url: both.url,
    stations,
    seconds: SECONDS,
    agent,
    during: () => {
      const cpu = cpuWindow(groups(2));
      const rss = rssSampler(servers.map((server) => server.pid));
      return () => {
        shares = cpu();
        memory = rss();
      };
    },
  });
  console.log('');
  printOpenLoop('(a) heartbeats through haproxy to 2 processes on PostgreSQL', result);
  // The servers write their trace every 500 ms.
  await new Promise((resolve) => setTimeout(resolve, 700));
  for (const line of whereSlowRequestsWere({
    slow: result.slow,
    goalMs: HEARTBEAT_GOAL_MS,
    beginMs: result.beginMs,
    endMs: result.beginMs + result.elapsed * 1000,
    traceFile,
    postgresLog: postgres.logFile,
    generatorGc: result.generatorGc,
  })) {
    console.log(line);
  }
  memory.forEach((sample, index) =>
    console.log(
      `    server process ${index + 1}: CPU ${shares.find((share) => share.name === `server ${index + 1}`)!.percent.toFixed(0)} % of a core, ` +
        `RSS median ${sample.median.toFixed(0)} MB, max ${sample.max.toFixed(0)} MB`,
    ),
  );
  console.log(`    CPU split: ${formatCpuShares(shares)}`);
  console.log(
    `    CPU per request (${result.latency.length} stored, ${result.failures.length} refused or failed): ${cpuPerRequest(shares, result.requests, PER_REQUEST)}`,
  );
  printWarning(contentionWarning(shares));
  console.log(`    load average after (a): ${load()}`);
  for (const line of await stationsTableReport(db)) {
    console.log(line);
  }
}

// ---- (b) saturation throughput: the same closed loop through one backend and through two.
{
  const sides = { one: { answered: 0, seconds: 0, cpu: [] as CpuShare[][] }, two: { answered: 0, seconds: 0, cpu: [] as CpuShare[][] } };
  // Enough signed batches for a round at a generous rate; a round ends at its time or when they run out.
  const perRound = Math.max(2_000, ROUND_SECONDS * 600);
  const run = async (side: 'one' | 'two'): Promise<void> => {
    const requests = intakeBatches(perRound);
    const cpu = cpuWindow(groups(side === 'one' ? 1 : 2));
    const round = await closedLoop({
      url: side === 'one' ? single.url : both.url,
      requests,
      concurrency: CONCURRENCY,
      seconds: ROUND_SECONDS,
      failures,
      agent,
    });
    sides[side].cpu.push(cpu());
    sides[side].answered += round.answered;
    sides[side].seconds += round.seconds;
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? (['one', 'two'] as const) : (['two', 'one'] as const)) {
      await run(side);
    }
  }
  // Each side's CPU split averaged over its rounds (rounds are of equal length).
  const total = (rounds: CpuShare[][]): CpuShare[] =>
    rounds[0].map((share, index) => ({
      name: share.name,
      percent: rounds.reduce((sum, shares) => sum + shares[index].percent, 0),
      seconds: rounds.reduce((sum, shares) => sum + shares[index].seconds, 0),
    }));
  const average = (rounds: CpuShare[][]): CpuShare[] =>
    total(rounds).map((share) => ({ ...share, percent: share.percent / rounds.length }));
  const oneRate = sides.one.answered / sides.one.seconds;
  const twoRate = sides.two.answered / sides.two.seconds;
  console.log('');
  console.log(
    `(b) intake at saturation: signed batches of ${EVENTS_PER_BATCH} events, ${CONCURRENCY} in flight, closed loop through haproxy, ` +
      `${ROUNDS} rounds of ${ROUND_SECONDS} s per side, alternating; ${failures.length} not 200${failures.length > 0 ? ` (first: ${failures[0]})` : ''}`,
  );
  console.log(`    one process    ${oneRate.toFixed(0)} batches/s (${(oneRate * EVENTS_PER_BATCH).toFixed(0)} events/s)`);
  console.log(`        CPU split: ${formatCpuShares(average(sides.one.cpu))}`);
  console.log(`        CPU per batch: ${cpuPerRequest(total(sides.one.cpu), sides.one.answered, PER_REQUEST)}`);
  console.log(`    two processes  ${twoRate.toFixed(0)} batches/s (${(twoRate * EVENTS_PER_BATCH).toFixed(0)} events/s)`);
  console.log(`        CPU split: ${formatCpuShares(average(sides.two.cpu))}`);
  console.log(`        CPU per batch: ${cpuPerRequest(total(sides.two.cpu), sides.two.answered, PER_REQUEST)}`);
  console.log(`    ratio two/one  ${(twoRate / oneRate).toFixed(2)}x`);
  const idleOne = average(sides.one.cpu).find((share) => share.name === 'idle')!.percent;
  console.log(
    `    On ${cpus().length} cores shared by the generator, haproxy, PostgreSQL and the servers, a second process can add only what ` +
      `one process leaves idle (here ${idleOne.toFixed(0)} % of a core) plus, on a busy machine, the larger share of the CPU ` +
      `the scheduler gives two processes over other programs: a bound, not a measure of scaling across machines.`,
  );
  printWarning(contentionWarning([...sides.one.cpu.flat(), ...sides.two.cpu.flat()]));
  console.log(`    load average after (b): ${load()}`);
}

agent.destroy();
await single.stop();
await both.stop();
await Promise.all(servers.map((server) => server.stop()));
await db.close();
await postgres.stop();
rmSync(traceDirectory, { recursive: true, force: true });
