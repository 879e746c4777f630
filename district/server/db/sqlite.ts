// Db on SQLite (better-sqlite3): one connection, WAL, in the district's data dir.
import Database from 'better-sqlite3';
import type { Db, SqlValue } from './types';

/** `$3` placeholders become positional `?`, with the parameters reordered (and repeated) to match. */
export function translatePlaceholders(
  sql: string,
  params: readonly SqlValue[],
): { sql: string; params: SqlValue[] } {
  const translation = translationOf(sql);
  return { sql: translation.sql, params: orderParams(translation, params) };
}

interface Translation {
  sql: string;
  /** For each `?` in order, the index of its parameter. */
  order: number[];
}

function translate(sql: string): Translation {
  const order: number[] = [];
  const translated = sql.replace(/\$(\d+)/g, (_match, digits: string) => {
    order.push(Number(digits) - 1);
    return '?';
  });
  return { sql: translated, order };
}

// The SQL texts are the program's own constants, so this stays small; the cap guards a caller that builds SQL.
const translations = new Map<string, Translation>();

function translationOf(sql: string): Translation {
  let translation = translations.get(sql);
  if (translation === undefined) {
    translation = translate(sql);
    if (translations.size > 1000) {
      translations.clear();
    }
    translations.set(sql, translation);
  }
  return translation;
}

function orderParams(translation: Translation, params: readonly SqlValue[]): SqlValue[] {
  const missing = translation.order.find((index) => index < 0 || index >= params.length);
  if (missing !== undefined) {
    throw new Error(`SQL placeholder $${missing + 1} has no parameter`);
  }
  return translation.order.map((index) => params[index]);
}

function toSqlite(value: SqlValue): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/** Opens (creating if needed) the SQLite file at `file`; `:memory:` for a throwaway database. */
export function openSqlite(file: string): Db {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  // FULL: a batch we answered 200 survives a power cut; the station deletes it from its outbox on our 200.
  // (NORMAL would lose the last commits on a power cut.) The intake pays the sync once per group of
  // concurrent batches (group-commit.ts), not once per batch.
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

  const bound = (
    sql: string,
    params: readonly SqlValue[],
  ): [Database.Statement, (string | number | null)[]] => {
    const translation = translationOf(sql);
    return [prepare(translation.sql), orderParams(translation, params).map(toSqlite)];
  };
  const direct = {
    query<Row>(sql: string, params: readonly SqlValue[] = []): Row[] {
      const [statement, values] = bound(sql, params);
      return statement.all(...values) as Row[];
    },
    run(sql: string, params: readonly SqlValue[] = []): number {
      const [statement, values] = bound(sql, params);
      return statement.run(...values).changes;
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
