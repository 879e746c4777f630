// Db on PostgreSQL (pg): a connection pool; the same SQL as on SQLite.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { setIntakeTraceGauges, traceDatabaseConnection } from '../intake/trace';
import { settledWithin } from '../time-bound';
import type { Db, SqlValue } from './types';

/** Connections one process keeps to PostgreSQL (each is one server process there: N processes x this). */
export const POOL_SIZE = 10;
/**
 * The longest a request waits for a pool connection, or for a new one to be opened: past it the
 * database counts as unavailable (503 with a wait) instead of the request hanging until the
 * process is too busy to answer anyone (a network that drops packets silently never refuses).
 */
export const CONNECT_TIMEOUT_MS = 5_000;
/**
 * The longest a station's request waits for PostgreSQL's answer to one statement (withRequestBound):
 * the intake's statements take milliseconds, so this is a silent network or a stopped server, not
 * work. Migrations, the figures job, pruning and the dashboard have no such bound (they may run long).
 */
export const REQUEST_STATEMENT_TIMEOUT_MS = 5_000;

/** The longest a close waits for PostgreSQL to end its connections before cutting them. */
export const CLOSE_TIMEOUT_MS = 5_000;

const pools = new WeakMap<Db, pg.Pool>();
const requestBound = new WeakMap<Db, Db>();

/** The error of a statement PostgreSQL did not answer in time (pg's own says only "Query read timeout"). */
class StatementTimeout extends Error {
  constructor(timeoutMs: number, cause: unknown) {
    super(`PostgreSQL did not answer a statement within ${timeoutMs} ms (the network to the database down?)`, { cause });
  }
}

export function openPostgres(url: string): Db {
  // Connections are kept open, not closed after 10 s idle (pg's default): a connection opened in
  // the middle of the intake costs the request that waits for it a new PostgreSQL backend and a
  // first parse and plan of every statement it runs (docs/cluster.md, "Where the slow heartbeats were").
  // No TCP keepalive (pg's keepAlive): a kept-open connection whose peer vanished is found by the
  // request path's statement bound instead. (A server that did not exit on SIGTERM after PostgreSQL
  // was down under it was the rejection log's failed flush, not the sockets: intake/rejections.ts.)
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    idleTimeoutMillis: 0,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  // Every open connection, so that a close PostgreSQL does not answer can cut them (close below).
  const open = new Set<pg.PoolClient>();
  pool.on('connect', (client) => {
    open.add(client);
    traceDatabaseConnection('connect');
  });
  pool.on('remove', (client) => {
    open.delete(client);
    traceDatabaseConnection('disconnect');
  });
  setIntakeTraceGauges({ poolWaiting: () => pool.waitingCount });

  /** A Db on the pool whose every statement waits at most `timeoutMs` for its answer (none: no limit). */
  const dbOf = (timeoutMs: number | undefined): Db => {
    const send = async (client: pg.Pool | pg.PoolClient, query: pg.QueryConfig) => {
      try {
        // query_timeout: pg's per-statement wait for the answer (missing from its QueryConfig type).
        const bounded: pg.QueryConfig & { query_timeout?: number } = { ...query, query_timeout: timeoutMs };
        return await client.query(bounded);
      } catch (error) {
        // pg leaves a timed-out statement on its connection: pool.query drops that connection
        // (released with the error), and a transaction drops its own (below).
        throw timeoutMs !== undefined && (error as Error).message === 'Query read timeout'
          ? new StatementTimeout(timeoutMs, error)
          : error;
      }
    };
    const on = (client: pg.Pool | pg.PoolClient): Pick<Db, 'query' | 'run'> => ({
      query: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
        (await send(client, statement(sql, params))).rows as Row[],
      run: async (sql: string, params: readonly SqlValue[] = []) =>
        (await send(client, statement(sql, params))).rowCount ?? 0,
    });
    return {
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
        const inside = on(client);
        try {
          await send(client, { text: 'BEGIN' });
          const result = await work({
            dialect: 'postgres',
            ...inside,
            transaction: () => Promise.reject(new Error('transactions do not nest')),
            close: () => Promise.reject(new Error('close the outer Db, not the transaction')),
          });
          await send(client, { text: 'COMMIT' });
          return result;
        } catch (error) {
          if (error instanceof StatementTimeout) {
            // The connection still waits for the unanswered statement: a ROLLBACK would wait behind
            // it. Dropped instead; PostgreSQL rolls back a transaction whose connection ends.
            lost = error;
          } else {
            await client.query('ROLLBACK').catch(() => undefined);
          }
          throw error;
        } finally {
          client.removeListener('error', onLost);
          client.release(lost); // a lost connection leaves the pool; the next transaction opens another
        }
      },
      close: async () => {
        // pg's end waits for PostgreSQL to close each connection, and for the ones in use to be
        // released: behind a silent network, forever (a server that never exits on SIGTERM).
        // Past the bound the sockets are cut; PostgreSQL rolls back what they had begun.
        const ending = pool.end();
        if ((await settledWithin(ending, CLOSE_TIMEOUT_MS)) === 'late') {
          for (const client of open) {
            (client as unknown as pg.Client).connection.stream.destroy();
          }
          await ending;
          throw new Error(
            `PostgreSQL did not close its connections within ${CLOSE_TIMEOUT_MS} ms: they were cut (the network to the database down?)`,
          );
        }
      },
    };
  };

  const db = dbOf(undefined);
  requestBound.set(db, {
    ...dbOf(REQUEST_STATEMENT_TIMEOUT_MS),
    close: () => Promise.reject(new Error('close the Db the request-bound one was made of')),
  });
  pools.set(db, pool);
  return db;
}

/**
 * `db` for a station's request (PostgreSQL): each statement waits at most
 * REQUEST_STATEMENT_TIMEOUT_MS for its answer, then fails as the database unavailable (503). The
 * same Db object every time (the group commit is per Db); SQLite's Db as it is (no network).
 */
export function withRequestBound(db: Db): Db {
  return requestBound.get(db) ?? db;
}

/** Whether `error` is PostgreSQL not answering in time: a statement (withRequestBound) or a connection. */
export function isDatabaseTimeout(error: unknown): boolean {
  return error instanceof StatementTimeout || (error instanceof Error && CONNECT_TIMEOUT_MESSAGE.test(error.message));
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
/** pg's error when no connection was had within CONNECT_TIMEOUT_MS. */
const CONNECT_TIMEOUT_MESSAGE = /^timeout exceeded when trying to connect/;
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
  if (isTransactionConflict(error) || error instanceof StatementTimeout) {
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
 * Opens all of a PostgreSQL Db's pool connections at once (0 on SQLite), for a server before it
 * listens: its first requests then find them open instead of each opening its own. Resolves to the
 * number opened; one that failed (PostgreSQL restarting at that moment, its backend terminated) is
 * dropped, not retried: the pool opens it again on demand, so the server starts with fewer. Never
 * rejects. `whileHeld` runs while all are checked out (a test's seam).
 */
export async function openAllConnections(
  db: Db,
  options: { whileHeld?: () => Promise<void> } = {},
): Promise<{ opened: number; failure?: Error }> {
  const pool = pools.get(db);
  if (pool === undefined) {
    return { opened: 0 };
  }
  // Checked out, a connection that dies emits 'error' to its holder: unheard, it ends the process.
  const attempts = Array.from({ length: POOL_SIZE }, async () => {
    const client = await pool.connect();
    const hold: { client: pg.PoolClient; lost?: Error; onLost: (error: Error) => void } = {
      client,
      onLost: (error) => {
        hold.lost ??= error;
      },
    };
    client.on('error', hold.onLost);
    return hold;
  });
  const settled = await Promise.allSettled(attempts);
  const holds = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  let failure: Error | undefined = settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []))[0];
  try {
    await options.whileHeld?.();
    await Promise.all(
      holds.map(async (hold) => {
        await hold.client.query('SELECT 1').catch((error: unknown) => {
          hold.lost ??= error as Error;
        });
      }),
    );
  } finally {
    for (const hold of holds) {
      hold.client.removeListener('error', hold.onLost);
      hold.client.release(hold.lost); // a lost one leaves the pool
    }
  }
  failure ??= holds.find((hold) => hold.lost !== undefined)?.lost;
  return { opened: holds.filter((hold) => hold.lost === undefined).length, failure };
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
