// A year of a province's events on PostgreSQL: 20,000 stations (scaled down to 400 by default; `--scale 1`
// or SIAGA_BENCH_SCALE=1 for the full size), seeded in SQL (generate_series) with what the real
// server keeps (docs/year-of-events.md): raw heartbeats of the last two days only (retention.ts),
// and for the whole year every other event (station starts, daily checks, faults opened and
// resolved, inventory), the faults, their history and the availability spans heartbeats left.
// Prints the database size per table and the board's and the figures' times, without and then
// with the indexes of migration 602 (ratios in the same run), and the hourly heartbeat prune; then
// the figures page from the summary of days (migration 701, figures/summary.ts) against the live
// count it replaced, in the same run: the first view (writes six months of days), later views, and
// a view after a late heartbeat made one kecamatan's yesterday stale; then the first view after a
// gap with the summary written ahead by the job (figures/ahead.ts) and the job's own time.
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../district/server/db/open';
import type { Db } from '../district/server/db/types';
import { writeAhead } from '../district/server/figures/ahead';
import { figures } from '../district/server/figures/report';
import { DEFAULT_HEARTBEAT_WINDOW_MS } from '../district/server/figures/availability';
import { markLate } from '../district/server/figures/late';
import { pruneHeartbeats } from '../district/server/intake/retention';
import { board } from '../district/server/stations/board';
import { startPostgres } from '../tests/helpers/postgres';

const scaleArgument = process.argv.indexOf('--scale');
const scale = Number(
  scaleArgument >= 0 ? process.argv[scaleArgument + 1] : (process.env.SIAGA_BENCH_SCALE ?? '0.02'),
);
if (!(scale > 0 && scale <= 1)) {
  throw new Error('--scale must be in (0, 1]');
}
const STATIONS = Math.round(20_000 * scale);
// Indonesia: about 7,300 kecamatan for 10,000-20,000 stations.
const KECAMATAN = Math.max(1, Math.round(STATIONS * (7_300 / 20_000)));
const DAYS = 365;
/** Heartbeats kept: two days of service hours (08:00-15:00 WIB, one a minute) plus the hour to prune. */
const HEARTBEAT_HOURS = 2 * 7 + 1;

const nowMs = Date.now();
const postgres = await startPostgres();
const db = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** Median of `runs` timings of `work` (the first run warms the caches and is not counted). */
async function medianMs(work: () => Promise<unknown>, runs = 3): Promise<number> {
  await work();
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    times.push((await timed(work)).ms);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

async function seed(database: Db): Promise<void> {
  const now = new Date(nowMs).toISOString();
  const steps: [string, string][] = [
    [
      'function',
      `CREATE FUNCTION bench_iso(t timestamptz) RETURNS text LANGUAGE sql STABLE AS
       'SELECT to_char(t AT TIME ZONE ''UTC'', ''YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'')'`,
    ],
    [
      'stations',
      `INSERT INTO stations (id, name, kecamatan, created_at, public_key, enrolled_at, app_version, last_seen_at,
         last_seq, last_heartbeat, last_heartbeat_at, heard_at, clock_offset_ms, measured_clock_offset_ms)
       SELECT 'st-' || lpad(i::text, 6, '0'), 'Loket ' || (i / ${KECAMATAN} + 1), 'Kecamatan ' || lpad((i % ${KECAMATAN})::text, 4, '0'),
         bench_iso('${now}'::timestamptz - interval '${DAYS} days'), 'bench', bench_iso('${now}'::timestamptz - interval '${DAYS} days'),
         '0.1.0', bench_iso('${now}'::timestamptz - (i % 50) * interval '1 second'), 1000000,
         '{"roleStatus":{"camera":"ok","fingerprint":"' || CASE WHEN i % 17 = 0 THEN 'fault' ELSE 'ok' END || '","iris":"ok","signature":"ok","card-printer":"ok","document-printer":"ok","ups":"ok","network":"ok","pc":"ok"},"canRecord":' || CASE WHEN i % 17 = 0 THEN 'false' ELSE 'true' END || ',"canPrint":true,"recording":"' || CASE WHEN i % 17 = 0 THEN 'no' ELSE 'yes' END || '","printing":"yes","appVersion":"0.1.0","queueDepth":0,"lastCheckAt":"' || '${now}' || '","clockOffsetMs":120}',
         bench_iso('${now}'::timestamptz - (i % 50) * interval '1 second'), bench_iso('${now}'::timestamptz - (i % 50) * interval '1 second'), 120, 480
       FROM generate_series(0, ${STATIONS - 1}) AS i`,
    ],
    [
      'station_availability',
      `INSERT INTO station_availability (station_id, can_record, last_heartbeat_at)
       SELECT id, CASE WHEN last_heartbeat LIKE '%"canRecord":false%' THEN 0 ELSE 1 END, last_heartbeat_at FROM stations`,
    ],
    [
      // Per station and day: the start, the daily check; every 7th day (per station) a fault opened
      // and resolved; every 30th an inventory report. Seq: day * 10 + kind.
      'events (a year, no heartbeats)',
      `INSERT INTO events (id, station_id, seq, type, occurred_at, received_at, source, payload)
       SELECT 'ev-' || d || '-' || k, s.id, d * 10 + k,
         (ARRAY['station.started', 'daily-check.completed', 'fault.opened', 'fault.resolved', 'inventory.reported'])[k + 1],
         bench_iso(day + interval '1 hour' + k * interval '20 minutes'), bench_iso(day + interval '1 hour' + k * interval '20 minutes' + interval '2 seconds'), 'http',
         CASE k
           WHEN 0 THEN '{"appVersion":"0.1.0","profileVersion":1}'
           WHEN 1 THEN '{"steps":[{"role":"camera","status":"ok"},{"role":"fingerprint","status":"ok"},{"role":"iris","status":"ok"},{"role":"signature","status":"ok"},{"role":"card-printer","status":"ok"},{"role":"document-printer","status":"ok"},{"role":"ups","status":"ok"}],"consumables":{"blankCards":180,"ribbons":[{"name":"YMCKO","remainingPercent":62}]},"note":"","operator":"Operator"}'
           WHEN 4 THEN '{"devices":[' || repeat('{"role":"camera","vendor":"Canon","model":"EOS 1300D","serialNumber":"123456789012","key":"usb:04a9:3217:123456789012"},', 6) || '{"role":"ups","vendor":"ICA","model":"CE1200","serialNumber":null,"key":"serial:COM3"}]}'
           ELSE '{"faultId":"fp-' || d || '","role":"fingerprint","device":{"key":"usb:080b:0010:CM123","vendor":"Cross Match","model":"Guardian","serialNumber":"CM123","transport":"usb"},"code":"FINGERPRINT_MISSING","severity":"critical","status":"fault","message":{"id":"Pemindai sidik jari tidak terdeteksi","en":"Fingerprint scanner not detected"},"firstSeen":"2026-01-01T00:00:00Z","lastSeen":"2026-01-01T00:00:00Z","occurrences":2,"flapping":false,"recurring":false}'
         END
       FROM stations s
       CROSS JOIN generate_series(1, ${DAYS}) AS d
       CROSS JOIN LATERAL (SELECT date_trunc('day', '${now}'::timestamptz) - d * interval '1 day' AS day) AS days
       CROSS JOIN generate_series(0, 4) AS k
       WHERE extract(isodow FROM day) < 6
         AND (k < 2 OR (k IN (2, 3) AND (d + length(s.id) + right(s.id, 3)::int) % 7 = 0) OR (k = 4 AND d % 30 = 0))`,
    ],
    [
      'events (heartbeats, two days of service hours)',
      `INSERT INTO events (id, station_id, seq, type, occurred_at, received_at, source, payload)
       SELECT 'hb-' || m, s.id, 10000 + m, 'heartbeat', bench_iso(t), bench_iso(t + interval '1 second'), 'http', s.last_heartbeat
       FROM stations s
       CROSS JOIN generate_series(0, ${HEARTBEAT_HOURS * 60 - 1}) AS m
       CROSS JOIN LATERAL (SELECT '${now}'::timestamptz - interval '2 days' - interval '1 hour' + (m / 420) * interval '1 day' + (m % 420) * interval '1 minute' AS t) AS times`,
    ],
    [
      'faults (one per fault.opened; the last 5% of stations still open)',
      `INSERT INTO faults (station_id, fault_id, role, device_key, device_serial, device, code, severity, status, state, message,
         first_seen, last_seen, occurrences, flapping, recurring, opened_at, resolved_at, last_event_id, last_seq, updated_at,
         acknowledged_at, acknowledged_by, assignee, closed_at, closed_by)
       SELECT e.station_id, 'fp-' || split_part(e.id, '-', 2), 'fingerprint', 'usb:080b:0010:CM123', 'CM123',
         '{"key":"usb:080b:0010:CM123","vendor":"Cross Match","model":"Guardian","serialNumber":"CM123","transport":"usb"}',
         'FINGERPRINT_MISSING', 'critical', 'fault', 'closed', '{"id":"Pemindai sidik jari tidak terdeteksi","en":"Fingerprint scanner not detected"}',
         e.occurred_at, e.occurred_at, 2, 0, 0, e.occurred_at, e.occurred_at, e.id, e.seq, e.occurred_at,
         e.occurred_at, 'admin', 'Teknisi', e.occurred_at, 'admin'
       FROM events e WHERE e.type = 'fault.opened'`,
    ],
    [
      'faults reopened',
      `UPDATE faults SET state = 'open', resolved_at = NULL, closed_at = NULL, closed_by = NULL
       WHERE station_id LIKE '%0' AND first_seen > bench_iso('${now}'::timestamptz - interval '8 days')`,
    ],
    [
      'fault_history (opened, resolved, closed)',
      `INSERT INTO fault_history (id, station_id, fault_id, at, kind, actor, detail)
       SELECT f.station_id || '-' || f.fault_id || '-' || kind, f.station_id, f.fault_id, f.first_seen, kind,
         CASE WHEN kind = 'closed' THEN 'admin' END, '{"status":"fault","severity":"critical","occurrences":2}'
       FROM faults f CROSS JOIN unnest(ARRAY['opened', 'resolved', 'closed']) AS kind`,
    ],
    [
      // Every workday evening the PC goes off: silent from the window after the last heartbeat
      // until the next morning; every fault a 2-hour "cannot record" span.
      'availability_spans',
      `INSERT INTO availability_spans (id, station_id, kind, started_at, ended_at)
       SELECT s.id || '-silent-' || d, s.id, 'silent', bench_iso(day + interval '8 hours 10 minutes'), bench_iso(day + interval '1 day' + interval '55 minutes')
       FROM stations s
       CROSS JOIN generate_series(1, ${DAYS}) AS d
       CROSS JOIN LATERAL (SELECT date_trunc('day', '${now}'::timestamptz) - d * interval '1 day' AS day) AS days
       WHERE extract(isodow FROM day) < 6
       UNION ALL
       SELECT station_id || '-cannot-' || fault_id, station_id, 'cannot-record', first_seen,
         bench_iso(first_seen::timestamptz + interval '2 hours')
       FROM faults`,
    ],
    ['drop function', 'DROP FUNCTION bench_iso(timestamptz)'],
  ];
  // As a restore does: secondary indexes are dropped for the bulk load and built once after it.
  const secondary = await database.query<{ name: string; definition: string }>(
    `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
     WHERE schemaname = 'public' AND indexname NOT LIKE '%pkey' AND tablename IN ('events', 'faults', 'fault_history', 'availability_spans')`,
  );
  const [primary] = await database.query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE contype = 'p' AND conrelid = 'events'::regclass`,
  );
  await database.run(`ALTER TABLE events DROP CONSTRAINT ${primary!.name}`);
  for (const index of secondary) {
    await database.run(`DROP INDEX ${index.name}`);
  }
  await database.run(`SET maintenance_work_mem = '256MB'`);
  for (const [name, sql] of steps) {
    const { ms } = await timed(() => database.run(sql));
    console.log(`  seeded ${name} in ${seconds(ms)}`);
  }
  const indexed = await timed(async () => {
    await database.run(`ALTER TABLE events ADD CONSTRAINT ${primary!.name} ${primary!.definition}`);
    for (const index of secondary) {
      await database.run(index.definition);
    }
  });
  console.log(`  indexes built in ${seconds(indexed.ms)}`);
  await database.run('VACUUM ANALYZE');
}

console.log(
  `scale ${scale}: ${STATIONS} stations in ${KECAMATAN} kecamatan, ${DAYS} days (raw heartbeats: the last 2 days of service hours)`,
);
const seeded = await timed(() => seed(db));
console.log(`seeded in ${seconds(seeded.ms)}`);

const [size] = await db.query<{ bytes: string }>('SELECT pg_database_size(current_database()) AS bytes');
console.log(`database size: ${(Number(size!.bytes) / 2 ** 20).toFixed(0)} MiB` + (scale < 1 ? ` (x${(1 / scale).toFixed(0)} for 20,000 stations: about ${(Number(size!.bytes) / scale / 2 ** 30).toFixed(1)} GiB)` : ''));
const tables = await db.query<{ name: string; bytes: string; rows: string }>(
  `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes, c.reltuples::bigint AS rows
   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8`,
);
for (const table of tables) {
  console.log(
    `  ${table.name.padEnd(22)} ${(Number(table.bytes) / 2 ** 20).toFixed(1).padStart(9)} MiB  ${Number(table.rows).toLocaleString('en').padStart(13)} rows`,
  );
}

const INDEXES_602 = [
  `CREATE INDEX events_heartbeat_received ON events (received_at) WHERE type = 'heartbeat'`,
  `CREATE INDEX availability_spans_ended ON availability_spans (ended_at, started_at)`,
  `CREATE INDEX faults_first_seen ON faults (first_seen)`,
];
const windowMs = DEFAULT_HEARTBEAT_WINDOW_MS;
const heartbeatsPruned = async (): Promise<number> =>
  // In a transaction rolled back: the same hour is pruned in every run.
  db
    .transaction(async (transaction) => {
      const deleted = await pruneHeartbeats(transaction, nowMs);
      throw Object.assign(new Error('rollback'), { deleted });
    })
    .catch((error: { deleted?: number }) => error.deleted ?? Number.NaN);

async function measure(): Promise<Record<string, number>> {
  return {
    board: await medianMs(() => board(db, nowMs, windowMs)),
    // The live count (summary: false), as before migration 701: what the indexes change.
    'figures (this month)': await medianMs(() => figures(db, { nowMs, windowMs, months: 1, summary: false })),
    'figures (6 months, the page)': await medianMs(() => figures(db, { nowMs, windowMs, months: 6, summary: false })),
    'prune one hour of heartbeats': await medianMs(heartbeatsPruned),
  };
}

for (const statement of INDEXES_602) {
  await db.run(`DROP INDEX ${/INDEX (\w+)/.exec(statement)![1]}`);
}
await db.run('ANALYZE');
const before = await measure();
const built = await timed(async () => {
  for (const statement of INDEXES_602) {
    await db.run(statement);
  }
  await db.run('ANALYZE');
});
const after = await measure();
console.log(`indexes of migration 602 built in ${seconds(built.ms)}; ${await heartbeatsPruned()} heartbeats in the hour pruned`);
console.log(`${'query'.padEnd(30)} ${'without'.padStart(10)} ${'with'.padStart(10)}  ratio`);
for (const name of Object.keys(before)) {
  console.log(
    `${name.padEnd(30)} ${`${before[name]!.toFixed(0)} ms`.padStart(10)} ${`${after[name]!.toFixed(0)} ms`.padStart(10)}  ${(before[name]! / after[name]!).toFixed(1)}x`,
  );
}

// The summary of days (with the indexes of 602 built). The first view as it was before the job
// (figures/ahead.ts): it computes and writes the whole backlog itself.
const live = await medianMs(() => figures(db, { nowMs, windowMs, months: 6, summary: false }));
const firstView = await timed(() => figures(db, { nowMs, windowMs, months: 6, summaryWriteLimit: Infinity }));
const [summed] = await db.query<{ rows: string; bytes: string }>(
  `SELECT COUNT(*) AS rows, pg_total_relation_size('figures_unable_days') AS bytes FROM figures_unable_days`,
);
const laterViews = await medianMs(() => figures(db, { nowMs, windowMs, months: 6 }));
// A bundle's heartbeat of yesterday noon for one station: its kecamatan's days from then are stale.
await db.transaction((transaction) => markLate(transaction, 'st-000000', nowMs - 36 * 3_600_000, nowMs));
const afterLate = await timed(() => figures(db, { nowMs, windowMs, months: 6 }));
const same = async (): Promise<boolean> =>
  JSON.stringify(await figures(db, { nowMs, windowMs, months: 6 })) ===
  JSON.stringify(await figures(db, { nowMs, windowMs, months: 6, summary: false }));
console.log(
  `figures page (6 months): summary of days ${Number(summed!.rows).toLocaleString('en')} rows, ${(Number(summed!.bytes) / 2 ** 20).toFixed(1)} MiB; same figures as the live count: ${(await same()) ? 'yes' : 'NO'}`,
);
console.log(`  live count (before 701)          ${`${live.toFixed(0)} ms`.padStart(10)}`);
console.log(`  summary, first view (writes all) ${`${firstView.ms.toFixed(0)} ms`.padStart(10)}`);
console.log(`  summary, later views             ${`${laterViews.toFixed(0)} ms`.padStart(10)}  ${(live / laterViews).toFixed(1)}x`);
console.log(`  summary, after a late heartbeat  ${`${afterLate.ms.toFixed(0)} ms`.padStart(10)}`);

// After a long gap with the summary written ahead: nothing summarised (just after the upgrade, or
// months without a view or a running server). The first view while the job has not caught up
// computes live and writes nothing; the job's catch-up; the first view after it; the job's pass
// for one day over (what it does after each midnight).
const countRows = async (): Promise<number> =>
  Number((await db.query<{ rows: string }>('SELECT COUNT(*) AS rows FROM figures_unable_days'))[0]!.rows);
await db.run('DELETE FROM figures_unable_days');
await db.run('DELETE FROM figures_unable_months');
// Writing nothing, the view behind is the same every time: the median of three, as the live count's.
const behind = { ms: await medianMs(() => figures(db, { nowMs, windowMs, months: 6 })) };
const writtenByView = await countRows();
const catchUp = await timed(() => writeAhead(db, { nowMs, windowMs }));
const dayCount = catchUp.value.days / KECAMATAN;
const afterJob = await timed(() => figures(db, { nowMs, windowMs, months: 6 }));
const sameAfterJob = await same();
const [yesterday] = await db.query<{ day: string }>('SELECT MAX(day) AS day FROM figures_unable_days');
await db.run('DELETE FROM figures_unable_days WHERE day = $1', [yesterday!.day]);
const oneDay = await timed(() => writeAhead(db, { nowMs, windowMs }));
const idle = await timed(() => writeAhead(db, { nowMs, windowMs }));
console.log(`first view after a gap (nothing summarised), with the job (figures/ahead.ts):`);
console.log(`  view, job behind (live, writes ${writtenByView}) ${`${behind.ms.toFixed(0)} ms`.padStart(10)}  (before the job: ${firstView.ms.toFixed(0)} ms)`);
console.log(
  `  job catch-up: ${catchUp.value.days.toLocaleString('en')} days + ${catchUp.value.months.toLocaleString('en')} month rows in ${catchUp.value.batches} batches ${`${catchUp.ms.toFixed(0)} ms`.padStart(10)}  (${(catchUp.ms / dayCount).toFixed(0)} ms per day of ${KECAMATAN} rows, ${(catchUp.ms / catchUp.value.batches).toFixed(0)} ms per batch)`,
);
console.log(`  view after the job caught up    ${`${afterJob.ms.toFixed(0)} ms`.padStart(10)}  same figures as the live count: ${sameAfterJob ? 'yes' : 'NO'}`);
console.log(`  job, one day over (${oneDay.value.days} rows)      ${`${oneDay.ms.toFixed(0)} ms`.padStart(10)}`);
console.log(`  job, nothing to do (full check)  ${`${idle.ms.toFixed(0)} ms`.padStart(10)}`);
await db.close();
await postgres.stop();
