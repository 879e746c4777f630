// Heartbeats' latency on SQLite while the figures' catch-up pass runs (figures/ahead.ts): a district
// of `--kecamatan` kecamatan (2.5 stations each) with six months of availability spans seeded in
// SQL, then a heartbeat (recordHeartbeat in a transaction, as the intake does) every 10 ms, first
// with no pass running and then during a full catch-up (nothing summarised). Prints the heartbeat
// latency percentiles, the event loop's longest stall and the pass's own time. SQLite does its work
// on the event loop (better-sqlite3 is synchronous), so a batch's reads and computation stall
// every request for as long as they take: the figure to watch is the longest wait.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { openDatabase } from '../district/server/db/open';
import { writeAhead } from '../district/server/figures/ahead';
import { DEFAULT_HEARTBEAT_WINDOW_MS, recordHeartbeat } from '../district/server/figures/availability';

const argument = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const KECAMATAN = argument('--kecamatan', 300);
const STATIONS = Math.round(KECAMATAN * 2.5);
const DAY = 86_400_000;
const windowMs = DEFAULT_HEARTBEAT_WINDOW_MS;
const nowMs = Date.now();
const dir = mkdtempSync(join(tmpdir(), 'siaga-bench-ahead-'));
const db = await openDatabase({ dataDir: dir });

// Six months of spans: each station one hour unable every day at a time of its own.
const iso = (ms: number): string => new Date(ms).toISOString();
const firstDay = Math.floor((nowMs - 190 * DAY) / DAY) * DAY;
await db.transaction(async (transaction) => {
  for (let station = 0; station < STATIONS; station++) {
    const id = `st-${String(station).padStart(6, '0')}`;
    await transaction.run(
      'INSERT INTO stations (id, name, kecamatan, created_at, enrolled_at, district_code) VALUES ($1, $2, $3, $4, $4, $5)',
      [id, id, `Kec ${station % KECAMATAN}`, iso(firstDay), 'default'],
    );
    await transaction.run(
      'INSERT INTO station_availability (station_id, can_record, last_heartbeat_at) VALUES ($1, 1, $2)',
      [id, iso(nowMs - 60_000)],
    );
    for (let day = firstDay; day < nowMs - DAY; day += DAY) {
      const start = day + 2 * 3_600_000 + (station % 5) * 1_800_000;
      await transaction.run(
        'INSERT INTO availability_spans (id, station_id, kind, started_at, ended_at) VALUES ($1, $2, $3, $4, $5)',
        [`${id}-${day}`, id, 'cannot-record', iso(start), iso(start + 3_600_000)],
      );
    }
  }
});

/** Heartbeats every 10 ms for as long as `work` runs (or `ms` without work): their latencies. */
async function heartbeatsDuring(work: (() => Promise<unknown>) | null, ms = 3000): Promise<{ latencies: number[]; workMs: number; stallMs: number }> {
  const latencies: number[] = [];
  let running = true;
  let tick = 0;
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const sender = (async () => {
    while (running) {
      const due = performance.now();
      await new Promise((resolve) => setTimeout(resolve, 10));
      const station = `st-${String(tick++ % STATIONS).padStart(6, '0')}`;
      await db.transaction((transaction) =>
        recordHeartbeat(transaction, { stationId: station, canRecord: true, occurredAt: iso(Date.now()), windowMs, nowMs: Date.now() }),
      );
      latencies.push(performance.now() - due - 10);
    }
  })();
  const start = performance.now();
  if (work === null) {
    await new Promise((resolve) => setTimeout(resolve, ms));
  } else {
    await work();
  }
  const workMs = performance.now() - start;
  running = false;
  await sender;
  histogram.disable();
  return { latencies: latencies.sort((a, b) => a - b), workMs, stallMs: histogram.max / 1e6 };
}

const percentile = (sorted: number[], p: number): string =>
  sorted.length === 0 ? '-' : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!.toFixed(1);

const idle = await heartbeatsDuring(null);
let passResult: Awaited<ReturnType<typeof writeAhead>> | undefined;
const busy = await heartbeatsDuring(async () => {
  passResult = await writeAhead(db, { nowMs, windowMs });
});
console.log(`SQLite, ${KECAMATAN} kecamatan, ${STATIONS} stations, 190 days of spans`);
console.log(
  `catch-up pass: ${busy.workMs.toFixed(0)} ms, ${passResult?.days} days, ${passResult?.months} month totals, ${passResult?.batches} batches`,
);
for (const [label, run] of [
  ['no pass', idle],
  ['during the catch-up', busy],
] as const) {
  console.log(
    `${label}: ${run.latencies.length} heartbeats, latency p50 ${percentile(run.latencies, 50)} ms, p99 ${percentile(run.latencies, 99)} ms, max ${percentile(run.latencies, 100)} ms; event loop's longest stall ${run.stallMs.toFixed(0)} ms`,
  );
}
await db.close();
rmSync(dir, { recursive: true, force: true });
