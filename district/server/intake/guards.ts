// The intake's guards: replay memory, per-station pacing and per-address pacing of enrollment.
// These are the in-memory ones of a SQLite district (one process on one PC); a restart forgets
// them, which is harmless: a replayed batch is still stored once (event ids). Several processes on
// one PostgreSQL share theirs in the database (shared-guards.ts); app.ts picks by the database.
import { TIMESTAMP_WINDOW_MS } from '../../../protocol/signing';

/** Refuses the second use of a signed request while its timestamp could still pass the window. */
export interface ReplayGuard {
  /** Records the use of a signature; false if it was used before (a replay). */
  use(stationId: string, signatureBase64: string, timestampMs: number, nowMs: number): boolean | Promise<boolean>;
}

/** A token bucket per key (a station id, an address). */
export interface Pacer {
  /** 0 if the key may go on now (and takes a token), else how many ms until it may. */
  take(key: string, nowMs: number): number | Promise<number>;
  /** Gives back the token `take` took, for an attempt that turned out well. */
  refund(key: string): void | Promise<void>;
}

/** Remembers used signatures for as long as their timestamp could pass the window, and refuses a second use. */
export class ReplayMemory implements ReplayGuard {
  private readonly seen = new Map<string, number>();
  private lastPruneMs = 0;

  constructor(private readonly windowMs: number = TIMESTAMP_WINDOW_MS) {}

  /** Records the use of a signature; false if it was used before (a replay). */
  use(stationId: string, signatureBase64: string, timestampMs: number, nowMs: number): boolean {
    this.prune(nowMs);
    const key = `${stationId} ${signatureBase64}`;
    if (this.seen.has(key)) {
      return false;
    }
    // Kept until the timestamp leaves the window on the far side; later it fails the window check anyway.
    this.seen.set(key, Math.max(timestampMs, nowMs) + this.windowMs);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private prune(nowMs: number): void {
    if (nowMs - this.lastPruneMs < 1000) {
      return;
    }
    this.lastPruneMs = nowMs;
    for (const [key, expiresMs] of this.seen) {
      if (expiresMs < nowMs) {
        this.seen.delete(key);
      }
    }
  }
}

/**
 * A token bucket per key (a station id, an address): `perSecond` on average, bursts of up to
 * `burst` (default `perSecond`). At most `maxKeys` buckets are kept: the least recently used goes
 * first, so a flood from many addresses cannot grow the map without bound (a forgotten key starts
 * with a full bucket, which only helps the keys nobody floods).
 */
export class StationPacer implements Pacer {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();
  private readonly burst: number;
  private readonly maxKeys: number;

  constructor(
    private readonly perSecond: number,
    options: { burst?: number; maxKeys?: number } = {},
  ) {
    this.burst = options.burst ?? perSecond;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  /** 0 if the key may go on now (and takes a token), else how many ms until it may. */
  take(key: string, nowMs: number): number {
    if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) {
      return 0;
    }
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, atMs: nowMs };
    const elapsedSeconds = Math.max(0, nowMs - bucket.atMs) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsedSeconds * this.perSecond);
    bucket.atMs = nowMs;
    // Deleted and set again: the Map's order is then least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    while (this.buckets.size > this.maxKeys) {
      this.buckets.delete(this.buckets.keys().next().value as string);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.perSecond) * 1000);
  }

  /** Gives back the token `take` took, for an attempt that turned out well. */
  refund(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket !== undefined) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
    }
  }
}
