// Db on SQLite (better-sqlite3): one connection, WAL, in the district's data dir.
import Database from 'better-sqlite3';
import type { Db, SqlValue } from './types';

/** `$3` placeholders become positional `?`, with the parameters reordered (and repeated) to match. */
export function translatePlaceholders(
  sql: string,
  params: readonly SqlValue[],
): { sql: string; params: SqlValue[] } {
  const ordered: SqlValue[] = [];
  const translated = sql.replace(/\$(\d+)/g, (_match, digits: string) => {
    const index = Number(digits) - 1;
    if (index < 0 || index >= params.length) {
      throw new Error(`SQL placeholder $${digits} has no parameter`);
    }
    ordered.push(params[index]);
    return '?';
  });
  return { sql: translated, params: ordered };
}

function toSqlite(value: SqlValue): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** Opens (creating if needed) the SQLite file at `file`; `:memory:` for a throwaway database. */
export function openSqlite(file: string): Db {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  // FULL: a batch we answered 200 survives a power cut; the station deletes it from its outbox on our 200.
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const statements = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = database.prepare(sql);
      if (statements.size > 500) {
        statements.clear();
      }
      statements.set(sql, statement);
    }
    return statement;
  };

  const direct = {
    query<Row>(sql: string, params: readonly SqlValue[] = []): Row[] {
      const translated = translatePlaceholders(sql, params);
      return prepare(translated.sql).all(...translated.params.map(toSqlite)) as Row[];
    },
    run(sql: string, params: readonly SqlValue[] = []): number {
      const translated = translatePlaceholders(sql, params);
      return prepare(translated.sql).run(...translated.params.map(toSqlite)).changes;
    },
  };

  // One connection serves everyone: while a transaction awaits, other callers wait their turn
  // so their statements do not land inside it.
  let queue: Promise<unknown> = Promise.resolve();
  const serialize = <T>(work: () => Promise<T> | T): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };

  const inTransaction: Db = {
    dialect: 'sqlite',
    query: async (sql, params) => direct.query(sql, params),
    run: async (sql, params) => direct.run(sql, params),
    transaction: () => Promise.reject(new Error('transactions do not nest')),
    close: () => Promise.reject(new Error('close the outer Db, not the transaction')),
  };

  return {
    dialect: 'sqlite',
    query: (sql, params) => serialize(() => direct.query(sql, params)),
    run: (sql, params) => serialize(() => direct.run(sql, params)),
    transaction: <T>(work: (db: Db) => Promise<T>) =>
      serialize(async () => {
        database.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(inTransaction);
          database.exec('COMMIT');
          return result;
        } catch (error) {
          if (database.inTransaction) {
            database.exec('ROLLBACK');
          }
          throw error;
        }
      }),
    close: () =>
      serialize(() => {
        database.close();
      }),
  };
}
