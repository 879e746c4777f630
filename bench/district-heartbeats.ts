// 10,000 simulated stations heartbeating once a minute (about 167 signed requests a second,
// spread evenly, open loop; bench/heartbeat-load.ts) to one district server on SQLite, each a
// signed one-event batch: latency per request, p50/p99/max. Goal: p99 < 50 ms. The server runs in
// this process, so the generator's lag printed beside the latency is mostly the server's own work.
// BENCH_SECONDS sets the duration (default 20; 60 sends every station once).
import { loadavg } from 'node:os';
import { addBenchStations, benchSetting, heartbeatEvent, signedBatch, startBenchDistrict } from './district-seed';
import { closedLoop, keepAliveAgent, openLoopHeartbeats, printOpenLoop } from './heartbeat-load';
import type { CpuShare } from './proc-usage';
import { contentionWarning, cpuWindow, formatCpuShares } from './proc-usage';

const STATIONS = 10_000;
const SECONDS = benchSetting('BENCH_SECONDS', 20);
const district = await startBenchDistrict();
const stations = await addBenchStations(district.db, STATIONS, 200);
const agent = keepAliveAgent();
// Warm-up, not measured: the intake's code compiled, connections open.
const warmUp = stations.slice(0, 200).map((station) => signedBatch(station, [heartbeatEvent(station, Date.now())], Date.now()));
await closedLoop({ url: district.server.url, requests: warmUp, concurrency: 8, seconds: 30, failures: [], agent });
let shares: CpuShare[] = [];
const result = await openLoopHeartbeats({
  url: district.server.url,
  stations,
  seconds: SECONDS,
  agent,
  during: () => {
    const cpu = cpuWindow({ 'generator and server': { pid: process.pid } });
    return () => {
      shares = cpu();
    };
  },
});
agent.destroy();
await district.close();
printOpenLoop('heartbeats to one process on SQLite (server in the generator process)', result);
console.log(`    CPU split: ${formatCpuShares(shares)}`);
const warning = contentionWarning(shares);
if (warning !== null) {
  console.log(warning);
}
console.log(`    load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
