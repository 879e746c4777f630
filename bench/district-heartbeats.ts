// 10,000 simulated stations heartbeating once a minute (about 167 signed requests a second,
// spread evenly, open loop), each a signed one-event batch: latency per request, p50/p99/max.
// Goal: p99 < 50 ms. BENCH_SECONDS sets the duration (default 60: every station once).
import { PATHS } from '../protocol/requests';
import {
  addBenchStations,
  heartbeatEvent,
  percentile,
  signedBatch,
  startBenchDistrict,
} from './district-seed';

const STATIONS = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const district = await startBenchDistrict();
const stations = await addBenchStations(district.db, STATIONS, 200);
const intervalMs = 60_000 / STATIONS;
const total = Math.floor((SECONDS * 1000) / intervalMs);
const latencies: number[] = [];
const failures: number[] = [];
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
  // Signing is the station's work: done before the clock starts for this request.
  const batch = signedBatch(station, [heartbeatEvent(station, at, index % 7 !== 0)], at);
  const sent = performance.now();
  pending.push(
    fetch(district.server.url + PATHS.events, {
      method: 'POST',
      body: batch.body,
      headers: batch.headers,
    }).then(async (response) => {
      await response.arrayBuffer();
      if (response.status === 200) {
        latencies.push(performance.now() - sent);
      } else {
        failures.push(response.status);
      }
    }),
  );
}
await Promise.all(pending);
const elapsed = (performance.now() - started) / 1000;
await district.close();
latencies.sort((left, right) => left - right);
console.log(
  `heartbeats: ${STATIONS} stations, ${total} signed heartbeats in ${elapsed.toFixed(1)} s (${(total / elapsed).toFixed(0)}/s), ${failures.length} failed`,
);
console.log(
  `  latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms (goal p99 < 50 ms)`,
);
