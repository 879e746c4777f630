// 10,000 simulated stations heartbeating once a minute (about 167 signed requests a second,
// spread evenly, open loop; bench/heartbeat-load.ts) to one district server on SQLite, each a
// signed one-event batch: latency per request, p50/p99/max. Goal: p99 < 50 ms. The server runs in
// this process, so the generator's lag printed beside the latency is mostly the server's own work.
// BENCH_SECONDS sets the duration (default 20; 60 sends every station once).
import { loadavg } from 'node:os';
import { addBenchStations, startBenchDistrict } from './district-seed';
import { openLoopHeartbeats, printOpenLoop } from './heartbeat-load';

const STATIONS = 10_000;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const district = await startBenchDistrict();
const stations = await addBenchStations(district.db, STATIONS, 200);
const result = await openLoopHeartbeats({ url: district.server.url, stations, seconds: SECONDS });
await district.close();
printOpenLoop('heartbeats to one process on SQLite (server in the generator process)', result);
console.log(`    load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
