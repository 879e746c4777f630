// The log of refused requests (table rejected_requests): "a forged report is rejected and logged".
// Writes are buffered and flushed in one transaction, so a flood of bad requests costs one disk
// sync per flush, not one per request; the buffer is capped and the table keeps the newest rows.
import type { Db } from '../db/types';
import { newId } from '../db/ids';

export interface Rejection {
  atMs: number;
  ip: string | null;
  method: string;
  path: string;
  /** The station the request claimed to be from (unverified), if any. */
  stationId: string | null;
  status: number;
  reason: string;
  detail: string;
}

export interface RejectionLogOptions {
  /** Flush after this many ms (default 500). */
  flushDelayMs?: number;
  /** Requests beyond this many waiting to be written are counted, not kept (default 5000). */
  maxBuffered?: number;
  /** Rows the table keeps; older ones are deleted (default 100000). */
  maxRows?: number;
}

const clip = (text: string | null, length: number): string | null =>
  text === null ? null : text.slice(0, length);

export class RejectionLog {
  private buffer: Rejection[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** Closed with the server: what a last flush could not write is not tried again. */
  private closed = false;
  private readonly flushDelayMs: number;
  private readonly maxBuffered: number;
  private readonly maxRows: number;

  constructor(
    private readonly db: Db,
    options: RejectionLogOptions = {},
  ) {
    this.flushDelayMs = options.flushDelayMs ?? 500;
    this.maxBuffered = options.maxBuffered ?? 5000;
    this.maxRows = options.maxRows ?? 100_000;
  }

  record(rejection: Rejection): void {
    if (this.buffer.length >= this.maxBuffered) {
      this.dropped++;
    } else {
      this.buffer.push(rejection);
    }
    this.scheduleFlush();
  }

  /** A flush in flushDelayMs, unless one is due already (the timer never keeps the process alive). */
  private scheduleFlush(): void {
    if (this.timer === undefined && !this.closed) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush().catch(() => undefined);
      }, this.flushDelayMs);
      this.timer.unref();
    }
  }

  /**
   * Writes everything buffered; resolves when it is in the database. A write that fails (the
   * database down) rejects this flush only: its rows go back to the buffer for the next flush, and
   * later flushes still write (one failure never stops the log).
   */
  flush(): Promise<void> {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const flushing = this.flushing.catch(() => undefined).then(() => this.write());
    this.flushing = flushing;
    return flushing;
  }

  private async write(): Promise<void> {
    const rows = this.buffer;
    const dropped = this.dropped;
    this.buffer = [];
    this.dropped = 0;
    if (rows.length === 0 && dropped === 0) {
      return;
    }
    try {
      await this.insert(rows, dropped);
    } catch (error) {
      // Back in front of what came meanwhile, within the cap; what does not fit is counted.
      const kept = [...rows, ...this.buffer];
      this.buffer = kept.slice(0, this.maxBuffered);
      this.dropped += dropped + (kept.length - this.buffer.length);
      this.scheduleFlush();
      throw error;
    }
  }

  private async insert(buffered: readonly Rejection[], dropped: number): Promise<void> {
    const rows = [...buffered];
    if (dropped > 0) {
      const last = rows.at(-1);
      rows.push({
        atMs: last?.atMs ?? Date.now(),
        ip: null,
        method: '-',
        path: '-',
        stationId: null,
        status: 0,
        reason: 'log-overflow',
        detail: `${dropped} more refused requests were not logged one by one`,
      });
    }
    await this.db.transaction(async (db) => {
      for (const row of rows) {
        await db.run(
          `INSERT INTO rejected_requests (id, at, ip, method, path, station_id, status, reason, detail)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            newId(row.atMs),
            new Date(row.atMs).toISOString(),
            clip(row.ip, 100),
            clip(row.method, 16),
            clip(row.path, 300),
            clip(row.stationId, 100),
            row.status,
            clip(row.reason, 100),
            clip(row.detail, 1000),
          ],
        );
      }
      await db.run(
        `DELETE FROM rejected_requests WHERE id <= (SELECT id FROM rejected_requests ORDER BY id DESC LIMIT 1 OFFSET $1)`,
        [this.maxRows],
      );
    });
  }

  /**
   * The last flush. When it fails, what it could not write is lost with the process: the error
   * says how many refused requests that is (the operator's one trace of them).
   */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.flush();
    } catch (error) {
      const unlogged = this.buffer.length + this.dropped;
      const reason = (error as Error).message;
      throw new Error(
        `${unlogged} permintaan yang ditolak tidak tercatat (basis data tidak dapat ditulis); ` +
          `${unlogged} refused requests were not logged: ${reason}`,
        { cause: error },
      );
    }
  }
}
