// Forwards this district's accepted events to its upstream (protocol/peering.ts): at-least-once, one
// request at a time, oldest accepted first, from the forward outbox (forward-queue.ts). It follows
// the station's outbox (electron/agent/outbox.ts) and shares its pieces (link/, protocol/delivery.ts):
// - a batch is signed anew for every attempt (signatures are single-use) at the upstream-corrected
//   clock; every reply carries serverTime and the offset is kept (a 401 stale-timestamp is retried);
// - a reply is acted on only when signed for that request's nonce by the upstream key pinned at
//   enrollment; anything else deletes nothing (its reason is returned and logged);
// - events leave the outbox only when the upstream lists them as accepted or duplicate;
// - failures back off exponentially with jitter, 429/503 wait Retry-After, a backlog drains paced;
// - a batch refused as invalid (400) or too large (413) is halved until the bad event is alone,
//   which is parked (kept in the outbox with its reason, never sent again by itself);
// - a 500 halves the batch and backs off (no poison-event probe: the upstream is a server we run).
import { MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH, ErrorResponseSchema } from '../../../protocol/requests';
import type { SendOutcome } from '../../../protocol/delivery';
import { backoffMs, parseRetryAfter, runDelivery as runDeliveryLoop } from '../../../protocol/delivery';
import { PROTOCOL_VERSION } from '../../../protocol/events';
import type { ForwardedStation } from '../../../protocol/peering';
import { ForwardResponseSchema, PEER_PATHS } from '../../../protocol/peering';
import { signatureHeaders } from '../../../protocol/signing';
import { signRequest } from '../../../link/ed25519';
import { pinnedFetch } from '../../../link/pinned-fetch';
import { postSigned } from '../../../link/signed-post';
import type { Db } from '../db/types';
import type { UpstreamLink } from './upstream-link';
import { loadUpstreamLink } from './upstream-link';

export interface ForwardPolicy {
  batchSize: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  backlogIntervalMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_FORWARD_POLICY: ForwardPolicy = {
  batchSize: MAX_EVENTS_PER_BATCH,
  baseBackoffMs: 2_000,
  maxBackoffMs: 5 * 60_000,
  backlogIntervalMs: 50,
  requestTimeoutMs: 30_000,
};

interface QueuedRow {
  station_id: string;
  event_id: string;
  seq: number | string;
  type: string;
  occurred_at: string;
  received_at: string;
  source: string;
  payload: string;
  name: string;
  kecamatan: string;
}

/** Body bytes kept free for the wrapper and the stations list's own growth. */
const BODY_MARGIN = 4096;

export class Forwarder {
  readonly policy: ForwardPolicy;
  failures = 0;
  lastError: string | null = null;
  private batchLimit: number;
  private offsetMs = 0;
  private lastTimestamp = 0;
  private readonly fetchByCa = new Map<string | undefined, typeof fetch>();

  constructor(
    private readonly db: Db,
    private readonly options: {
      policy?: Partial<ForwardPolicy>;
      fetch?: typeof fetch;
      now?: () => number;
      random?: () => number;
      log?: (line: string) => void;
    } = {},
  ) {
    this.policy = { ...DEFAULT_FORWARD_POLICY, ...options.policy };
    this.batchLimit = this.policy.batchSize;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Sends the next batch, if any. Never throws for network or upstream errors. */
  async sendBatch(): Promise<SendOutcome> {
    const link = await loadUpstreamLink(this.db);
    if (link === null) {
      return { kind: 'not-enrolled' };
    }
    const rows = await this.db.query<QueuedRow>(
      `SELECT q.station_id, q.event_id, e.seq, e.type, e.occurred_at, e.received_at, e.source, e.payload, s.name, s.kecamatan
       FROM forward_outbox q
       JOIN events e ON e.station_id = q.station_id AND e.id = q.event_id
       JOIN stations s ON s.id = q.station_id
       WHERE q.parked_reason IS NULL
       ORDER BY q.position, q.station_id, e.seq LIMIT $1`,
      [this.batchLimit],
    );
    if (rows.length === 0) {
      return { kind: 'idle' };
    }
    const { body, included } = buildForwardBody(rows);
    const timestamp = Math.max(Math.round(this.now() + this.offsetMs), this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    const sentAt = this.now();
    const posted = await postSigned({
      fetch: this.fetchFor(link),
      url: new URL(PEER_PATHS.events, link.url),
      body,
      signatureHeaders: signatureHeaders(
        link.peerId,
        timestamp,
        signRequest(link.privateKey, 'POST', PEER_PATHS.events, timestamp, body),
      ),
      timeoutMs: this.policy.requestTimeoutMs,
      replyKey: link.upstreamPublicKey,
      replyKeyName: 'upstream',
    });
    if (!posted.ok) {
      return this.fail(posted.reason);
    }
    const { response, reply } = posted;
    const receivedAt = this.now();
    const serverTime = (reply as { serverTime?: unknown } | null)?.serverTime;
    if (typeof serverTime === 'number' && Number.isFinite(serverTime)) {
      this.offsetMs = Math.round(serverTime - (sentAt + receivedAt) / 2);
    }
    if (response.ok) {
      const parsed = ForwardResponseSchema.safeParse(reply);
      if (!parsed.success) {
        return this.fail(`bad reply: ${parsed.error.message.slice(0, 200)}`);
      }
      const sent = new Set(included.map((row) => `${row.station_id} ${row.event_id}`));
      const acknowledged = [...parsed.data.accepted, ...parsed.data.duplicates].filter((ref) =>
        sent.has(`${ref.stationId} ${ref.id}`),
      );
      if (acknowledged.length === 0) {
        return this.fail('the upstream acknowledged none of the batch');
      }
      await this.db.transaction(async (transaction) => {
        for (const ref of acknowledged) {
          await transaction.run('DELETE FROM forward_outbox WHERE station_id = $1 AND event_id = $2', [
            ref.stationId,
            ref.id,
          ]);
        }
      });
      this.failures = 0;
      this.lastError = null;
      this.batchLimit = Math.min(this.policy.batchSize, this.batchLimit * 2);
      const [left] = await this.db.query<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM forward_outbox WHERE parked_reason IS NULL',
      );
      const remaining = Number(left?.n ?? 0);
      const pace = remaining > 0 ? Math.max(this.policy.backlogIntervalMs, receivedAt - sentAt) : 0;
      return {
        kind: 'delivered',
        count: acknowledged.length,
        remaining,
        waitMs: Math.max(pace, parsed.data.retryAfterMs ?? 0),
      };
    }
    const refusal = ErrorResponseSchema.safeParse(reply);
    const detail = refusal.success
      ? `${refusal.data.error}: ${refusal.data.message}`
      : `HTTP ${response.status}`;
    if (response.status === 429 || response.status === 503) {
      const retryAfterMs =
        (refusal.success ? refusal.data.retryAfterMs : undefined) ??
        parseRetryAfter(response.headers.get('retry-after'), receivedAt);
      this.failures++;
      this.lastError = detail;
      return { kind: 'retry', waitMs: retryAfterMs ?? this.backoffMs(), reason: detail };
    }
    if (
      refusal.success &&
      (refusal.data.error === 'stale-timestamp' || refusal.data.error === 'replayed') &&
      this.failures < 3
    ) {
      this.failures++;
      this.lastError = detail;
      this.lastTimestamp = 0;
      return { kind: 'retry', waitMs: 0, reason: detail };
    }
    if (response.status === 400 || response.status === 413 || response.status === 500) {
      if (included.length > 1) {
        this.batchLimit = Math.max(1, Math.floor(included.length / 2));
        if (response.status === 500) {
          this.failures++;
          this.lastError = detail;
          return {
            kind: 'retry',
            waitMs: this.backoffMs(),
            reason: `${detail}; batch halved to ${this.batchLimit}`,
          };
        }
        return { kind: 'retry', waitMs: 0, reason: `${detail}; batch halved to ${this.batchLimit}` };
      }
      if (response.status !== 500) {
        const lone = included[0]!;
        await this.db.run(
          'UPDATE forward_outbox SET parked_reason = $1 WHERE station_id = $2 AND event_id = $3',
          [detail.slice(0, 1000), lone.station_id, lone.event_id],
        );
        this.options.log?.(
          `forward of event ${lone.event_id} (station ${lone.station_id}) parked: ${detail}`,
        );
        return { kind: 'retry', waitMs: 0, reason: `event ${lone.event_id} refused: ${detail}` };
      }
    }
    return this.fail(detail);
  }

  backoffMs(): number {
    return backoffMs(this.failures, this.policy, this.options.random ?? Math.random);
  }

  private fail(reason: string): SendOutcome {
    this.failures++;
    this.lastError = reason;
    return { kind: 'retry', waitMs: this.backoffMs(), reason };
  }

  private fetchFor(link: UpstreamLink): typeof fetch {
    if (this.options.fetch !== undefined) {
      return this.options.fetch;
    }
    let fetchFunction = this.fetchByCa.get(link.caPem);
    if (fetchFunction === undefined) {
      fetchFunction = pinnedFetch(link.caPem);
      this.fetchByCa.set(link.caPem, fetchFunction);
    }
    return fetchFunction;
  }
}

/** The ForwardRequest JSON of the oldest queued rows that fit MAX_BODY_BYTES. */
export function buildForwardBody(rows: readonly QueuedRow[]): { body: string; included: QueuedRow[] } {
  const stations = new Map<string, ForwardedStation>();
  const parts: string[] = [];
  const included: QueuedRow[] = [];
  let bytes = 0;
  for (const row of rows) {
    // The event as the station sent it (v1 envelope), with its own id, seq and payload.
    const event = `{"v":${PROTOCOL_VERSION},"id":${JSON.stringify(row.event_id)},"stationId":${JSON.stringify(row.station_id)},"seq":${Number(row.seq)},"occurredAt":${JSON.stringify(row.occurred_at)},"type":${JSON.stringify(row.type)},"payload":${row.payload}}`;
    const part = `{"event":${event},"receivedAt":${JSON.stringify(row.received_at)},"source":${JSON.stringify(row.source === 'bundle' ? 'bundle' : 'http')}}`;
    const station = stations.has(row.station_id)
      ? ''
      : JSON.stringify({ id: row.station_id, name: row.name, kecamatan: row.kecamatan });
    const size = Buffer.byteLength(part) + Buffer.byteLength(station) + 2;
    if (included.length > 0 && bytes + size > MAX_BODY_BYTES - BODY_MARGIN) {
      break;
    }
    if (!stations.has(row.station_id)) {
      stations.set(row.station_id, { id: row.station_id, name: row.name, kecamatan: row.kecamatan });
    }
    parts.push(part);
    included.push(row);
    bytes += size;
  }
  return {
    body: `{"stations":${JSON.stringify([...stations.values()])},"events":[${parts.join(',')}]}`,
    included,
  };
}

/**
 * Runs the forwarder in the background until `stop()`; returns stop. Not enrolled upstream: it
 * looks again every `notEnrolledMs` (a `siaga-district upstream enroll` while serving is picked up).
 */
export function startForwarding(
  db: Db,
  options: {
    log: (line: string) => void;
    idleMs?: number;
    notEnrolledMs?: number;
    policy?: Partial<ForwardPolicy>;
  },
): { stop: () => Promise<void>; forwarder: Forwarder } {
  const forwarder = new Forwarder(db, { log: options.log, policy: options.policy });
  let running = true;
  let wake: (() => void) | null = null;
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        wake = null;
        resolve();
      };
    });
  const loop = runDeliveryLoop({
    isRunning: () => running,
    sender: () => forwarder,
    sleep,
    schedule: {
      idleMs: options.idleMs ?? 1_000,
      notEnrolledMs: options.notEnrolledMs ?? 60_000,
      errorRetryMs: 20_000,
    },
    log: (line) => options.log(`upstream ${line}`),
  });
  return {
    forwarder,
    stop: async () => {
      running = false;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
