// Intake throughput: signed batches over HTTP (signature check, schema, dedup, projection, one
// SQLite transaction with synchronous=FULL per batch), side by side with a bare fastify route that
// parses the same JSON body and answers, on the same machine and the same client. Goal: >= 50 %.
import Fastify from 'fastify';
import { PATHS } from '../protocol/requests';
import {
  addBenchStations,
  faultEvent,
  heartbeatEvent,
  signedBatch,
  startBenchDistrict,
} from './district-seed';

const STATIONS = 200;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 4000);
const CONCURRENCY = 16;
const EVENTS_PER_BATCH = 5;

async function drive(
  url: string,
  requests: { body: string; headers: Record<string, string> }[],
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length) {
        const request = requests[next++];
        const response = await fetch(url, { method: 'POST', body: request.body, headers: request.headers });
        await response.arrayBuffer();
        if (response.status !== 200) {
          throw new Error(`HTTP ${response.status}`);
        }
      }
    }),
  );
  return requests.length / ((performance.now() - started) / 1000);
}

const district = await startBenchDistrict();
const stations = await addBenchStations(district.db, STATIONS, 20);
const now = Date.now();
const batches = Array.from({ length: REQUESTS }, (_, index) => {
  const station = stations[index % STATIONS];
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_unused, position) =>
    position === 0 && index % 10 === 0
      ? faultEvent(station, now + index, `f-${index}`)
      : heartbeatEvent(station, now + index * 10 + position),
  );
  return signedBatch(station, events, now + index);
});
const intakeRate = await drive(district.server.url + PATHS.events, batches);
await district.close();

const bare = Fastify();
bare.post('/echo', async (request) => ({
  accepted: (request.body as { events: unknown[] }).events.length,
  serverTime: Date.now(),
}));
const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
const bareRate = await drive(
  `${bareUrl}/echo`,
  batches.map((batch) => ({ body: batch.body, headers: { 'content-type': 'application/json' } })),
);
await bare.close();

console.log(
  `intake: ${REQUESTS} signed batches of ${EVENTS_PER_BATCH} events, ${CONCURRENCY} concurrent clients, ${STATIONS} stations`,
);
console.log(
  `  siaga intake   ${intakeRate.toFixed(0)} batches/s  (${(intakeRate * EVENTS_PER_BATCH).toFixed(0)} events/s)`,
);
console.log(`  bare fastify   ${bareRate.toFixed(0)} requests/s (same bodies, JSON parse only)`);
console.log(`  ratio          ${((intakeRate / bareRate) * 100).toFixed(0)} %  (goal >= 50 %)`);
