// Group commit: units of work queued at the same time share one transaction, so one commit (one
// disk sync) covers all of them, and each caller is answered only after that commit. A durable
// commit costs the same for one small batch as for a hundred; serialising one transaction per
// request made the disk sync, not the work, the limit of the intake.
//
// Semantics per unit are those of its own transaction: units run one after another in arrival
// order, each sees what the earlier units of its group wrote, and a unit that throws fails alone.
// When a group's transaction fails (a unit threw, or the commit itself failed) everything in it is
// rolled back and each unit runs again in a transaction of its own, so a unit must only touch the
// database it is given and must be safe to run again after a rollback.
import type { Db } from './types';

interface Unit {
  work: (db: Db) => Promise<unknown>;
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

export class GroupCommitter {
  private queue: Unit[] = [];
  private draining = false;
  readonly stats: GroupCommitStats = { units: 0, groups: 0, fallbacks: 0, largestGroup: 0 };

  constructor(
    private readonly db: Db,
    private readonly maxGroupUnits: number = MAX_GROUP_UNITS,
  ) {}

  /** Runs `work` in a transaction shared with the units queued with it; resolves after the commit. */
  run<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // After the current I/O phase: requests that arrived with this one join its group.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      // Units that arrive while a group commits form the next group: the busier, the larger.
      while (this.queue.length > 0) {
        await this.commit(this.queue.splice(0, this.maxGroupUnits));
      }
    } finally {
      this.draining = false;
    }
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
      if (group.length === 1) {
        group[0].reject(error);
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

/** `db.transaction(work)`, but sharing its commit with the other units queued at the same time. */
export function inGroupTransaction<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return groupCommitterOf(db).run(work);
}
