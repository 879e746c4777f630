// Chooses the database from `--db URL` / `--data-dir DIR`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from './migrations';
import { openPostgres } from './postgres';
import { openSqlite } from './sqlite';
import type { Db } from './types';

export const SQLITE_FILE_NAME = 'district.sqlite';

/**
 * `postgres://...` or `postgresql://...` opens PostgreSQL; `sqlite:PATH` a SQLite file; no URL the
 * SQLite file `district.sqlite` in `dataDir` (created if missing). The schema is migrated before return.
 */
export async function openDatabase(options: { url?: string; dataDir: string }): Promise<Db> {
  const url = options.url;
  let db: Db;
  if (url !== undefined && /^postgres(ql)?:\/\//.test(url)) {
    db = openPostgres(url);
  } else if (url !== undefined && url.startsWith('sqlite:')) {
    db = openSqlite(url.slice('sqlite:'.length));
  } else if (url !== undefined) {
    throw new Error(`unsupported --db URL (postgres://... or sqlite:PATH): ${url}`);
  } else {
    mkdirSync(options.dataDir, { recursive: true });
    db = openSqlite(join(options.dataDir, SQLITE_FILE_NAME));
  }
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
