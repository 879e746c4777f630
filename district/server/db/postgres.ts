// Db on PostgreSQL (pg): a connection pool; the same SQL as on SQLite.
import pg from 'pg';
import type { Db, SqlValue } from './types';

export function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);

  const on = (client: pg.Pool | pg.PoolClient): Pick<Db, 'query' | 'run'> => ({
    query: async <Row>(sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(sql, [...params])).rows as Row[],
    run: async (sql: string, params: readonly SqlValue[] = []) =>
      (await client.query(sql, [...params])).rowCount ?? 0,
  });

  return {
    dialect: 'postgres',
    ...on(pool),
    async transaction<T>(work: (db: Db) => Promise<T>): Promise<T> {
      const client = await pool.connect();
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
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
