// The intake's guards kept in PostgreSQL, for several server processes behind one load balancer
// (docs/cluster.md): a signed request used at one process is a replay at every other, and a
// station's (or an address's) allowance is one bucket whichever process it reaches. Each decision
// is one atomic statement, so two processes deciding at the same moment cannot both win. The
// tables are unlogged (migration 502): a crash of PostgreSQL itself forgets them, as a restart
// forgets the in-memory guards of a SQLite district (guards.ts), and that is harmless.
import { TIMESTAMP_WINDOW_MS } from '../../../protocol/signing';
import type { Db } from '../db/types';
import type { Pacer, ReplayGuard } from './guards';

/** How often one process deletes expired rows (any process may; the statement is idempotent). */
const PRUNE_EVERY_MS = 10_000;

export class SharedReplayGuard implements ReplayGuard {
  private lastPruneMs = 0;

  constructor(
    private readonly db: Db,
    private readonly windowMs: number = TIMESTAMP_WINDOW_MS,
  ) {}

  async use(stationId: string, signatureBase64: string, timestampMs: number, nowMs: number): Promise<boolean> {
    this.prune(nowMs);
    // Kept until the timestamp leaves the window on the far side; later it fails the window check anyway.
    const inserted = await this.db.query(
      `INSERT INTO request_signatures (station_id, signature, expires_at_ms) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING station_id`,
      [stationId, signatureBase64, Math.max(timestampMs, nowMs) + this.windowMs],
    );
    return inserted.length === 1;
  }

  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < PRUNE_EVERY_MS) {
      return;
    }
    this.lastPruneMs = nowMs;
    // Not awaited: a request never waits for the clean-up, and a failed one is tried again later.
    this.db.run('DELETE FROM request_signatures WHERE expires_at_ms < $1', [nowMs]).catch(() => undefined);
  }
}

/**
 * A token bucket per (scope, key) in the table rate_buckets: `perSecond` on average, bursts of up
 * to `burst`; the same arithmetic as StationPacer, done by one INSERT ... ON CONFLICT DO UPDATE.
 * A bucket untouched long enough to be full again is deleted (a missing bucket is a full one), so
 * the table holds only the keys active in the last burst/perSecond seconds.
 */
export class SharedPacer implements Pacer {
  private readonly burst: number;
  private lastPruneMs = 0;

  constructor(
    private readonly db: Db,
    private readonly scope: string,
    private readonly perSecond: number,
    options: { burst?: number } = {},
  ) {
    this.burst = options.burst ?? perSecond;
  }

  async take(key: string, nowMs: number): Promise<number> {
    if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) {
      return 0;
    }
    this.prune(nowMs);
    // The SET expressions all read the row as it was before this statement.
    const burst = 'CAST($5 AS DOUBLE PRECISION)';
    const now = 'CAST($3 AS BIGINT)';
    const available = `LEAST(${burst}, rate_buckets.tokens + GREATEST(0, ${now} - rate_buckets.at_ms) * CAST($4 AS DOUBLE PRECISION) / 1000.0)`;
    const [row] = await this.db.query<{ tokens: number | string; taken: number | string }>(
      `INSERT INTO rate_buckets (scope, key, tokens, at_ms, taken)
       VALUES ($1, $2, CASE WHEN ${burst} >= 1 THEN ${burst} - 1 ELSE ${burst} END, ${now},
               CASE WHEN ${burst} >= 1 THEN 1 ELSE 0 END)
       ON CONFLICT (scope, key) DO UPDATE SET
         tokens = CASE WHEN ${available} >= 1 THEN ${available} - 1 ELSE ${available} END,
         taken = CASE WHEN ${available} >= 1 THEN 1 ELSE 0 END,
         at_ms = GREATEST(rate_buckets.at_ms, ${now})
       RETURNING tokens, taken`,
      [this.scope, key, nowMs, this.perSecond, this.burst],
    );
    if (Number(row.taken) === 1) {
      return 0;
    }
    return Math.max(1, Math.ceil(((1 - Number(row.tokens)) / this.perSecond) * 1000));
  }

  async refund(key: string): Promise<void> {
    await this.db.run(
      'UPDATE rate_buckets SET tokens = LEAST(CAST($3 AS DOUBLE PRECISION), tokens + 1) WHERE scope = $1 AND key = $2',
      [this.scope, key, this.burst],
    );
  }

  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < PRUNE_EVERY_MS) {
      return;
    }
    this.lastPruneMs = nowMs;
    const fullAfterMs = Math.ceil((this.burst / this.perSecond) * 1000);
    this.db
      .run('DELETE FROM rate_buckets WHERE scope = $1 AND at_ms < $2', [this.scope, nowMs - fullAfterMs])
      .catch(() => undefined);
  }
}
