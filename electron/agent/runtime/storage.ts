// The agent's local store, kept open, writable and bounded, and the faults it reports about itself.
//
// Contract:
// - `open` narrows the data folder's permissions (store/permissions.ts), opens the store (a corrupt
//   file is moved aside and its queued events salvaged by Store) and hands it to `onOpen` before
//   anything else uses it. A folder that cannot be written is no crash: `open` returns false, the
//   reason stays in `unwritable`, and the owner retries until it opens.
// - `verify` runs `PRAGMA quick_check` on the file as it is on disk; damage replaces the store like
//   a corruption error from any write does.
// - `write` runs work against the open store and never throws for storage trouble: a corrupt file is
//   closed and replaced through `open`; a full disk is logged once, kept as `storageError` until a
//   write succeeds again, and answered by an emergency prune of check history (never of queued
//   events). A folder turned read-only is kept as `storageError` the same way. Other errors are
//   thrown. Without an open store the work is skipped.
// - Storage trouble becomes a fault of the `pc` role (PC_STORAGE_FULL, PC_DATABASE_CORRUPT,
//   PC_DATA_FOLDER_READONLY), queued
//   here until `commitSelfFaults` manages to commit it: found while the disk is full, it is reported
//   once the disk has room.
// - `prune` summarises old check results and forgets the district's state of long-gone faults.
import type { Role, Verdict } from '../../../protocol/verdict';
import { severityOf } from '../../../protocol/rules';
import { describe } from '../messages';
import { pruneDistrictFaults } from '../outbox';
import { secureDataFolder } from '../store/permissions';
import type { PrunePolicy } from '../store/store';
import {
  DEFAULT_PRUNE_POLICY,
  isCorruptionError,
  isFullError,
  isUnwritableError,
  Store,
} from '../store/store';
import type { StoredEvent } from '../store/store';

export type SelfFault = Verdict & { role: Role };

export interface AgentStorageOptions {
  dataDir: string;
  /** Store option for tests: PRAGMA max_page_count. */
  maxPageCount?: number;
  prunePolicy?: Partial<PrunePolicy>;
  /** Resolved faults are kept this long for recurrence (FaultPolicy). */
  recurringWindowMs: number;
  /** Local clock (ms). */
  now: () => number;
  /** A store was opened (at start, or replacing a corrupt one). */
  onOpen: (store: Store) => void;
  log: (line: string) => void;
}

export class AgentStorage {
  private openStore: Store | null = null;
  private error: string | null = null;
  private openError: string | null = null;
  /** Set while writes fail because the folder turned read-only under an open store. */
  private readonlyError: string | null = null;
  /** Faults the agent found in itself, waiting to be committed. */
  private readonly selfFaults: SelfFault[] = [];

  constructor(private readonly options: AgentStorageOptions) {}

  get store(): Store | null {
    return this.openStore;
  }

  /** Why the last write failed (or the store cannot be opened), until one succeeds again. */
  get storageError(): string | null {
    return this.error ?? this.openError;
  }

  /** Why the store cannot be opened (the data folder cannot be written); null once it is open. */
  get unwritable(): string | null {
    return this.openError ?? this.readonlyError;
  }

  /** Opens the store; false (and `unwritable` set) when the data folder cannot be written. */
  open(): boolean {
    const exposure = secureDataFolder(this.options.dataDir);
    for (const line of exposure.fixed) {
      this.options.log(`data folder permissions narrowed: ${line}`);
    }
    let store: Store;
    try {
      store = Store.open(this.options.dataDir, {
        maxPageCount: this.options.maxPageCount,
        now: this.options.now,
      });
    } catch (error) {
      if (!isUnwritableError(error)) {
        throw error;
      }
      const reason = `${this.options.dataDir}: ${(error as Error).message}`;
      if (this.openError === null) {
        this.options.log(`data folder cannot be written, retrying: ${reason}`);
        this.queueUnwritable(reason);
      }
      this.openError = reason;
      return false;
    }
    if (this.openError !== null) {
      this.options.log(`data folder writable again after: ${this.openError}`);
      this.openError = null;
    }
    this.openStore = store;
    this.options.onOpen(store);
    if (store.recovered) {
      const note = store.recovered;
      this.options.log(
        `database was corrupt (${note.reason}); moved to ${note.movedTo}; ${note.salvagedEvents} queued events salvaged`,
      );
      this.selfFaults.push(
        this.selfFault(
          'PC_DATABASE_CORRUPT',
          `${note.reason}; moved to ${note.movedTo}; salvaged ${note.salvagedEvents} queued events`,
        ),
      );
    }
    return true;
  }

  /**
   * Checks the store file as it is on disk (`PRAGMA quick_check` on a connection of its own, so
   * the open connection's page cache cannot hide damage); a damaged one is replaced at once.
   * Returns whether the store was healthy.
   */
  verify(): boolean {
    const store = this.openStore;
    if (!store) {
      return true;
    }
    const problem = store.integrityProblem();
    if (problem === null) {
      return true;
    }
    this.replaceCorrupt(store, problem);
    return false;
  }

  /** The data folder's exposure as a `pc` verdict, or null when only allowed accounts can read it. */
  folderVerdict(): SelfFault | null {
    const exposure = secureDataFolder(this.options.dataDir);
    for (const line of exposure.fixed) {
      this.options.log(`data folder permissions narrowed: ${line}`);
    }
    if (exposure.open.length === 0) {
      return null;
    }
    return this.selfFault('PC_DATA_FOLDER_OPEN', exposure.open.slice(0, 20).join('; '));
  }

  /** Queues a fault found elsewhere in the agent (e.g. PC_EVENT_REFUSED) for the next commit. */
  raise(fault: SelfFault): void {
    this.selfFaults.push(fault);
  }

  close(): void {
    this.openStore?.close();
    this.openStore = null;
  }

  write(work: (store: Store) => void): void {
    const store = this.openStore;
    if (!store) {
      return;
    }
    try {
      work(store);
      if (this.error !== null) {
        this.options.log(`storage writable again after: ${this.error}`);
        this.error = null;
        this.readonlyError = null;
      }
    } catch (error) {
      if (isCorruptionError(error)) {
        this.replaceCorrupt(store, (error as Error).message);
        return;
      }
      if (isUnwritableError(error)) {
        if (this.error === null) {
          this.options.log(`store write failed, data folder cannot be written: ${(error as Error).message}`);
          this.queueUnwritable((error as Error).message);
        }
        this.error = (error as Error).message;
        this.readonlyError = this.error;
        return;
      }
      if (isFullError(error)) {
        if (this.error === null) {
          this.options.log(`store write failed, disk full: ${(error as Error).message}`);
          this.selfFaults.push(this.selfFault('PC_STORAGE_FULL', (error as Error).message));
        }
        this.error = (error as Error).message;
        this.emergencyPrune(store);
        return;
      }
      throw error;
    }
  }

  /**
   * Commits the queued self faults in order; each leaves the queue only once `commit` returned, so a
   * failed commit (thrown) keeps it and the rest for the next time.
   */
  commitSelfFaults(commit: (fault: SelfFault) => void): void {
    while (this.selfFaults.length > 0) {
      commit(this.selfFaults[0]!);
      this.selfFaults.shift();
    }
  }

  prune(): void {
    this.write((store) => {
      const { summarised } = store.prune(
        this.prunePolicy(),
        this.options.now(),
        this.options.recurringWindowMs,
      );
      if (summarised > 0) {
        this.options.log(`summarised ${summarised} old check results`);
      }
      pruneDistrictFaults(store);
    });
  }

  private replaceCorrupt(store: Store, reason: string): void {
    this.options.log(`store corrupt, replacing it: ${reason}`);
    try {
      store.close();
    } catch {
      // Closing a corrupt file may fail too; it is replaced either way.
    }
    this.openStore = null;
    // Store.open finds the damage again (quick_check), moves the file aside and salvages it.
    this.open();
  }

  private queueUnwritable(reason: string): void {
    this.selfFaults.push(this.selfFault('PC_DATA_FOLDER_READONLY', reason));
  }

  /** On a full disk, free pages by summarising check history (never queued events); best effort. */
  private emergencyPrune(store: Store): void {
    const policy = this.prunePolicy();
    try {
      const keep = Math.floor(Math.min(policy.maxRawResults, store.checkResultCount()) / 2);
      const { summarised } = store.prune(
        { ...policy, maxRawResults: keep },
        this.options.now(),
        this.options.recurringWindowMs,
      );
      this.options.log(`disk full: summarised ${summarised} check results to make room`);
    } catch (error) {
      this.options.log(`disk full: could not make room: ${(error as Error).message}`);
    }
  }

  private prunePolicy(): PrunePolicy {
    return { ...DEFAULT_PRUNE_POLICY, ...this.options.prunePolicy };
  }

  private selfFault(code: string, detail: string): SelfFault {
    return {
      role: 'pc',
      status: 'fault',
      code,
      severity: severityOf(code, 'fault', 'pc'),
      ...describe(code, 'pc'),
      measurements: { detail },
      checkedAt: new Date(this.options.now()).toISOString(),
      durationMs: 0,
    };
  }
}

/** PC_EVENT_REFUSED: the district refused (or kept failing on) an event, now parked in the store. */
export function eventRefusedFault(event: StoredEvent, reason: string, nowMs: number): SelfFault {
  return {
    role: 'pc',
    status: 'fault',
    code: 'PC_EVENT_REFUSED',
    severity: severityOf('PC_EVENT_REFUSED', 'fault', 'pc'),
    ...describe('PC_EVENT_REFUSED', 'pc', { eventType: event.type }),
    measurements: { eventId: event.id, eventType: event.type, seq: event.seq, reason: reason.slice(0, 500) },
    checkedAt: new Date(nowMs).toISOString(),
    durationMs: 0,
  };
}
