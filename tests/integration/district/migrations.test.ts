// The district's one list of migrations on a real SQLite file: in order, each once, and a database
// that holds only the first migration (made before the dashboard existed) is brought up to date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, MIGRATIONS } from '../../../district/server/db/migrations';
import { openSqlite } from '../../../district/server/db/sqlite';

test('migration ids are unique and ascending, so the list is applied in the order it is written', () => {
  const ids = MIGRATIONS.map((migration) => migration.id);
  assert.deepEqual(ids.slice(0, 5), [1, 101, 102, 103, 104], 'ids of databases already in service stay');
  ids.slice(1).forEach((id, index) => assert.ok(id > ids[index], `${id} after ${ids[index]}`));
});

test('a fresh database gets every migration once; an old one only those it lacks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'siaga-migrations-'));
  const fresh = openSqlite(join(dir, 'fresh.sqlite'));
  try {
    assert.deepEqual(
      await migrate(fresh),
      MIGRATIONS.map((migration) => migration.id),
    );
    assert.deepEqual(await migrate(fresh), []);
  } finally {
    await fresh.close();
  }
  const old = openSqlite(join(dir, 'old.sqlite'));
  try {
    await old.run(
      'CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    for (const statement of MIGRATIONS[0].statements) {
      await old.run(statement);
    }
    await old.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [
      1,
      MIGRATIONS[0].name,
      new Date().toISOString(),
    ]);
    assert.deepEqual(
      await migrate(old),
      MIGRATIONS.slice(1).map((migration) => migration.id),
    );
    const columns = await old.query<{ name: string }>("SELECT name FROM pragma_table_info('faults')");
    assert.ok(
      columns.some((column) => column.name === 'reopen_count'),
      'the dashboard columns were added',
    );
  } finally {
    await old.close();
  }
});
