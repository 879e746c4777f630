// Work that one district server process at a time may do, when several run on one PostgreSQL
// (docs/cluster.md): PostgreSQL advisory locks held by a transaction, so a process that dies
// (kill -9, a lost connection) releases its lock with its connection. SQLite is one process on
// one PC (its own transactions already serialise it): the work just runs.
import type { Db } from './types';

/** One number per job, the key of its advisory lock (any 64-bit integer, fixed forever). */
export const ADVISORY_LOCKS = {
  migrations: 7_301_001,
  escalation: 7_301_002,
  figures: 7_301_003,
} as const;

export type AdvisoryLock = keyof typeof ADVISORY_LOCKS;

/**
 * Runs `work` while holding the named lock across every process on the database. `wait: false`
 * gives up at once when another process holds it (answers `{ ran: false }`); `wait: true` waits
 * for it. `work` uses the outer `db` (the lock only holds a connection of the pool open); long
 * work asks `stillHeld` now and then: it throws once the lock's connection has ended (the lock
 * is then released and another process may start the same work).
 */
export async function withAdvisoryLock<T>(
  db: Db,
  lock: AdvisoryLock,
  options: { wait: boolean },
  work: (stillHeld: () => Promise<void>) => Promise<T>,
): Promise<{ ran: true; value: T } | { ran: false }> {
  if (db.dialect === 'sqlite') {
    return { ran: true, value: await work(async () => undefined) };
  }
  return db.transaction(async (transaction) => {
    const key = ADVISORY_LOCKS[lock];
    if (options.wait) {
      await transaction.query('SELECT pg_advisory_xact_lock($1)', [key]);
    } else {
      const [row] = await transaction.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_xact_lock($1) AS locked',
        [key],
      );
      if (row?.locked !== true) {
        return { ran: false } as const;
      }
    }
    const stillHeld = async (): Promise<void> => {
      await transaction.query('SELECT 1');
    };
    return { ran: true, value: await work(stillHeld) } as const;
  });
}

/** Inside a transaction of `db`: waits for the named lock, released at its commit or rollback. */
export async function lockForTransaction(transaction: Db, lock: AdvisoryLock): Promise<void> {
  if (transaction.dialect === 'postgres') {
    await transaction.query('SELECT pg_advisory_xact_lock($1)', [ADVISORY_LOCKS[lock]]);
  }
}
