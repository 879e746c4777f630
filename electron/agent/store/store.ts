// The station's local store: one better-sqlite3 file in WAL mode with synchronous=FULL, because a
// station loses power without warning and an event, once committed, must survive it.
//
// Corruption: a file that fails to open or fails `PRAGMA quick_check` is moved aside (with its -wal
// and -shm), a fresh store is created, whatever tables can still be read from the old file are
// copied over (queued events first), and `recovered` tells the agent to report it as a fault.
//
// Event sequence numbers are per station, strictly increasing, never reused. Beside the database,
// `seq-reserved` holds a high-water mark written (atomically) before any seq beyond it is committed,
// in blocks of SEQ_RESERVATION; if a corrupt store loses its counter, numbering resumes above the
// mark, so seq never repeats (a gap then tells the district events may be missing).
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import {
  existsSync,
  readFileSync,
  renameSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import type { EventType, FaultPayload } from '../../../protocol/events';
import { MAX_EVENT_ID_TIME, monotonicEventIds, PROTOCOL_VERSION } from '../../../protocol/events';
import type { FaultTransition, TrackedFault } from '../faults';
import type { CheckReport } from '../types';
import { META, readMeta, writeMeta } from './meta';
import { migrate, renameLegacyMetaKeys } from './migrations';
import { FILE_MODE, makeDataFolder } from './permissions';

export const STORE_FILE = 'siaga.db';
const SEQ_FILE = 'seq-reserved';
const SEQ_RESERVATION = 1000;

export interface EventDraft {
  type: EventType;
  /** Local clock, ISO-8601 UTC. */
  occurredAt: string;
  payload: unknown;
  /** For fault events: the fault's id, to tell its delivery state. */
  faultId?: string;
}

/** An event as committed: everything of the envelope but the station id (added when sending). */
export interface StoredEvent {
  seq: number;
  id: string;
  type: EventType;
  occurredAt: string;
  faultId: string | null;
  /** The payload as JSON text, sent byte for byte. */
  payload: string;
}

export interface RecoveryNote {
  /** Where the unreadable file was moved. */
  movedTo: string;
  reason: string;
  /** Queued events copied from the old file. */
  salvagedEvents: number;
}

export type DeliveryState = 'queued' | 'reported' | 'rejected';

export interface FaultRecord {
  faultId: string;
  role: string;
  code: string;
  openedAt: string;
  resolvedAt: string | null;
  payload: FaultPayload;
  delivery: DeliveryState;
}

export interface PrunePolicy {
  /** Raw check results older than this are summarised (ms). */
  rawRetentionMs: number;
  /** At most this many raw check results are kept; older ones are summarised first. */
  maxRawResults: number;
  /** Resolved faults are listed for this long (ms). */
  resolvedFaultRetentionMs: number;
}

export const DEFAULT_PRUNE_POLICY: PrunePolicy = {
  rawRetentionMs: 3 * 24 * 60 * 60_000,
  maxRawResults: 50_000,
  resolvedFaultRetentionMs: 90 * 24 * 60 * 60_000,
};

export interface OpenStoreOptions {
  fileName?: string;
  /** PRAGMA max_page_count: caps the file (tests use it to make SQLITE_FULL). */
  maxPageCount?: number;
  /** Local clock, for event ids (ms). */
  now?: () => number;
  /** For readers beside a running agent (`siaga faults`, `siaga bundle export`): no repair, no writes. */
  readonly?: boolean;
}

const CORRUPTION_CODES = new Set([
  'SQLITE_CORRUPT',
  'SQLITE_NOTADB',
  'SQLITE_CORRUPT_INDEX',
  'SQLITE_CORRUPT_SEQUENCE',
  'SQLITE_CORRUPT_VTAB',
]);

/** Whether an error from better-sqlite3 means the database file is damaged. */
export function isCorruptionError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && CORRUPTION_CODES.has(code);
}

/**
 * Whether an error means the data folder or the database cannot be written (permissions, a
 * read-only file system): a condition a technician fixes, not a damaged file.
 */
export function isUnwritableError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'EACCES' ||
    code === 'EROFS' ||
    code === 'EPERM' ||
    (typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')))
  );
}

/** Whether an error means the disk (or the page limit) is full. */
export function isFullError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    code === 'SQLITE_FULL' ||
    code === 'ENOSPC' ||
    (typeof code === 'string' && code.startsWith('SQLITE_IOERR'))
  );
}

export class Store {
  readonly db: SqliteDatabase;
  readonly file: string;
  /** Set when this store replaced a corrupt file. */
  readonly recovered: RecoveryNote | null;
  private readonly seqFile: string;
  private readonly now: () => number;
  private readonly nextId: (nowMs: number) => string;
  private seqReserved: number;

  static open(dataDir: string, options: OpenStoreOptions = {}): Store {
    const file = path.join(dataDir, options.fileName ?? STORE_FILE);
    if (options.readonly) {
      const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
      return new Store(db, file, dataDir, null, options);
    }
    makeDataFolder(dataDir);
    createOwnerOnly(file);
    try {
      return new Store(openHealthy(file, options), file, dataDir, null, options);
    } catch (error) {
      if (!isCorruptionError(error)) {
        throw error;
      }
      const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(file + suffix)) {
          renameSync(file + suffix, movedTo + suffix);
        }
      }
      createOwnerOnly(file);
      const db = openHealthy(file, options);
      const salvagedEvents = salvage(db, movedTo);
      return new Store(
        db,
        file,
        dataDir,
        { movedTo, reason: (error as Error).message, salvagedEvents },
        options,
      );
    }
  }

  private constructor(
    db: SqliteDatabase,
    file: string,
    dataDir: string,
    recovered: RecoveryNote | null,
    options: OpenStoreOptions,
  ) {
    this.db = db;
    this.file = file;
    this.recovered = recovered;
    this.seqFile = path.join(dataDir, SEQ_FILE);
    this.now = options.now ?? Date.now;
    this.nextId = monotonicEventIds(() => randomInt(2 ** 32) / 2 ** 32);
    this.seqReserved = readReservation(this.seqFile);
    const stored = readMeta(this, META.nextSeq);
    const highest =
      (this.db.prepare('SELECT MAX(seq) AS seq FROM outbox').get() as { seq: number | null }).seq ?? 0;
    // A lost counter (fresh store after corruption) resumes above everything ever reserved.
    const floor = recovered && stored === null ? this.seqReserved + 1 : 1;
    const next = Math.max(stored ?? 1, highest + 1, floor);
    if (next !== (stored ?? 1) && !options.readonly) {
      writeMeta(this, META.nextSeq, next);
    }
  }

  close(): void {
    if (this.db.open) {
      this.db.close();
    }
  }

  /**
   * `PRAGMA quick_check` of the file as it is on disk, on a connection of its own (the open one's
   * page cache could still hold healthy copies of damaged pages). Null when healthy.
   */
  integrityProblem(): string | null {
    let checker: SqliteDatabase | null = null;
    try {
      checker = new Database(this.file, { readonly: true, fileMustExist: true, timeout: 5000 });
      const result = checker.pragma('quick_check', { simple: true });
      return result === 'ok' ? null : `quick_check: ${String(result)}`;
    } catch (error) {
      return isCorruptionError(error) ? (error as Error).message : null;
    } finally {
      checker?.close();
    }
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Commits events to the outbox with the next sequence numbers (in the caller's transaction, if any). */
  appendEvents(drafts: readonly EventDraft[]): StoredEvent[] {
    if (drafts.length === 0) {
      return [];
    }
    return this.transaction(() => {
      const first = readMeta(this, META.nextSeq) ?? 1;
      const last = first + drafts.length - 1;
      this.reserveThrough(last);
      const insert = this.db.prepare(
        'INSERT INTO outbox (seq, id, type, occurred_at, fault_id, payload) VALUES (?, ?, ?, ?, ?, ?)',
      );
      const stored = drafts.map((draft, index): StoredEvent => {
        const event: StoredEvent = {
          seq: first + index,
          id: this.nextId(clampIdTime(this.now())),
          type: draft.type,
          occurredAt: draft.occurredAt,
          faultId: draft.faultId ?? null,
          payload: JSON.stringify(draft.payload),
        };
        insert.run(event.seq, event.id, event.type, event.occurredAt, event.faultId, event.payload);
        return event;
      });
      writeMeta(this, META.nextSeq, last + 1);
      return stored;
    });
  }

  /** The oldest queued events, in seq order. */
  pending(limit: number): StoredEvent[] {
    return this.pendingAfter(0, limit);
  }

  /** Queued events with seq above `afterSeq`, in seq order. */
  pendingAfter(afterSeq: number, limit: number): StoredEvent[] {
    return this.db
      .prepare(
        'SELECT seq, id, type, occurred_at AS occurredAt, fault_id AS faultId, payload FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(afterSeq, limit) as StoredEvent[];
  }

  pendingCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS count FROM outbox').get() as { count: number }).count;
  }

  hasPendingOfType(type: EventType): boolean {
    return this.db.prepare('SELECT 1 FROM outbox WHERE type = ? LIMIT 1').get(type) !== undefined;
  }

  /** Removes events the district has durably stored. */
  acknowledge(ids: readonly string[]): number {
    const remove = this.db.prepare('DELETE FROM outbox WHERE id = ?');
    return this.transaction(() => ids.reduce((count, id) => count + remove.run(id).changes, 0));
  }

  noteAttempt(seqs: readonly number[]): void {
    const bump = this.db.prepare('UPDATE outbox SET attempts = attempts + 1 WHERE seq = ?');
    this.transaction(() => seqs.forEach((seq) => bump.run(seq)));
  }

  /** Moves an event the district refused as invalid out of the queue, keeping it for a technician. */
  reject(seq: number, reason: string): void {
    this.transaction(() => {
      this.db
        .prepare(
          `INSERT OR REPLACE INTO outbox_rejected (seq, id, type, occurred_at, payload, rejected_at, reason)
           SELECT seq, id, type, occurred_at, payload, ?, ? FROM outbox WHERE seq = ?`,
        )
        .run(new Date(this.now()).toISOString(), reason.slice(0, 1000), seq);
      this.db.prepare('DELETE FROM outbox WHERE seq = ?').run(seq);
    });
  }

  /** Events parked because the district refused or kept failing on them, newest first. */
  listRejected(limit = 100): { seq: number; id: string; type: string; rejectedAt: string; reason: string }[] {
    return this.db
      .prepare(
        'SELECT seq, id, type, rejected_at AS rejectedAt, reason FROM outbox_rejected ORDER BY seq DESC LIMIT ?',
      )
      .all(limit) as { seq: number; id: string; type: string; rejectedAt: string; reason: string }[];
  }

  rejectedCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS count FROM outbox_rejected').get() as { count: number })
      .count;
  }

  loadTracks(): Map<string, TrackedFault> {
    const rows = this.db.prepare('SELECT key, state FROM fault_tracks').all() as {
      key: string;
      state: string;
    }[];
    return new Map(rows.map((row) => [row.key, JSON.parse(row.state) as TrackedFault]));
  }

  /**
   * Commits a lifecycle step: the changed tracks, the fault records and one event per transition,
   * in one transaction. Returns the committed events.
   */
  commitFaults(
    changed: readonly TrackedFault[],
    transitions: readonly FaultTransition[],
    occurredAt: string,
  ): StoredEvent[] {
    return this.transaction(() => {
      const saveTrack = this.db.prepare(
        'INSERT INTO fault_tracks (key, state) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET state = excluded.state',
      );
      for (const track of changed) {
        saveTrack.run(track.key, JSON.stringify(track));
      }
      const events = this.appendEvents(
        transitions.map((transition) => ({
          type: transition.type,
          occurredAt,
          payload: transition.payload,
          faultId: transition.payload.faultId,
        })),
      );
      const upsert = this.db.prepare(
        `INSERT INTO faults (fault_id, key, role, code, opened_at, resolved_at, payload, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (fault_id) DO UPDATE SET resolved_at = excluded.resolved_at, payload = excluded.payload, last_seq = excluded.last_seq`,
      );
      transitions.forEach((transition, index) => {
        const payload = transition.payload;
        upsert.run(
          payload.faultId,
          transition.key,
          payload.role,
          payload.code,
          payload.firstSeen,
          transition.type === 'fault.resolved' ? occurredAt : null,
          JSON.stringify(payload),
          events[index]!.seq,
        );
      });
      return events;
    });
  }

  /**
   * Where the event with `seq` stands: queued while in the outbox, rejected when parked, else
   * reported (the district acknowledged it: only its acknowledgement removes an event).
   */
  deliveryOf(seq: number): DeliveryState {
    if (this.db.prepare('SELECT 1 FROM outbox WHERE seq = ?').get(seq) !== undefined) {
      return 'queued';
    }
    return this.db.prepare('SELECT 1 FROM outbox_rejected WHERE seq = ?').get(seq) !== undefined
      ? 'rejected'
      : 'reported';
  }

  /** Open faults first, then resolved ones, newest first, each with its delivery state. */
  listFaults(options: { includeResolved?: boolean } = {}): FaultRecord[] {
    const rows = this.db
      .prepare(
        `SELECT fault_id AS faultId, role, code, opened_at AS openedAt, resolved_at AS resolvedAt, payload,
           EXISTS (SELECT 1 FROM outbox o WHERE o.fault_id = f.fault_id) AS queued,
           EXISTS (SELECT 1 FROM outbox_rejected r WHERE r.seq = f.last_seq) AS rejected
         FROM faults f ${options.includeResolved ? '' : 'WHERE resolved_at IS NULL'}
         ORDER BY resolved_at IS NOT NULL, opened_at DESC`,
      )
      .all() as (Omit<FaultRecord, 'payload' | 'delivery'> & {
      payload: string;
      queued: number;
      rejected: number;
    })[];
    return rows.map(({ queued, rejected, payload, ...row }) => ({
      ...row,
      payload: JSON.parse(payload),
      delivery: queued ? 'queued' : rejected ? 'rejected' : 'reported',
    }));
  }

  /** Keeps one check's verdicts and the devices it saw. */
  recordCheck(report: CheckReport): void {
    this.transaction(() => {
      const insert = this.db.prepare(
        `INSERT INTO check_results (checked_at, mode, role, code, status, severity, device_key, duration_ms, measurements)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const verdict of report.verdicts) {
        insert.run(
          verdict.checkedAt,
          report.mode,
          verdict.role,
          verdict.code,
          verdict.status,
          verdict.severity,
          verdict.device?.key ?? null,
          verdict.durationMs,
          JSON.stringify(verdict.measurements),
        );
      }
      const device = this.db.prepare(
        `INSERT INTO devices (key, info, first_seen, last_seen) VALUES (?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET info = excluded.info, last_seen = excluded.last_seen`,
      );
      for (const usb of report.usbDevices) {
        device.run(usb.key, JSON.stringify(usb), report.startedAt, report.startedAt);
      }
    });
  }

  checkResultCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS count FROM check_results').get() as { count: number }).count;
  }

  /**
   * Bounds the file: old raw check results become daily counts first, then long-resolved faults
   * and forgotten lifecycle tracks go. Queued events are never touched.
   */
  prune(policy: PrunePolicy, nowMs: number, recurringWindowMs: number): { summarised: number } {
    return this.transaction(() => {
      const cutoff = new Date(nowMs - policy.rawRetentionMs).toISOString();
      const keepFrom = this.db
        .prepare('SELECT id FROM check_results ORDER BY id DESC LIMIT 1 OFFSET ?')
        .get(policy.maxRawResults) as { id: number } | undefined;
      const limitId = keepFrom?.id ?? 0;
      const where = 'checked_at < ? OR id <= ?';
      this.db
        .prepare(
          `INSERT INTO check_summaries (day, role, code, status, count)
           SELECT substr(checked_at, 1, 10), COALESCE(role, '-'), code, status, COUNT(*) FROM check_results
           WHERE ${where} GROUP BY 1, 2, 3, 4
           ON CONFLICT (day, role, code, status) DO UPDATE SET count = count + excluded.count`,
        )
        .run(cutoff, limitId);
      const summarised = this.db
        .prepare(`DELETE FROM check_results WHERE ${where}`)
        .run(cutoff, limitId).changes;
      const resolvedCutoff = new Date(nowMs - policy.resolvedFaultRetentionMs).toISOString();
      this.db
        .prepare(
          'DELETE FROM faults WHERE resolved_at IS NOT NULL AND resolved_at < ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.fault_id = faults.fault_id)',
        )
        .run(resolvedCutoff);
      for (const [key, track] of this.loadTracks()) {
        const quietSince = track.lastResolvedAt ?? track.lastFailAt ?? 0;
        if (track.phase === 'clear' && nowMs - quietSince > recurringWindowMs) {
          this.db.prepare('DELETE FROM fault_tracks WHERE key = ?').run(key);
        }
      }
      return { summarised };
    });
  }

  /** Bytes of the database file and its WAL. */
  sizeBytes(): number {
    return ['', '-wal'].reduce(
      (total, suffix) => total + (existsSync(this.file + suffix) ? statSync(this.file + suffix).size : 0),
      0,
    );
  }

  /** Serialises a stored event as the protocol envelope (EventSchema), without re-encoding its payload. */
  static envelopeJson(event: StoredEvent, stationId: string): string {
    return (
      `{"v":${PROTOCOL_VERSION},"id":${JSON.stringify(event.id)},"stationId":${JSON.stringify(stationId)},"seq":${event.seq},` +
      `"occurredAt":${JSON.stringify(event.occurredAt)},"type":${JSON.stringify(event.type)},"payload":${event.payload}}`
    );
  }

  private reserveThrough(seq: number): void {
    if (seq <= this.seqReserved) {
      return;
    }
    const reserved = seq + SEQ_RESERVATION;
    writeFileAtomic(this.seqFile, `${reserved}\n`);
    this.seqReserved = reserved;
  }
}

function openHealthy(file: string, options: OpenStoreOptions): SqliteDatabase {
  const db = new Database(file, { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
    }
    migrate(db);
    if (options.maxPageCount !== undefined) {
      db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const SALVAGE_TABLES = ['meta', 'outbox', 'outbox_rejected', 'fault_tracks', 'faults', 'devices'];

/** Copies what can still be read from a damaged file; each table on its own, best effort. */
function salvage(db: SqliteDatabase, damagedFile: string): number {
  let events = 0;
  try {
    db.prepare('ATTACH DATABASE ? AS damaged').run(damagedFile);
  } catch {
    return 0;
  }
  for (const table of SALVAGE_TABLES) {
    try {
      const changes = db
        .prepare(`INSERT OR IGNORE INTO main.${table} SELECT * FROM damaged.${table}`)
        .run().changes;
      if (table === 'outbox') {
        events = changes;
      }
    } catch {
      // This table is unreadable; the others may still be whole.
    }
  }
  try {
    // The damaged file may be of an older schema.
    renameLegacyMetaKeys(db);
  } catch {
    // Best effort, like the copy.
  }
  try {
    db.prepare('DETACH DATABASE damaged').run();
  } catch {
    // Nothing to release.
  }
  return events;
}

function readReservation(file: string): number {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** Write to a temporary file, fsync, rename: the file holds the old or the new content after a power cut. */
export function writeFileAtomic(file: string, content: string | Buffer, mode = FILE_MODE): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, content, { mode });
  const handle = openSync(temporary, 'r');
  try {
    fsyncSync(handle);
  } finally {
    closeSync(handle);
  }
  renameSync(temporary, file);
}

/** Creates the database file owner-only before SQLite does (its -wal and -shm then get the same mode). */
function createOwnerOnly(file: string): void {
  closeSync(openSync(file, 'a', FILE_MODE));
}

function clampIdTime(nowMs: number): number {
  return Math.min(MAX_EVENT_ID_TIME, Math.max(0, Math.floor(nowMs)));
}
