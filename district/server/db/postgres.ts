// Db on PostgreSQL (pg): a connection pool; the same SQL as on SQLite.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { setIntakeTraceGauges, traceDatabaseConnection } from '../intake/trace';
import type { Db, SqlValue } from './types';

/** Connections one process keeps to PostgreSQL (each is one server process there: N processes x this). */
export const POOL_SIZE = 10;

const pools = new WeakMap<Db, pg.Pool>();

export function openPostgres(url: string): Db {
  // Connections are kept open, not closed after 10 s idle (pg's default): a connection opened in
  // the middle of the intake costs the request that waits for it a new PostgreSQL backend and a
  // first parse and plan of every statement it runs (docs/cluster.md, "Where the slow heartbeats were").
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, idleTimeoutMillis: 0 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  pool.on('connect', () => traceDatabaseConnection('connect'));
  pool.on('remove', () => traceDatabaseConnection('disconnect'));
  setIntakeTraceGauges({ poolWaiting: () => pool.waitingCount });

  const on = (client: pg.Pool | pg.PoolClient): Pick<Db, 'query' | 'run'> => ({
    query: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(statement(sql, params))).rows as Row[],
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(statement(sql, params))).rowCount ?? 0,
  });

  const db: Db = {
    dialect: 'postgres',
    ...on(pool),
    async transaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // pg's pool listens for a connection's death only while it is idle: a checked-out one that
      // dies (PostgreSQL restarted, its backend terminated) emits an 'error' nobody handles, which
      // ends the process. Its query in flight fails with it, and the transaction answers that.
      let lost: Error | undefined;
      const onLost = (error: Error): void => {
        lost = error;
      };
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const result = await work({
          dialect: 'postgres',
          ...on(client),
          transaction: () => Promise.reject(new Error('transactions do not nest')),
          close: () => Promise.reject(new Error('close the outer Db, not the transaction')),
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.removeListener('error', onLost);
        client.release(lost); // a lost connection leaves the pool; the next transaction opens another
      }
    },
    close: () => pool.end(),
  };
  pools.set(db, pool);
  return db;
}

/**
 * Whether a transaction failed only because a concurrent one got in its way (PostgreSQL aborted
 * it as a deadlock's victim, or as a serialization failure): run again, it may well commit.
 */
export function isTransactionConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '40P01' || code === '40001';
}

/** SQLSTATEs of a database that cannot answer now but will (pg errors carry them in `code`). */
const UNAVAILABLE_STATES = new Set([
  '57P01', // admin_shutdown: its backend was terminated, or the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);
/** What pg and Node say, without a SQLSTATE, when the connection is gone or cannot be made. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGE = /^(Connection terminated|Client has encountered a connection error|Connection ended|timeout exceeded when trying to connect)/;

/**
 * Whether `error` says PostgreSQL is out of reach for now (restarted, stopping, the connection
 * lost), not that a statement or its data is wrong: the request is answered 503 with a wait, so a
 * station sends its batch again as it is instead of taking a 500 as its batch's fault.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (isTransactionConflict(error)) {
    return true; // a conflict that outlasted its one retry (group-commit.ts): sent again later, it passes
  }
  if (typeof code === 'string' && (UNAVAILABLE_STATES.has(code) || code.startsWith('08') || UNAVAILABLE_SOCKET_CODES.has(code))) {
    return true;
  }
  if (error instanceof AggregateError) {
    // Node's connect to a name with several addresses (localhost: ::1 and 127.0.0.1) fails with all of them.
    return error.errors.some(isDatabaseUnavailable);
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/**
 * Opens all of a PostgreSQL Db's pool connections at once (a no-op on SQLite), for a server
 * before it listens: its first requests then find them open instead of each opening its own.
 */
export async function openAllConnections(db: Db): Promise<void> {
  const pool = pools.get(db);
  if (pool === undefined) {
    return;
  }
  const clients = await Promise.all(Array.from({ length: POOL_SIZE }, () => pool.connect()));
  try {
    await Promise.all(clients.map((client) => client.query('SELECT 1')));
  } finally {
    clients.forEach((client) => client.release());
  }
}

/** A text seen this often is prepared (named) from then on: one-off texts (a list's IN) stay unnamed. */
const PREPARE_AFTER = 3;
/** At most this many texts are prepared, on each connection (each costs the server a cached plan). */
const MAX_PREPARED = 300;
/** Texts counted towards PREPARE_AFTER before the count starts over (bounds the memory of one-offs). */
const MAX_COUNTED = 5_000;

const seen = new Map<string, number>();
const prepared = new Map<string, string>();

/**
 * The query as pg sends it: a text run often gets a name, so each connection parses and plans it
 * once instead of at every call (for the intake, most of PostgreSQL's work per statement). Not for
 * `SELECT *`: a prepared one fails if a table's columns change under it.
 */
function statement(sql: string, params: readonly SqlValue[]): pg.QueryConfig {
  const values = [...params];
  let name = prepared.get(sql);
  if (name === undefined && prepared.size < MAX_PREPARED && !/\*\s*FROM/i.test(sql)) {
    const count = (seen.get(sql) ?? 0) + 1;
    if (count >= PREPARE_AFTER) {
      seen.delete(sql);
      name = `siaga_${createHash('sha1').update(sql).digest('hex')}`;
      prepared.set(sql, name);
    } else {
      if (seen.size >= MAX_COUNTED) {
        seen.clear();
      }
      seen.set(sql, count);
    }
  }
  return name === undefined ? { text: sql, values } : { name, text: sql, values };
}
