// Group commit: units of work queued at the same time share one transaction, so one commit (one
// disk sync) covers all of them, and each caller is answered only after that commit. A durable
// commit costs the same for one small batch as for a hundred; serialising one transaction per
// request made the disk sync, not the work, the limit of the intake.
//
// Semantics per unit are those of its own transaction: units run one after another in arrival
// order, each sees what the earlier units of its group wrote, and a unit that throws fails alone.
// On PostgreSQL two groups may be in flight at once (on two connections): the next group is
// stored while the previous one waits for its commit's disk flush, instead of queueing behind it
// (the slow heartbeats' time was mostly that wait: docs/cluster.md). Units with the same key (a
// station) are never in two groups at once, and keep their arrival order: a station's batches are
// stored one after another as before; units of different stations in concurrent groups are what
// two server processes already do to each other.
// When a group's transaction fails (a unit threw, or the commit itself failed) everything in it is
// rolled back and each unit runs again in a transaction of its own (a group of one only when it
// was a deadlock's victim: two groups in flight can lock shared rows, a device's, in opposite order), so a unit must only touch the
// database it is given and must be safe to run again after a rollback.
import { isDatabaseTimeout, isTransactionConflict } from './postgres';
import type { Db } from './types';

interface Unit {
  work: (db: Db) => Promise<unknown>;
  /** Units with the same key never run in two concurrent groups (their order is kept). */
  key: string | undefined;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

export interface GroupCommitStats {
  /** Units of work committed or failed. */
  units: number;
  /** Group transactions attempted (one per group, whatever its size). */
  groups: number;
  /** Groups that failed and were run again one unit per transaction. */
  fallbacks: number;
  /** The most units one group held. */
  largestGroup: number;
}

/** Units a group takes at most; the rest wait for the next commit (bounds one transaction's time). */
export const MAX_GROUP_UNITS = 256;
/** Groups in flight at once on PostgreSQL (each on its own pool connection); SQLite has one connection, so one. */
export const MAX_GROUPS_IN_FLIGHT = 2;

export class GroupCommitter {
  private queue: Unit[] = [];
  private scheduled = false;
  private groupsInFlight = 0;
  private readonly busyKeys = new Set<string>();
  readonly stats: GroupCommitStats = { units: 0, groups: 0, fallbacks: 0, largestGroup: 0 };

  constructor(
    private readonly db: Db,
    private readonly maxGroupUnits: number = MAX_GROUP_UNITS,
    private readonly maxGroupsInFlight: number = db.dialect === 'postgres' ? MAX_GROUPS_IN_FLIGHT : 1,
  ) {}

  /**
   * Runs `work` in a transaction shared with the units queued with it; resolves after the commit.
   * `key` (a station id): units with the same key are never in concurrent groups.
   */
  run<T>(work: (db: Db) => Promise<T>, key?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, key, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current I/O phase: requests that arrived with this one join its group.
        setImmediate(() => {
          this.scheduled = false;
          this.startGroups();
        });
      }
    });
  }

  /** Starts groups while fewer than the maximum are in flight; units that arrive meanwhile form the next. */
  private startGroups(): void {
    while (this.groupsInFlight < this.maxGroupsInFlight && this.queue.length > 0) {
      const group = this.takeGroup();
      if (group.length === 0) {
        return; // every waiting unit's key is in a group in flight: its end starts the next
      }
      this.groupsInFlight++;
      const keys = group.flatMap((unit) => (unit.key === undefined ? [] : [unit.key]));
      keys.forEach((key) => this.busyKeys.add(key));
      void this.commit(group).finally(() => {
        this.groupsInFlight--;
        keys.forEach((key) => this.busyKeys.delete(key));
        this.startGroups();
      });
    }
  }

  /** Up to maxGroupUnits queued units in arrival order, skipping (and keeping queued) those whose key is busy. */
  private takeGroup(): Unit[] {
    const group: Unit[] = [];
    const left: Unit[] = [];
    // Keys of units left queued in this pass: a later unit of the same key must not overtake them.
    const waiting = new Set<string>();
    for (const unit of this.queue) {
      const blocked = unit.key !== undefined && (this.busyKeys.has(unit.key) || waiting.has(unit.key));
      if (group.length < this.maxGroupUnits && !blocked) {
        group.push(unit);
      } else {
        left.push(unit);
        if (unit.key !== undefined) {
          waiting.add(unit.key);
        }
      }
    }
    this.queue = left;
    return group;
  }

  private async commit(group: Unit[]): Promise<void> {
    this.stats.groups++;
    this.stats.units += group.length;
    this.stats.largestGroup = Math.max(this.stats.largestGroup, group.length);
    let results: unknown[];
    try {
      results = await this.db.transaction(async (transaction) => {
        const done: unknown[] = [];
        for (const unit of group) {
          done.push(await unit.work(transaction));
        }
        return done;
      });
    } catch (error) {
      // A lone unit fails with its error, unless a concurrent transaction (the other group in
      // flight, another process) made its transaction a deadlock's victim: that one runs again once.
      if (group.length === 1 && !isTransactionConflict(error)) {
        group[0].reject(error);
        return;
      }
      if (isDatabaseTimeout(error)) {
        // PostgreSQL did not answer in time (a silent network): each unit run again alone would
        // wait as long again, one after another. All are answered now (503), and sent again.
        group.forEach((unit) => unit.reject(error));
        return;
      }
      this.stats.fallbacks++;
      for (const unit of group) {
        await this.db.transaction(unit.work).then(unit.resolve, unit.reject);
      }
      return;
    }
    group.forEach((unit, index) => unit.resolve(results[index]));
  }
}

const committers = new WeakMap<Db, GroupCommitter>();

/** The one committer of `db` (created on first use). */
export function groupCommitterOf(db: Db): GroupCommitter {
  let committer = committers.get(db);
  if (committer === undefined) {
    committer = new GroupCommitter(db);
    committers.set(db, committer);
  }
  return committer;
}

/**
 * `db.transaction(work)`, but sharing its commit with the other units queued at the same time;
 * units with the same `key` (a station id) are stored one after another, never in concurrent groups.
 */
export function inGroupTransaction<T>(db: Db, work: (db: Db) => Promise<T>, key?: string): Promise<T> {
  return groupCommitterOf(db).run(work, key);
}
