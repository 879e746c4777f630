// Diagnostic timing of the intake, for finding where slow requests spend their time (docs/cluster.md,
// "Where the slow heartbeats were"). Off unless SIAGA_INTAKE_TRACE names a file; then the process
// appends JSON lines to it:
//   {"kind":"request", station, timestampMs, startMs, totalMs, phases: [[name, ms], ...], inFlight, poolWaiting}
//     for each intake request slower than SIAGA_INTAKE_TRACE_MS (default 20 ms) from handler start
//     to reply; a phase's ms is the time since the previous mark (names in intake.ts, events route);
//   {"kind":"gc", startMs, ms, type} for each garbage collection of 5 ms or more;
//   {"kind":"stall", startMs, ms} when the event loop was blocked 40 ms or more;
//   {"kind":"connect" | "disconnect", startMs} when the database pool opened or closed a connection.
// Times are epoch ms, comparable across processes on one machine. Off, a mark costs one lookup
// that finds nothing. Lines are written every 500 ms and at exit; a crash loses the last ones.
import { AsyncLocalStorage } from 'node:async_hooks';
import { appendFileSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { PerformanceObserver } from 'node:perf_hooks';

const FILE = process.env.SIAGA_INTAKE_TRACE ?? '';
const SLOWER_THAN_MS = Number(process.env.SIAGA_INTAKE_TRACE_MS ?? 20);
const GC_AT_LEAST_MS = 5;
const STALL_AT_LEAST_MS = 40;
const STALL_PROBE_MS = 10;

export interface IntakeSpan {
  /** Closes the phase that ran since the previous mark (or the start) under `name`. */
  mark(name: string): void;
}

interface Span extends IntakeSpan {
  station: string | null;
  timestampMs: number | null;
  startMs: number;
  started: number;
  last: number;
  phases: [string, number][];
  inFlight: number;
  poolWaiting: number;
}

const storage = new AsyncLocalStorage<Span>();
let lines: string[] = [];
let gauges: { inFlight: () => number; poolWaiting: () => number } = { inFlight: () => 0, poolWaiting: () => 0 };

/** Whether SIAGA_INTAKE_TRACE is set in this process. */
export const intakeTraceEnabled = FILE !== '';

function write(line: object): void {
  lines.push(JSON.stringify(line));
}

function flush(): Promise<void> {
  if (lines.length === 0) {
    return Promise.resolve();
  }
  const text = lines.join('\n') + '\n';
  lines = [];
  return appendFile(FILE, text).catch(() => undefined);
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
const epochMs = (performanceMs: number): number => round(performance.timeOrigin + performanceMs);

if (intakeTraceEnabled) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.duration >= GC_AT_LEAST_MS) {
        const kind = ((entry as { detail?: { kind?: number } }).detail)?.kind;
        write({ kind: 'gc', startMs: epochMs(entry.startTime), ms: round(entry.duration), type: kind === 1 ? 'scavenge' : 'major/other' });
      }
    }
  }).observe({ entryTypes: ['gc'] });
  let expected = performance.now() + STALL_PROBE_MS;
  setInterval(() => {
    const now = performance.now();
    if (now - expected >= STALL_AT_LEAST_MS) {
      write({ kind: 'stall', startMs: epochMs(expected), ms: round(now - expected) });
    }
    expected = now + STALL_PROBE_MS;
  }, STALL_PROBE_MS).unref();
  setInterval(() => void flush(), 500).unref();
  process.once('exit', () => {
    if (lines.length > 0) {
      appendFileSync(FILE, lines.join('\n') + '\n');
    }
  });
}

/** Where the trace reads the process's intake requests in flight and the database pool's waiting queue. */
export function setIntakeTraceGauges(next: Partial<typeof gauges>): void {
  gauges = { ...gauges, ...next };
}

/** A database pool event (connection opened or closed), when tracing. */
export function traceDatabaseConnection(kind: 'connect' | 'disconnect'): void {
  if (intakeTraceEnabled) {
    write({ kind, startMs: round(Date.now()) });
  }
}

/** The span of the intake request this code runs for, or undefined (tracing off, or outside a request). */
export function currentIntakeSpan(): IntakeSpan | undefined {
  return intakeTraceEnabled ? storage.getStore() : undefined;
}

/** Runs one intake request's handler, timing its phases when tracing. */
export function traceIntakeRequest<T>(headers: Record<string, string | string[] | undefined>, work: () => Promise<T>): Promise<T> {
  if (!intakeTraceEnabled) {
    return work();
  }
  const started = performance.now();
  const station = headers['x-siaga-station'];
  const timestamp = headers['x-siaga-timestamp'];
  const span: Span = {
    station: typeof station === 'string' ? station : null,
    timestampMs: typeof timestamp === 'string' ? Number(timestamp) : null,
    startMs: epochMs(started),
    started,
    last: started,
    phases: [],
    inFlight: gauges.inFlight(),
    poolWaiting: gauges.poolWaiting(),
    mark(name: string) {
      const now = performance.now();
      this.phases.push([name, round(now - this.last)]);
      this.last = now;
    },
  };
  const finish = (): void => {
    const totalMs = performance.now() - started;
    if (totalMs >= SLOWER_THAN_MS) {
      write({
        kind: 'request',
        station: span.station,
        timestampMs: span.timestampMs,
        startMs: span.startMs,
        totalMs: round(totalMs),
        phases: span.phases,
        inFlight: span.inFlight,
        poolWaiting: span.poolWaiting,
      });
    }
  };
  return storage.run(span, () =>
    work().then(
      (value) => {
        finish();
        return value;
      },
      (error: unknown) => {
        finish();
        throw error;
      },
    ),
  );
}
