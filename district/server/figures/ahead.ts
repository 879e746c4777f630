// The figures' summary written ahead (issue 13, docs/year-of-events.md): a pass writes, per
// district, the days over and not yet summarised (or stale) of the months the figures page shows,
// and the totals of the months over, so the first view after a day ends or after a long gap reads
// them instead of computing them. A pass runs at start (catching up after downtime) and every few
// minutes; a district whose days over, late marks and basis are as at its last pass is skipped
// after a few small queries (what makes a row stale is one of these, summary.ts). Writing goes in
// batches of at most SUMMARY_BATCH_ROWS kecamatan-days, one transaction each, yielding to the event
// loop (setImmediate) after a batch's reads, after its computation and after its write, so that
// heartbeats and requests run between them (on SQLite, one connection on the event loop, every
// part of a batch holds them all). A batch is also bounded by time: the next is sized so that its
// computation, and on SQLite what its read and its write take beyond their fixed cost (the
// district's stations, the sync), take about BATCH_TARGET_MS each. Its reads cost what its days hold: the spans are read within a bound
// of their length taken once per district (availability.ts SpanBound), not every span after the
// batch's first day (bench/figures-ahead-sqlite.ts, docs/year-of-events.md).
// One pass at a time across processes (an advisory lock, db/locks.ts); a view writes a small
// backlog itself only while no pass holds it (summary.ts).
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { OFFSET_MINUTES } from '../calendar/service-hours';
import { loadCalendar } from '../calendar/store';
import { withAdvisoryLock } from '../db/locks';
import type { Db, SqlValue } from '../db/types';
import type { SpanBound } from './availability';
import { spanBound, unableIntervals } from './availability';
import { LATE_MARGIN_MS } from './late';
import { DEFAULT_FIGURES_MONTHS, monthRange } from './report';
import type { SummaryDay } from './summary';
import {
  storedSummary,
  SUMMARY_BATCH_ROWS,
  summaryDays,
  summaryInputs,
  summaryKey,
  summaryRow,
  unableByDay,
  writeSummary,
} from './summary';

const DAY_MS = 86_400_000;
/** A batch reads the spans of at most this many days (its days need not follow each other). */
const BATCH_MAX_DAYS = 7;
/**
 * What a batch's computation, or its read or write beyond their fixed cost, may take, in ms: the next
 * batch is sized from the last one's times to stay near it (heartbeats' p99 stays near its normal,
 * docs/year-of-events.md).
 */
export const BATCH_TARGET_MS = 15;
/**
 * A batch never shrinks below this many kecamatan-days (nor above the rows asked for): below it the
 * reads that do not depend on the rows (the district's stations, a day of its spans) take most of a batch.
 */
const BATCH_FLOOR_ROWS = 50;
/** A pass every 5 minutes: a district's day is written within that of its first heartbeat after its midnight. */
export const AHEAD_INTERVAL_MS = 5 * 60_000;

export interface AheadResult {
  /** Districts with enrolled stations looked at. */
  districts: number;
  /** Of them, skipped: nothing changed since this process's last pass. */
  unchanged: number;
  days: number;
  months: number;
  batches: number;
  /** False when stopped between batches: the rest is the next pass's. */
  complete: boolean;
}

export interface AheadOptions {
  nowMs: number;
  /** The heartbeat window the views use: it is part of every row's basis. */
  windowMs: number;
  /** Months back written, this one included (default: the page's, DEFAULT_FIGURES_MONTHS). */
  months?: number;
  /**
   * Kecamatan-days per transaction at most (default SUMMARY_BATCH_ROWS); fewer while a batch's
   * computation, read or write would take longer than BATCH_TARGET_MS (never fewer than 50, or than this
   * when smaller).
   */
  batchRows?: number;
  /** Per district, what it was at the end of the last complete pass (kept by the timer). */
  remembered?: Map<string, string>;
  /** Asked between batches: true ends the pass there. */
  stopping?: () => boolean;
  /** Asked between batches: throws once this pass's lock is lost (writeAheadExclusive), ending the pass. */
  stillHeld?: () => Promise<void>;
}

/**
 * One pass over every district with enrolled stations (not exclusive: see writeAheadExclusive).
 * A day is written once it is over by `nowMs` and by the district's newest heartbeat, as a view
 * writes it (summary.ts): with its basis and the generation read before its spans.
 */
export async function writeAhead(db: Db, options: AheadOptions): Promise<AheadResult> {
  const result: AheadResult = { districts: 0, unchanged: 0, days: 0, months: 0, batches: 0, complete: true };
  const districts = await db.query<{ code: string }>(
    'SELECT DISTINCT district_code AS code FROM stations WHERE enrolled_at IS NOT NULL ORDER BY district_code',
  );
  for (const { code } of districts) {
    result.districts++;
    const done = await writeDistrict(db, code, options, result);
    if (!done) {
      result.complete = false;
      break;
    }
  }
  return result;
}

/** Writes one district's missing rows; false when stopped before the end. */
async function writeDistrict(db: Db, district: string, options: AheadOptions, result: AheadResult): Promise<boolean> {
  const batchRows = Math.max(1, options.batchRows ?? SUMMARY_BATCH_ROWS);
  const calendar = await loadCalendar(db, district);
  const inputs = await summaryInputs(db, {
    district,
    calendar,
    nowMs: options.nowMs,
    windowMs: options.windowMs,
  });
  if (inputs.newestMs > options.nowMs + LATE_MARGIN_MS) {
    // Heartbeats stored ahead of this clock: this server's clock was ahead and was put right (or
    // another process's is ahead). Rows of days ending after this clock were written on that clock,
    // and heartbeats stored from now on in those days are not late by this one (late.ts): they go,
    // and are written again once their day is over here. Within the late margin, markLate covers it.
    const after = new Date(options.nowMs + LATE_MARGIN_MS).toISOString();
    await db.transaction(async (transaction) => {
      await transaction.run('DELETE FROM figures_unable_days WHERE district_code = $1 AND ends_at > $2', [district, after]);
      await transaction.run('DELETE FROM figures_unable_months WHERE district_code = $1 AND ends_at > $2', [district, after]);
    });
  }
  const { writtenUntil, basis } = inputs;
  const fromMs = monthRange(
    options.nowMs,
    (options.months ?? DEFAULT_FIGURES_MONTHS) - 1,
    OFFSET_MINUTES[calendar.timeZone],
  ).fromMs;
  // The job sees the district as a view at `writtenUntil` would, and lists only the days over.
  const listed = summaryDays(fromMs, writtenUntil, calendar.timeZone);
  const days = listed.days.filter((day) => day.start + DAY_MS <= writtenUntil);
  const { months } = listed;
  const signature = createHash('sha256')
    .update(JSON.stringify([fromMs, days.at(-1)?.date ?? null, [...inputs.late].sort(), [...basis].sort()]))
    .digest('base64url');
  if (options.remembered?.get(district) === signature) {
    result.unchanged++;
    return true;
  }
  const stored = await storedSummary(db, { district, inputs, days, months, untilMs: writtenUntil });
  const hasMonth = (kecamatan: string, month: string): boolean => stored.months.has(summaryKey(kecamatan, month));
  const kecamatanList = [...inputs.byKecamatan.keys()].sort();

  // The kecamatan-days to write, oldest day first (yielding now and then: months of a big district).
  await yieldToOthers();
  const pairs: { kecamatan: string; day: SummaryDay }[] = [];
  let listing = performance.now();
  for (const day of days) {
    if (performance.now() - listing > BATCH_TARGET_MS) {
      await yieldToOthers();
      listing = performance.now();
    }
    for (const kecamatan of kecamatanList) {
      if (!hasMonth(kecamatan, day.month) && !stored.days.has(summaryKey(kecamatan, day.date))) {
        pairs.push({ kecamatan, day });
      }
    }
  }
  const known = new Map(stored.days);
  const size = new BatchSize(batchRows);
  // Read before the bound and the spans: the rows carry it (late.ts, SpanBound).
  let generation = 0;
  let bound: SpanBound | undefined;
  if (pairs.length > 0) {
    const [counter] = await db.query<{ value: number | string }>('SELECT value FROM figures_generation WHERE id = 1');
    generation = Number(counter?.value ?? 0);
    bound = await spanBound(db, pairs[0]!.day.start, Math.max(Date.now(), options.nowMs));
    await yieldToOthers();
  }
  for (let next = 0; next < pairs.length; ) {
    if (result.batches > 0) {
      // Between batches the event loop serves requests and SQLite's queue runs what waited.
      await yieldToOthers();
    }
    if (options.stopping?.() === true) {
      return false;
    }
    await options.stillHeld?.();
    const batch = batchFrom(pairs, next, size.rows);
    next += batch.pairs.length;
    const reading = performance.now();
    const intervals = await unableIntervals(db, batch.fromMs, batch.toMs, options.windowMs, district, bound);
    const read = size.beyondFixed('read', performance.now() - reading, db.dialect);
    await yieldToOthers();
    const started = performance.now();
    const wanted = new Set(batch.pairs.map((pair) => pair.kecamatan));
    const computed = unableByDay(
      intervals,
      calendar,
      (kecamatan) => (wanted.has(kecamatan) ? batch.fromMs : undefined),
      batch.toMs,
    );
    const rows: SqlValue[][] = [];
    for (const { kecamatan, day } of batch.pairs) {
      const ms = computed.get(kecamatan)?.get(day.start) ?? 0;
      known.set(summaryKey(kecamatan, day.date), ms);
      rows.push(summaryRow(district, kecamatan, day.date, day.start + DAY_MS, ms, basis.get(kecamatan)!, generation));
    }
    const computing = performance.now() - started;
    await yieldToOthers();
    const writing = performance.now();
    await writeSummary(db, rows, []);
    size.took(batch.pairs.length, Math.max(read, computing, size.beyondFixed('write', performance.now() - writing, db.dialect)));
    result.batches++;
    result.days += rows.length;
  }

  // Month totals of the months over, from their days (stored or just written): with the
  // generation read at the pass's start, before any of those days was read.
  const monthRows: SqlValue[][] = [];
  for (const [month, range] of months) {
    if (range.end > writtenUntil) {
      continue;
    }
    const monthDays = days.filter((day) => day.month === month);
    let started = performance.now();
    for (const kecamatan of kecamatanList) {
      if (hasMonth(kecamatan, month)) {
        continue;
      }
      if (performance.now() - started > BATCH_TARGET_MS) {
        await yieldToOthers();
        started = performance.now();
      }
      let total = 0;
      for (const day of monthDays) {
        total += known.get(summaryKey(kecamatan, day.date))!;
      }
      monthRows.push(summaryRow(district, kecamatan, month, range.end, total, basis.get(kecamatan)!, inputs.generation));
    }
  }
  for (let first = 0; first < monthRows.length; ) {
    await yieldToOthers();
    if (options.stopping?.() === true) {
      return false;
    }
    await options.stillHeld?.();
    const slice = monthRows.slice(first, first + size.rows);
    await writeSummary(db, [], slice);
    first += slice.length;
    result.batches++;
  }
  result.months += monthRows.length;
  // A mark newer than the generation read first came while the pass read: rows of this pass may
  // be stale already (a month total carries that generation), so the next pass checks again.
  if ([...inputs.late.values()].every((mark) => mark.generation <= inputs.generation)) {
    options.remembered?.set(district, signature);
  }
  return true;
}

interface Batch {
  fromMs: number;
  toMs: number;
  pairs: { kecamatan: string; day: SummaryDay }[];
}

/** From `pairs[first]` on, at most `rows` kecamatan-days, their days within BATCH_MAX_DAYS of the first's. */
function batchFrom(pairs: readonly { kecamatan: string; day: SummaryDay }[], first: number, rows: number): Batch {
  const fromMs = pairs[first]!.day.start;
  let end = first;
  while (end < pairs.length && end - first < rows && pairs[end]!.day.start + DAY_MS - fromMs <= BATCH_MAX_DAYS * DAY_MS) {
    end++;
  }
  const taken = pairs.slice(first, end);
  return { fromMs, toMs: taken.at(-1)!.day.start + DAY_MS, pairs: taken };
}

/** Lets the event loop run what is due (timers, requests) and SQLite's queue what waits in it. */
const yieldToOthers = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * The rows of the next batch: starts small and doubles at most per batch while a batch's parts stay
 * under BATCH_TARGET_MS; shrinks in proportion when one took longer. Between BATCH_FLOOR_ROWS (or
 * `most`, when smaller) and `most`.
 */
class BatchSize {
  rows: number;
  private readonly least: number;

  constructor(private readonly most: number) {
    this.least = Math.min(most, BATCH_FLOOR_ROWS);
    this.rows = this.least;
  }

  /** The shortest read and write seen: what one costs whatever its rows (the sync, the statements, the district's stations). */
  private readonly fixedMs = { read: Infinity, write: Infinity };

  /**
   * A read or a write took `ms`: what of it grew with its rows. Only on SQLite (one connection on
   * the event loop: it held every request); on PostgreSQL its waits hold no one.
   */
  beyondFixed(part: 'read' | 'write', ms: number, dialect: Db['dialect']): number {
    this.fixedMs[part] = Math.min(this.fixedMs[part], ms);
    return dialect === 'sqlite' ? ms - this.fixedMs[part] : 0;
  }

  /** A batch of `rows` took `ms` in its longest part (its computation, or beyond the fixed cost its read or its write): sizes the next. */
  took(rows: number, ms: number): void {
    const fitting = ms <= 0 ? Infinity : Math.floor((rows * BATCH_TARGET_MS) / ms);
    this.rows = Math.max(this.least, Math.min(this.most, 2 * this.rows, fitting));
  }
}

/** A pass while no other process runs one; null at once when another does. */
export async function writeAheadExclusive(db: Db, options: AheadOptions): Promise<AheadResult | null> {
  const outcome = await withAdvisoryLock(db, 'figures', { wait: false }, (stillHeld) =>
    writeAhead(db, { ...options, stillHeld }),
  );
  return outcome.ran ? outcome.value : null;
}

export interface FiguresAheadTimer {
  /** Runs a pass now (after the one running here ends); null when another process runs one. */
  runNow(): Promise<AheadResult | null>;
  /** Ends the running pass at its next batch and stops the timer. */
  stop(): Promise<void>;
}

/**
 * Starts writing the summary ahead in this process: a pass now (catching up after downtime) and
 * every `intervalMs`. A failing pass is reported to `onError`; the next one tries again. The timer
 * does not keep the process alive.
 */
export function startFiguresAhead(
  db: Db,
  options: {
    windowMs: number;
    now: () => number;
    onError: (error: unknown) => void;
    intervalMs?: number;
    batchRows?: number;
  },
): FiguresAheadTimer {
  const remembered = new Map<string, string>();
  let stopped = false;
  let running: Promise<AheadResult | null> | null = null;
  const pass = async (): Promise<AheadResult | null> => {
    while (running !== null) {
      await running.catch(() => undefined);
    }
    if (stopped) {
      return null;
    }
    running = writeAheadExclusive(db, {
      nowMs: options.now(),
      windowMs: options.windowMs,
      batchRows: options.batchRows,
      remembered,
      stopping: () => stopped,
    });
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  const background = (): void => {
    pass().catch(options.onError);
  };
  const timer = setInterval(background, options.intervalMs ?? AHEAD_INTERVAL_MS);
  timer.unref();
  setImmediate(background);
  return {
    runNow: pass,
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
