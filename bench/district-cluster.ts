// District server processes on one PostgreSQL behind haproxy (docs/cluster.md), the whole chain
// real and on this machine: `siaga-district serve` processes, haproxy, PostgreSQL with fsync on.
// (a) 20,000 stations heartbeating once a minute through haproxy (333 signed one-event batches a
//     second, open loop, spread evenly; enrolled keys seeded straight into the database): latency
//     p50/p99 at the client (goal p99 < 50 ms), each server process's CPU and RSS.
// (b) Intake throughput, two processes vs one, in the same run: the same closed-loop load (signed
//     batches of 5 events, 16 at a time) through a haproxy with one backend and through a haproxy
//     with two, alternating rounds. The client runs in this process; on a 2-core machine the
//     client, haproxy, PostgreSQL and the servers share the same two cores (see the printout).
// BENCH_SECONDS sets (a)'s duration (default 60: every station once), BENCH_REQUESTS (b)'s
// requests per round (default 2000), BENCH_ROUNDS its rounds per side (default 3).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { openDatabase } from '../district/server/db/open';
import { PATHS } from '../protocol/requests';
import { startDistrictProcess, startHaproxy } from '../tests/helpers/cluster';
import type { DistrictProcess } from '../tests/helpers/cluster';
import { startPostgres } from '../tests/helpers/postgres';
import type { BenchStation } from './district-seed';
import { addBenchStations, faultEvent, heartbeatEvent, percentile, signedBatch } from './district-seed';

const STATIONS = 20_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 16;
const EVENTS_PER_BATCH = 5;
const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function rssMegabytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? 0 : Number(match[1]) / 1024;
}

/** Samples each process's RSS every second until stopped; CPU from /proc before and after. */
function watch(servers: readonly DistrictProcess[]): () => { cpuPercent: number; rssMedian: number; rssMax: number }[] {
  const startedCpu = servers.map((server) => cpuSeconds(server.pid));
  const started = performance.now();
  const samples: number[][] = servers.map(() => []);
  const timer = setInterval(() => {
    servers.forEach((server, index) => samples[index].push(rssMegabytes(server.pid)));
  }, 1000);
  return () => {
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    return servers.map((server, index) => {
      const sorted = [...samples[index]].sort((left, right) => left - right);
      return {
        cpuPercent: ((cpuSeconds(server.pid) - startedCpu[index]) / seconds) * 100,
        rssMedian: percentile(sorted, 0.5),
        rssMax: sorted[sorted.length - 1],
      };
    });
  };
}

const postgres = await startPostgres();
// The test helper turns fsync off; a benchmark of durable intake needs it on (a reload suffices).
// BENCH_FSYNC=off measures the CPU side alone (on a disk shared with other work, a commit's
// flush can take 100 ms and more, and then the disk is all the figures show).
const db = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });
await db.run(`ALTER SYSTEM SET fsync = ${process.env.BENCH_FSYNC === 'off' ? 'off' : 'on'}`);
await db.query('SELECT pg_reload_conf()');
const seedStarted = performance.now();
const stations = await addBenchStations(db, STATIONS, 7_300);
console.log(
  `seeded ${STATIONS} enrolled stations in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s; ${cpus().length} cores; PostgreSQL fsync ${(await db.query<{ fsync: string }>('SHOW fsync'))[0].fsync}`,
);
// Pacing off: the bench measures the work, not the limits.
const serveArgs = ['--db', postgres.url, '--max-batches-per-second', '0', '--log', '/dev/null'];
const servers = await Promise.all([0, 1].map(() => startDistrictProcess(serveArgs)));
const both = await startHaproxy(servers.map((server, index) => ({ name: `d${index + 1}`, port: server.port })));
const single = await startHaproxy([{ name: 'd1', port: servers[0].port }]);

// ---- (a) 20,000 stations, one heartbeat a minute each, through haproxy to two processes.
{
  const intervalMs = 60_000 / STATIONS;
  const total = Math.floor((SECONDS * 1000) / intervalMs);
  const latencies: number[] = [];
  const failures: string[] = [];
  const usage = watch(servers);
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = started + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) {
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const station = stations[index % STATIONS];
    const at = Date.now();
    const batch = signedBatch(station, [heartbeatEvent(station, at, index % 7 !== 0)], at);
    const sent = performance.now();
    pending.push(
      fetch(both.url + PATHS.events, { method: 'POST', body: batch.body, headers: batch.headers })
        .then(async (response) => {
          await response.arrayBuffer();
          if (response.status === 200) {
            latencies.push(performance.now() - sent);
          } else {
            failures.push(String(response.status));
          }
        })
        .catch((error: Error) => {
          failures.push(error.message);
        }),
    );
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - started) / 1000;
  const used = usage();
  latencies.sort((left, right) => left - right);
  console.log(
    `(a) heartbeats: ${STATIONS} stations, ${total} signed heartbeats through haproxy to 2 processes in ${elapsed.toFixed(1)} s (${(total / elapsed).toFixed(0)}/s), ${failures.length} failed${failures.length > 0 ? ` (first: ${failures[0]})` : ''}`,
  );
  console.log(
    `    latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms (goal p99 < 50 ms)`,
  );
  used.forEach((process, index) =>
    console.log(
      `    process ${index + 1}: CPU ${process.cpuPercent.toFixed(0)} % of a core, RSS median ${process.rssMedian.toFixed(0)} MB, max ${process.rssMax.toFixed(0)} MB`,
    ),
  );
}

// ---- (b) intake throughput: the same load through one backend and through two.
{
  const sample = stations.slice(0, 200);
  let next = 0;
  const makeBatches = (count: number): { body: string; headers: Record<string, string> }[] =>
    Array.from({ length: count }, () => {
      const index = next++;
      const station: BenchStation = sample[index % sample.length];
      const now = Date.now();
      const events = Array.from({ length: EVENTS_PER_BATCH }, (_unused, position) =>
        position === 0 && index % 10 === 0
          ? faultEvent(station, now, `f-cluster-${index}`)
          : heartbeatEvent(station, now + position),
      );
      return signedBatch(station, events, now);
    });
  const failures: string[] = [];
  const drive = async (url: string, requests: readonly { body: string; headers: Record<string, string> }[]): Promise<number> => {
    let cursor = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (cursor < requests.length) {
          const request = requests[cursor++];
          const response = await fetch(url + PATHS.events, { method: 'POST', body: request.body, headers: request.headers });
          const text = await response.text();
          if (response.status !== 200) {
            failures.push(`${response.status} ${text.slice(0, 120)}`);
          }
        }
      }),
    );
    return (performance.now() - started) / 1000;
  };
  await drive(single.url, makeBatches(300));
  await drive(both.url, makeBatches(300));
  const seconds = { one: 0, two: 0 };
  const usage = watch(servers);
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      seconds.one += await drive(single.url, makeBatches(REQUESTS));
      seconds.two += await drive(both.url, makeBatches(REQUESTS));
    } else {
      seconds.two += await drive(both.url, makeBatches(REQUESTS));
      seconds.one += await drive(single.url, makeBatches(REQUESTS));
    }
  }
  const used = usage();
  const oneRate = (REQUESTS * ROUNDS) / seconds.one;
  const twoRate = (REQUESTS * ROUNDS) / seconds.two;
  console.log(
    `(b) intake: ${ROUNDS} x ${REQUESTS} signed batches of ${EVENTS_PER_BATCH} events per side, ${CONCURRENCY} at a time, through haproxy; ${failures.length} not 200${failures.length > 0 ? ` (first: ${failures[0]})` : ''}`,
  );
  console.log(`    one process    ${oneRate.toFixed(0)} batches/s (${(oneRate * EVENTS_PER_BATCH).toFixed(0)} events/s)`);
  console.log(`    two processes  ${twoRate.toFixed(0)} batches/s (${(twoRate * EVENTS_PER_BATCH).toFixed(0)} events/s)`);
  console.log(`    ratio two/one  ${(twoRate / oneRate).toFixed(2)}x`);
  used.forEach((process, index) =>
    console.log(
      `    process ${index + 1} over (b): CPU ${process.cpuPercent.toFixed(0)} % of a core, RSS max ${process.rssMax.toFixed(0)} MB`,
    ),
  );
}

await single.stop();
await both.stop();
await Promise.all(servers.map((server) => server.stop()));
await db.close();
await postgres.stop();
