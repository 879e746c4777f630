// In-memory guards of the intake: replay memory and per-station pacing. One server process holds
// them; a restart forgets them, which is harmless: a replayed batch is still stored once (event ids).
import { TIMESTAMP_WINDOW_MS } from '../../../protocol/signing';

/** Remembers used signatures for as long as their timestamp could pass the window, and refuses a second use. */
export class ReplayMemory {
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

/** A token bucket per station: `perSecond` batches a second on average, bursts of up to `perSecond`. */
export class StationPacer {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly perSecond: number) {}

  /** 0 if the station may send now (and takes a token), else how many ms until it may. */
  take(stationId: string, nowMs: number): number {
    if (!Number.isFinite(this.perSecond) || this.perSecond <= 0) {
      return 0;
    }
    const bucket = this.buckets.get(stationId) ?? { tokens: this.perSecond, atMs: nowMs };
    const elapsedSeconds = Math.max(0, nowMs - bucket.atMs) / 1000;
    bucket.tokens = Math.min(this.perSecond, bucket.tokens + elapsedSeconds * this.perSecond);
    bucket.atMs = nowMs;
    this.buckets.set(stationId, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / this.perSecond) * 1000);
  }
}
