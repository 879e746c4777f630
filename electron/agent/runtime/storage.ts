// The agent's local store, kept open, writable and bounded, and the faults it reports about itself.
//
// Contract:
// - `open` opens the store (a corrupt file is moved aside and its queued events salvaged by Store)
//   and hands it to `onOpen` before anything else uses it.
// - `write` runs work against the open store and never throws for storage trouble: a corrupt file is
//   closed and replaced through `open`; a full disk is logged once, kept as `storageError` until a
//   write succeeds again, and answered by an emergency prune of check history (never of queued
//   events). Other errors are thrown. Without an open store the work is skipped.
// - Storage trouble becomes a fault of the `pc` role (PC_STORAGE_FULL, PC_DATABASE_CORRUPT), queued
//   here until `commitSelfFaults` manages to commit it: found while the disk is full, it is reported
//   once the disk has room.
// - `prune` summarises old check results and forgets the district's state of long-gone faults.
import type { Role, Verdict } from '../../../protocol/verdict';
import { describe } from '../messages';
import { pruneDistrictFaults } from '../outbox';
import type { PrunePolicy } from '../store/store';
import type { StoredEvent } from '../store/store';
import { DEFAULT_PRUNE_POLICY, isCorruptionError, isFullError, Store } from '../store/store';

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
  /** Faults the agent found in itself, waiting to be committed. */
  private readonly selfFaults: SelfFault[] = [];

  constructor(private readonly options: AgentStorageOptions) {}

  get store(): Store | null {
    return this.openStore;
  }

  /** Why the last write failed, until one succeeds again. */
  get storageError(): string | null {
    return this.error;
  }

  open(): void {
    const store = Store.open(this.options.dataDir, {
      maxPageCount: this.options.maxPageCount,
      now: this.options.now,
    });
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
          'major',
          `${note.reason}; moved to ${note.movedTo}; salvaged ${note.salvagedEvents} queued events`,
          'Basis data stasiun rusak dan diganti baru',
          'The station database was corrupt and was replaced',
        ),
      );
    }
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
      }
    } catch (error) {
      if (isCorruptionError(error)) {
        this.options.log(`store corrupt, replacing it: ${(error as Error).message}`);
        try {
          store.close();
        } catch {
          // Closing a corrupt file may fail too; it is replaced either way.
        }
        this.open();
        return;
      }
      if (isFullError(error)) {
        if (this.error === null) {
          this.options.log(`store write failed, disk full: ${(error as Error).message}`);
          this.selfFaults.push(
            this.selfFault(
              'PC_STORAGE_FULL',
              'major',
              (error as Error).message,
              'Penyimpanan penuh: kejadian belum bisa dicatat',
              'Storage full: events cannot be recorded yet',
            ),
          );
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

  private selfFault(
    code: string,
    severity: Verdict['severity'],
    detail: string,
    messageId: string,
    messageEn: string,
  ): SelfFault {
    return {
      role: 'pc',
      status: 'fault',
      code,
      severity,
      message: { id: messageId, en: messageEn },
      nextStep: { id: 'Hubungi teknisi kabupaten.', en: 'Call the district technician.' },
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
    severity: 'minor',
    ...describe('PC_EVENT_REFUSED', 'pc', { eventType: event.type }),
    measurements: { eventId: event.id, eventType: event.type, seq: event.seq, reason: reason.slice(0, 500) },
    checkedAt: new Date(nowMs).toISOString(),
    durationMs: 0,
  };
}
