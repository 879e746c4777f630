// The group committer's scheduling (district/server/db/group-commit.ts), on an in-process Db whose
// transactions take as long as the test says: on PostgreSQL a second group starts while the first
// is committing; one station's units are never in two groups at once and keep their order; on
// SQLite (one connection) groups never overlap. The storage itself is tested on real databases
// (tests/integration/district/district-group-commit.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GroupCommitter } from '../../../district/server/db/group-commit';
import type { Db } from '../../../district/server/db/types';

/** A Db whose transaction runs the work, then waits `commitMs` (the commit's flush); it records overlaps. */
function slowCommitDb(dialect: 'sqlite' | 'postgres', commitMs: number) {
  const log = { open: 0, mostOpen: 0, ended: (_transaction: Db): void => undefined };
  const db: Db = {
    dialect,
    query: () => Promise.resolve([]),
    run: () => Promise.resolve(0),
    async transaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
      log.open++;
      log.mostOpen = Math.max(log.mostOpen, log.open);
      // Each transaction gets its own Db object: a unit can tell which group it runs in.
      const transaction: Db = { ...db };
      try {
        const result = await work(transaction);
        await new Promise((resolve) => setTimeout(resolve, commitMs));
        return result;
      } finally {
        log.open--;
        log.ended(transaction);
      }
    },
    close: () => Promise.resolve(),
  };
  return { db, log };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('PostgreSQL: a second group is stored while the first commits; SQLite: never two at once', async () => {
  for (const [dialect, expected] of [['postgres', 2], ['sqlite', 1]] as const) {
    const { db, log } = slowCommitDb(dialect, 30);
    const committer = new GroupCommitter(db);
    const first = committer.run(() => Promise.resolve('a'), 'st-a');
    await tick();
    await tick();
    // Arrives while the first group waits for its commit.
    const second = committer.run(() => Promise.resolve('b'), 'st-b');
    assert.deepEqual(await Promise.all([first, second]), ['a', 'b']);
    assert.equal(log.mostOpen, expected, dialect);
    assert.equal(committer.stats.groups, 2, dialect);
  }
});

test("one station's units: never in concurrent groups, stored in arrival order", async () => {
  const { db, log } = slowCommitDb('postgres', 20);
  const committer = new GroupCommitter(db);
  const order: string[] = [];
  // The group (transaction) each station's units are in while it is in flight.
  const owner = new Map<string, Db>();
  log.ended = (transaction) => {
    for (const [key, group] of owner) {
      if (group === transaction) {
        owner.delete(key);
      }
    }
  };
  const unit = (key: string, name: string) => (transaction: Db) => {
    const group = owner.get(key);
    assert.ok(group === undefined || group === transaction, `${name}: a unit of ${key} is in another group in flight`);
    owner.set(key, transaction);
    order.push(name);
    return Promise.resolve(name);
  };
  const first = committer.run(unit('st-x', 'x1'), 'st-x');
  await tick();
  await tick();
  // While x1's group commits: x2 must wait for it; y1 (another station) may go at once.
  const results = await Promise.all([
    first,
    committer.run(unit('st-x', 'x2'), 'st-x'),
    committer.run(unit('st-y', 'y1'), 'st-y'),
    committer.run(unit('st-x', 'x3'), 'st-x'),
  ]);
  assert.deepEqual(results, ['x1', 'x2', 'y1', 'x3']);
  assert.deepEqual(
    order.filter((name) => name.startsWith('x')),
    ['x1', 'x2', 'x3'],
  );
  // y1 went in the second group beside x1's, before x2 could.
  assert.ok(order.indexOf('y1') < order.indexOf('x2'), order.join(' '));
  assert.equal(log.mostOpen, 2);
});
