// Intake throughput: signed batches over HTTP (signature check, schema, dedup, projection, durable
// SQLite commit with synchronous=FULL, shared by concurrent batches: group commit; every reply signed
// by the district key for the request's nonce, as stations ask since replies are verified), side by side
// with a bare fastify route that parses the same JSON body and answers. Goal: >= 50 %.
//
// Fairness: both servers run in this process and are driven by the same client, which runs in a
// worker thread so its own CPU is not charged to either server; same bodies, same headers, same
// concurrency, same number of requests. Both are warmed up, then measured in alternating rounds
// within one run (load from other processes on the machine hits both sides alike); the rates are
// total requests over total time per side. BENCH_REQUESTS sets the requests per round (default
// 2000), BENCH_ROUNDS the rounds per side (default 3).
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import Fastify from 'fastify';
import { groupCommitterOf } from '../district/server/db/group-commit';
import { PATHS } from '../protocol/requests';
import { HEADER_NONCE } from '../protocol/signing';
import {
  addBenchStations,
  faultEvent,
  heartbeatEvent,
  signedBatch,
  startBenchDistrict,
} from './district-seed';

const STATIONS = 200;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_REQUESTS = 500;
const CONCURRENCY = 16;
const EVENTS_PER_BATCH = 5;

interface BenchRequest {
  body: string;
  headers: Record<string, string>;
}

// Plain JavaScript: a worker thread does not inherit tsx's loader.
const CLIENT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', async ({ url, requests, concurrency }) => {
  let next = 0;
  let failure = null;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests.length && failure === null) {
      const request = requests[next++];
      const response = await fetch(url, { method: 'POST', body: request.body, headers: request.headers });
      const text = await response.text();
      if (response.status !== 200) {
        failure = 'HTTP ' + response.status + ': ' + text.slice(0, 300);
      }
    }
  }));
  parentPort.postMessage({ seconds: (performance.now() - started) / 1000, failure });
});
`;

const client = new Worker(CLIENT, { eval: true });

/** Sends `requests` from the client thread, CONCURRENCY at a time; resolves to the seconds taken. */
function drive(url: string, requests: readonly BenchRequest[]): Promise<number> {
  return new Promise((resolve, reject) => {
    client.once('message', (result: { seconds: number; failure: string | null }) => {
      if (result.failure !== null) {
        reject(new Error(`${url}: ${result.failure}`));
      } else {
        resolve(result.seconds);
      }
    });
    client.postMessage({ url, requests, concurrency: CONCURRENCY });
  });
}

const district = await startBenchDistrict();
const stations = await addBenchStations(district.db, STATIONS, 20);
const now = Date.now();
// Every intake request is a fresh signed batch (the district refuses a replayed signature).
const batches: BenchRequest[] = Array.from({ length: WARMUP_REQUESTS + REQUESTS * ROUNDS }, (_, index) => {
  const station = stations[index % STATIONS];
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_unused, position) =>
    position === 0 && index % 10 === 0
      ? faultEvent(station, now + index, `f-${index}`)
      : heartbeatEvent(station, now + index * 10 + position),
  );
  const batch = signedBatch(station, events, now + index);
  // A nonce makes the district sign its reply (SIAGA1-REPLY), as it does for every real station.
  return { ...batch, headers: { ...batch.headers, [HEADER_NONCE]: randomBytes(16).toString('base64url') } };
});

const bare = Fastify();
bare.post('/echo', async (request) => ({
  accepted: (request.body as { events: unknown[] }).events.length,
  serverTime: Date.now(),
}));
const bareUrl = `${await bare.listen({ port: 0, host: '127.0.0.1' })}/echo`;
const intakeUrl = district.server.url + PATHS.events;

await drive(bareUrl, batches.slice(0, WARMUP_REQUESTS));
await drive(intakeUrl, batches.slice(0, WARMUP_REQUESTS));
const seconds = { bare: 0, intake: 0 };
for (let round = 0; round < ROUNDS; round++) {
  const slice = batches.slice(WARMUP_REQUESTS + round * REQUESTS, WARMUP_REQUESTS + (round + 1) * REQUESTS);
  // Alternate which side goes first, so neither always follows the other's garbage.
  if (round % 2 === 0) {
    seconds.bare += await drive(bareUrl, slice);
    seconds.intake += await drive(intakeUrl, slice);
  } else {
    seconds.intake += await drive(intakeUrl, slice);
    seconds.bare += await drive(bareUrl, slice);
  }
}
const stats = { ...groupCommitterOf(district.db).stats };
await client.terminate();
await bare.close();
await district.close();

const intakeRate = (REQUESTS * ROUNDS) / seconds.intake;
const bareRate = (REQUESTS * ROUNDS) / seconds.bare;
console.log(
  `intake: ${ROUNDS} x ${REQUESTS} signed batches (replies signed too) of ${EVENTS_PER_BATCH} events, ${CONCURRENCY} concurrent clients (worker thread), ${STATIONS} stations`,
);
console.log(
  `  siaga intake   ${intakeRate.toFixed(0)} batches/s  (${(intakeRate * EVENTS_PER_BATCH).toFixed(0)} events/s, durable: synchronous=FULL)`,
);
console.log(`  bare fastify   ${bareRate.toFixed(0)} requests/s (same bodies and headers, JSON parse only)`);
console.log(`  ratio          ${((intakeRate / bareRate) * 100).toFixed(0)} %  (goal >= 50 %)`);
console.log(
  `  group commit   ${stats.units} batches in ${stats.groups} transactions (${(stats.units / Math.max(1, stats.groups)).toFixed(1)} a commit, largest ${stats.largestGroup}, ${stats.fallbacks} fallbacks)`,
);
