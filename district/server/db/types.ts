// The district's database, behind one small async interface so the same SQL runs on SQLite (the
// default, one file in the data dir) and PostgreSQL (a province or the nation aggregating districts).
//
// SQL rules for every caller, so both engines accept it unchanged:
// - placeholders are $1, $2, ... (the SQLite adapter translates them, so no literal `$digit` in SQL text);
// - times are ISO-8601 UTC TEXT, JSON is TEXT, booleans are INTEGER 0/1;
// - integers from COUNT(*) or BIGINT columns may come back as strings on PostgreSQL: wrap in Number();
// - "insert unless present" is `ON CONFLICT DO NOTHING` (no INSERT OR IGNORE), and `RETURNING`
//   tells which rows were inserted.

export type SqlValue = string | number | boolean | null;

/** ` LIMIT $n OFFSET $n+1` for a page of a list whose other parameters are `params`; nothing without a page. */
export function pageClause(
  page: { limit: number; offset: number } | undefined,
  params: readonly SqlValue[],
): { sql: string; params: SqlValue[] } {
  if (page === undefined) {
    return { sql: '', params: [...params] };
  }
  return {
    sql: ` LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    params: [...params, page.limit, page.offset],
  };
}

export interface Db {
  /** Which engine runs the SQL, for the rare statement that must differ. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** A statement without rows; resolves to the number of rows changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs `work` in one transaction: committed when it resolves, rolled back when it throws.
   * Use only the `db` passed to `work` inside it. Transactions do not nest.
   */
  transaction<T>(work: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
