// The login throttle's count under concurrency, shared by the SQLite and PostgreSQL tests: 40
// attempts at once on one key must give 40 distinct counts (none lost to a read-then-write race)
// and admit exactly the free ones.
import assert from 'node:assert/strict';
import { admit, THROTTLE } from '../../district/server/auth/throttle';
import type { Db } from '../../district/server/db/types';

export async function assertAtomicLoginCount(db: Db, nowMs: number): Promise<void> {
  const key = `concurrency-${nowMs}`;
  const admissions = await Promise.all(
    Array.from({ length: 40 }, () => admit(db, key, THROTTLE.freePerAccount, nowMs)),
  );
  assert.deepEqual(
    admissions.map((admission) => admission.failures).sort((left, right) => left - right),
    Array.from({ length: 40 }, (_, index) => index + 1),
  );
  assert.equal(admissions.filter((admission) => admission.admitted).length, THROTTLE.freePerAccount);
  const refused = admissions.filter((admission) => !admission.admitted);
  assert.ok(refused.every((admission) => admission.retryAfterMs === THROTTLE.firstDelayMs));
  const [row] = await db.query<{ failures: number | string }>(
    'SELECT failures FROM login_throttle WHERE key = $1',
    [key],
  );
  assert.equal(Number(row.failures), 40);
}
