// The figures' summary written ahead (issue 13, docs/year-of-events.md): a pass writes, per
// district, the days over and not yet summarised (or stale) of the months the figures page shows,
// and the totals of the months over, so the first view after a day ends or after a long gap reads
// them instead of computing them. A pass runs at start (catching up after downtime) and every few
// minutes; a district whose days over, late marks and basis are as at its last pass is skipped
// after a few small queries (what makes a row stale is one of these, summary.ts). Writing goes in batches of at most SUMMARY_BATCH_ROWS kecamatan-days, one
// transaction each, yielding between them: heartbeats never wait for more than one batch (on
// PostgreSQL they touch none of the rows written; on SQLite they queue behind one transaction).
// One pass at a time across processes (an advisory lock, db/locks.ts); a view writes a small
// backlog itself only while no pass holds it (summary.ts).
import { createHash } from 'node:crypto';
import { OFFSET_MINUTES } from '../calendar/service-hours';
import { loadCalendar } from '../calendar/store';
import { withAdvisoryLock } from '../db/locks';
import type { Db, SqlValue } from '../db/types';
import { unableIntervals } from './availability';
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
  /** Kecamatan-days per transaction (default SUMMARY_BATCH_ROWS). */
  batchRows?: number;
  /** Per district, what it was at the end of the last complete pass (kept by the timer). */
  remembered?: Map<string, string>;
  /** Asked between batches: true ends the pass there. */
  stopping?: () => boolean;
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

  // The kecamatan-days to write, oldest day first.
  const missing: { day: SummaryDay; kecamatan: string[] }[] = [];
  for (const day of days) {
    const list = kecamatanList.filter(
      (kecamatan) => !hasMonth(kecamatan, day.month) && !stored.days.has(summaryKey(kecamatan, day.date)),
    );
    if (list.length > 0) {
      missing.push({ day, kecamatan: list });
    }
  }
  const known = new Map(stored.days);
  for (const batch of batchesOf(missing, batchRows)) {
    if (result.batches > 0) {
      // Between batches the event loop serves requests and SQLite's queue runs what waited.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (options.stopping?.() === true) {
      return false;
    }
    // Read before the spans: the rows carry it (late.ts).
    const [counter] = await db.query<{ value: number | string }>('SELECT value FROM figures_generation WHERE id = 1');
    const generation = Number(counter?.value ?? 0);
    const wanted = new Set(batch.pairs.map((pair) => pair.kecamatan));
    const computed = unableByDay(
      await unableIntervals(db, batch.fromMs, batch.toMs, options.windowMs, district),
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
    await writeSummary(db, rows, []);
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
    for (const kecamatan of kecamatanList) {
      if (hasMonth(kecamatan, month)) {
        continue;
      }
      let total = 0;
      for (const day of days) {
        if (day.month === month) {
          total += known.get(summaryKey(kecamatan, day.date))!;
        }
      }
      monthRows.push(summaryRow(district, kecamatan, month, range.end, total, basis.get(kecamatan)!, inputs.generation));
    }
  }
  for (let first = 0; first < monthRows.length; first += batchRows) {
    await new Promise((resolve) => setImmediate(resolve));
    if (options.stopping?.() === true) {
      return false;
    }
    await writeSummary(db, [], monthRows.slice(first, first + batchRows));
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

/** At most `rows` kecamatan-days a batch, its days within BATCH_MAX_DAYS of its first. */
function batchesOf(missing: readonly { day: SummaryDay; kecamatan: string[] }[], rows: number): Batch[] {
  const batches: Batch[] = [];
  let current: Batch | null = null;
  for (const { day, kecamatan } of missing) {
    for (let first = 0; first < kecamatan.length; ) {
      if (
        current === null ||
        current.pairs.length >= rows ||
        day.start + DAY_MS - current.fromMs > BATCH_MAX_DAYS * DAY_MS
      ) {
        current = { fromMs: day.start, toMs: day.start + DAY_MS, pairs: [] };
        batches.push(current);
      }
      const taken = kecamatan.slice(first, first + rows - current.pairs.length);
      current.toMs = day.start + DAY_MS;
      current.pairs.push(...taken.map((name) => ({ kecamatan: name, day })));
      first += taken.length;
    }
  }
  return batches;
}

/** A pass while no other process runs one; null at once when another does. */
export async function writeAheadExclusive(db: Db, options: AheadOptions): Promise<AheadResult | null> {
  const outcome = await withAdvisoryLock(db, 'figures', { wait: false }, () => writeAhead(db, options));
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
