// Where the slow heartbeats were (bench/district-cluster.ts): each request slower than the goal,
// by its scheduled send time, set beside what else happened then: PostgreSQL's log (autovacuum,
// autoanalyze, checkpoints, lock waits, slow statements; the bench starts it with those logged),
// the server processes' own trace (district/server/intake/trace.ts: the request's phases, GC
// pauses, event-loop stalls, pool connections opened) and the generator's GC pauses.
// Slow requests whose scheduled times lie within EPISODE_GAP_MS of each other are one episode.
import { existsSync, readFileSync } from 'node:fs';

export interface SlowRequest {
  /** Epoch ms the request was due. */
  scheduledMs: number;
  /** Answer minus scheduled send, ms. */
  latencyMs: number;
  /** Answer minus actual send, ms. */
  serviceMs: number;
  station: string;
  /** The x-siaga-timestamp it was signed with (the server trace's key, with the station). */
  timestampMs: number;
  /** HTTP status, 0 for a connection error. */
  status: number;
}

export interface TimedNote {
  startMs: number;
  /** How long it lasted, when known (0 for a point in time). */
  ms: number;
  text: string;
}

interface TraceRequest {
  kind: 'request';
  station: string | null;
  timestampMs: number | null;
  startMs: number;
  totalMs: number;
  phases: [string, number][];
  inFlight: number;
  poolWaiting: number;
}
interface TraceNote {
  kind: 'gc' | 'stall' | 'connect' | 'disconnect';
  startMs: number;
  ms?: number;
  type?: string;
}

const EPISODE_GAP_MS = 300;

/**
 * The timed events of PostgreSQL's log between `fromMs` and `toMs` (log_line_prefix '%m [%p] ',
 * the default): autovacuum and autoanalyze (placed at their start: logged at the end with
 * `elapsed`), checkpoints, lock waits and statements over log_min_duration_statement.
 */
export function postgresLogNotes(logFile: string, fromMs: number, toMs: number): TimedNote[] {
  if (!existsSync(logFile)) {
    return [];
  }
  const notes: TimedNote[] = [];
  // A message is its first line and the tab-indented lines after it.
  const messages: { atMs: number; text: string }[] = [];
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    const match = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (\w+) \[\d+\] (.*)$/.exec(line);
    if (match !== null) {
      const zone = match[2] === 'UTC' || match[2] === 'GMT' ? 'Z' : '';
      messages.push({ atMs: Date.parse(`${match[1].replace(' ', 'T')}${zone}`), text: match[3] });
    } else if (messages.length > 0 && line.trim() !== '') {
      messages[messages.length - 1].text += ` ${line.trim()}`;
    }
  }
  for (const { atMs, text } of messages) {
    let note: TimedNote | null = null;
    const automatic = /automatic (vacuum|analyze) of table "[^"]*?\.?(\w+)"/.exec(text);
    if (automatic !== null) {
      const elapsed = /elapsed: ([\d.]+) s/.exec(text);
      const ms = elapsed === null ? 0 : Number(elapsed[1]) * 1000;
      note = { startMs: atMs - ms, ms, text: `auto${automatic[1]} of ${automatic[2]}` };
    } else if (/checkpoint complete/.test(text)) {
      const total = /total=([\d.]+) s/.exec(text);
      const sync = /sync=([\d.]+) s/.exec(text);
      const ms = total === null ? 0 : Number(total[1]) * 1000;
      note = { startMs: atMs - ms, ms, text: `checkpoint (sync ${sync?.[1] ?? '?'} s)` };
    } else if (/checkpoint starting/.test(text)) {
      note = { startMs: atMs, ms: 0, text: text.replace(/^LOG:\s+/, '') };
    } else if (/still waiting for|acquired \w+ on/.test(text)) {
      note = { startMs: atMs, ms: 0, text: `lock wait: ${text.replace(/^LOG:\s+/, '').slice(0, 100)}` };
    } else {
      const duration = /duration: ([\d.]+) ms\s+(?:execute [^:]+|statement|parse [^:]+|bind [^:]+):\s*(.*)$/.exec(text);
      if (duration !== null) {
        const ms = Number(duration[1]);
        note = { startMs: atMs - ms, ms, text: `slow statement: ${duration[2].replace(/\s+/g, ' ').slice(0, 70)}` };
      }
    }
    if (note !== null && note.startMs + note.ms >= fromMs && note.startMs <= toMs) {
      notes.push(note);
    }
  }
  return notes;
}

/** The server trace's lines (every process appends to one file). */
function readTrace(traceFile: string): { requests: TraceRequest[]; notes: TraceNote[] } {
  const requests: TraceRequest[] = [];
  const notes: TraceNote[] = [];
  if (!existsSync(traceFile)) {
    return { requests, notes };
  }
  for (const line of readFileSync(traceFile, 'utf8').split('\n')) {
    if (line === '') {
      continue;
    }
    const entry = JSON.parse(line) as TraceRequest | TraceNote;
    if (entry.kind === 'request') {
      requests.push(entry);
    } else {
      notes.push(entry);
    }
  }
  return { requests, notes };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
}

/**
 * Lines to print: the slow requests' episodes (when, how many, how slow), where their time went
 * (outside the server handler: generator, haproxy, sockets, the server's event loop; inside: the
 * handler's phases) and what else happened in each episode's window.
 */
export function whereSlowRequestsWere(input: {
  slow: readonly SlowRequest[];
  goalMs: number;
  beginMs: number;
  endMs: number;
  traceFile: string;
  postgresLog: string;
  generatorGc: readonly TimedNote[];
}): string[] {
  const { slow, beginMs } = input;
  const at = (ms: number): string => `${((ms - beginMs) / 1000).toFixed(1)} s`;
  const trace = readTrace(input.traceFile);
  const byKey = new Map(trace.requests.map((request) => [`${request.station} ${request.timestampMs}`, request]));
  const postgres = postgresLogNotes(input.postgresLog, beginMs - 2000, input.endMs);
  const serverNotes: TimedNote[] = trace.notes
    .filter((note) => note.startMs >= beginMs - 2000 && note.startMs <= input.endMs)
    .map((note) => ({
      startMs: note.startMs,
      ms: note.ms ?? 0,
      text: note.kind === 'gc' ? `server GC ${note.type}` : note.kind === 'stall' ? 'server event loop blocked' : `pool ${note.kind}`,
    }));
  const lines: string[] = [];
  const sorted = [...slow].sort((left, right) => left.scheduledMs - right.scheduledMs);
  lines.push(
    `    where the slow requests were (${sorted.length} over ${input.goalMs} ms; PostgreSQL log: ${postgres.length} autovacuum/checkpoint/lock/slow-statement entries in the run, server trace: ${trace.requests.length} requests over its threshold):`,
  );
  if (sorted.length === 0) {
    return lines;
  }
  // Where the time of all slow requests went, summed: outside the handler vs each phase in it.
  const phaseTotals = new Map<string, number>();
  let outside = 0;
  let matched = 0;
  let total = 0;
  for (const request of sorted) {
    total += request.latencyMs;
    const traced = byKey.get(`${request.station} ${request.timestampMs}`);
    if (traced === undefined) {
      outside += request.latencyMs; // the handler took less than the trace's threshold
      continue;
    }
    matched++;
    outside += Math.max(0, request.latencyMs - traced.totalMs);
    for (const [name, ms] of traced.phases) {
      phaseTotals.set(name, (phaseTotals.get(name) ?? 0) + ms);
    }
  }
  const share = (ms: number): string => `${((ms / total) * 100).toFixed(0)} %`;
  lines.push(
    `      their time: ${share(outside)} before/after the server handler (generator lag, haproxy, sockets, the server's event loop); ` +
      [...phaseTotals]
        .sort((left, right) => right[1] - left[1])
        .map(([name, ms]) => `${name} ${share(ms)}`)
        .join(', ') +
      ` (${matched} of ${sorted.length} had a handler slower than the trace threshold)`,
  );
  const episodes: SlowRequest[][] = [];
  for (const request of sorted) {
    const current = episodes[episodes.length - 1];
    if (current !== undefined && request.scheduledMs - current[current.length - 1].scheduledMs <= EPISODE_GAP_MS) {
      current.push(request);
    } else {
      episodes.push([request]);
    }
  }
  const shown = [...episodes].sort((left, right) => right.length - left.length).slice(0, 8).sort((left, right) => left[0].scheduledMs - right[0].scheduledMs);
  lines.push(`      ${episodes.length} episodes (slow requests within ${EPISODE_GAP_MS} ms of each other); the ${shown.length} largest:`);
  for (const episode of shown) {
    const first = episode[0].scheduledMs;
    const last = episode[episode.length - 1].scheduledMs;
    const worst = episode.reduce((most, request) => Math.max(most, request.latencyMs), 0);
    const windowStart = first - 1000;
    const windowEnd = last + worst;
    const overlapping = [...postgres, ...serverNotes, ...input.generatorGc.map((note) => ({ ...note, text: `generator GC` }))]
      .filter((note) => note.startMs + note.ms >= windowStart && note.startMs <= windowEnd)
      .sort((left, right) => left.startMs - right.startMs);
    const traced = episode.map((request) => byKey.get(`${request.station} ${request.timestampMs}`)).filter((request) => request !== undefined);
    const phases = new Map<string, number[]>();
    for (const request of traced) {
      for (const [name, ms] of request.phases) {
        const values = phases.get(name) ?? [];
        values.push(ms);
        phases.set(name, values);
      }
    }
    const heaviest = [...phases]
      .map(([name, values]) => [name, median(values)] as const)
      .sort((left, right) => right[1] - left[1])
      .slice(0, 3)
      .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
      .join(', ');
    const failed = episode.filter((request) => request.status !== 200).length;
    lines.push(
      `      at ${at(first)}-${at(last)}: ${episode.length} slow${failed > 0 ? ` (${failed} refused or failed)` : ''}, worst ${worst.toFixed(0)} ms, ` +
        `median service ${median(episode.map((request) => request.serviceMs)).toFixed(0)} ms; ` +
        (traced.length > 0
          ? `${traced.length} with a slow handler (median ${median(traced.map((request) => request.totalMs)).toFixed(0)} ms; heaviest phases ${heaviest}; pool waiting up to ${traced.reduce((most, request) => Math.max(most, request.poolWaiting), 0)}, in flight up to ${traced.reduce((most, request) => Math.max(most, request.inFlight), 0)})`
          : 'no handler slower than the trace threshold'),
    );
    const grouped = new Map<string, TimedNote[]>();
    for (const note of overlapping) {
      const notes = grouped.get(note.text) ?? [];
      notes.push(note);
      grouped.set(note.text, notes);
    }
    for (const [text, notes] of grouped) {
      const longest = notes.reduce((most, note) => Math.max(most, note.ms), 0);
      lines.push(
        `        ${notes.length > 1 ? `${notes.length} x ` : ''}${text} at ${at(notes[0].startMs)}${longest > 0 ? ` (${notes.length > 1 ? 'longest ' : ''}${longest.toFixed(0)} ms)` : ''}`,
      );
    }
  }
  // Whole-run context: what PostgreSQL did in the run, slow requests or not.
  const background = postgres.filter((note) => !note.text.startsWith('slow statement'));
  if (background.length > 0) {
    lines.push(`      PostgreSQL background work in the run: ${background.map((note) => `${note.text} at ${at(note.startMs)} (${note.ms.toFixed(0)} ms)`).join('; ')}`);
  }
  return lines;
}

/** The plan nodes' sums of EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON). */
function planTotals(node: Record<string, unknown>, totals = { heapFetches: 0, blocks: 0, scans: new Set<string>() }): typeof totals {
  totals.heapFetches += Number(node['Heap Fetches'] ?? 0);
  if (typeof node['Relation Name'] === 'string') {
    totals.scans.add(`${String(node['Node Type'])} on ${node['Relation Name']}${typeof node['Index Name'] === 'string' ? ` (${node['Index Name']})` : ''}`);
  }
  for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) {
    planTotals(child, totals);
  }
  return totals;
}

/**
 * What the heartbeats did to the stations table (PostgreSQL): the share of its updates that were
 * HOT (no index entry written), its size and its index's, and how the rollup's count per kecamatan
 * (tenancy/rollup.ts, the reader of the stations_district index) runs now: plan, heap fetches,
 * buffers and time (best of three). Figures that do not depend on the machine's load, bar the time.
 */
export async function stationsTableReport(db: {
  query<Row>(sql: string, params?: readonly (string | number | null)[]): Promise<Row[]>;
}): Promise<string[]> {
  const [table] = await db.query<{ updates: string; hot: string; table_kb: string; index_kb: string; fillfactor: string | null }>(
    `SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot,
       pg_relation_size('stations') / 1024 AS table_kb, pg_relation_size('stations_district') / 1024 AS index_kb,
       (SELECT option_value FROM pg_options_to_table((SELECT reloptions FROM pg_class WHERE relname = 'stations')) WHERE option_name = 'fillfactor') AS fillfactor
     FROM pg_stat_user_tables WHERE relname = 'stations'`,
  );
  const [index] = await db.query<{ definition: string }>(`SELECT pg_get_indexdef('stations_district'::regclass) AS definition`);
  const cutoff = new Date(Date.now() - 15 * 60_000).toISOString();
  let best: { ms: number; totals: ReturnType<typeof planTotals> } | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [row] = await db.query<{ 'QUERY PLAN': [{ Plan: Record<string, unknown>; 'Execution Time': number }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)
       SELECT s.district_code, s.kecamatan, COUNT(*) AS stations,
         SUM(CASE WHEN s.heard_at >= $1 AND a.can_record = 1 THEN 1 ELSE 0 END) AS able,
         SUM(CASE WHEN s.heard_at IS NULL OR s.heard_at < $1 THEN 1 ELSE 0 END) AS silent
       FROM stations s LEFT JOIN station_availability a ON a.station_id = s.id
       WHERE s.enrolled_at IS NOT NULL GROUP BY s.district_code, s.kecamatan`,
      [cutoff],
    );
    const [plan] = row['QUERY PLAN'];
    const totals = planTotals(plan.Plan);
    totals.blocks = Number(plan.Plan['Shared Hit Blocks'] ?? 0) + Number(plan.Plan['Shared Read Blocks'] ?? 0);
    if (best === null || plan['Execution Time'] < best.ms) {
      best = { ms: plan['Execution Time'], totals };
    }
  }
  const updates = Number(table.updates);
  return [
    `    stations table after the run: ${updates} updates, ${updates === 0 ? 0 : ((Number(table.hot) / updates) * 100).toFixed(0)} % HOT; ` +
      `table ${table.table_kb} kB (fillfactor ${table.fillfactor ?? '100'}), index ${index.definition.replace(/^.* USING btree /, 'stations_district ')} ${table.index_kb} kB`,
    `    rollup's count per kecamatan now: ${best!.ms.toFixed(1)} ms, ${best!.totals.blocks} buffers, ${best!.totals.heapFetches} heap fetches; ${[...best!.totals.scans].join(', ')}`,
  ];
}
