// Delivery of committed events to the district: at-least-once, one request at a time, in seq order.
//
// - A batch is the oldest queued events (at most `batchSize` and MAX_BODY_BYTES), signed with the
//   station key at the district-corrected clock; a retry is always signed again (signatures are
//   single-use). Events leave the outbox only when the district lists them as accepted or duplicate.
// - Failures back off exponentially (base * 2^n, capped) with equal jitter, so stations that lost
//   the link together do not return together. 429 and 503 wait the district's Retry-After.
// - A backlog drains paced: between batches the outbox waits at least `backlogIntervalMs` and at
//   least as long as the last request took, so a returning district under load slows the stations
//   down by itself; a 200 with `retryAfterMs` is honoured too.
// - Every reply carries serverTime: the outbox keeps offset = serverTime - local midpoint, persisted,
//   and signs with local clock + offset. A 401 stale-timestamp is therefore retried at once.
// - A batch refused as invalid (400) or too large (413) is halved until the bad event is alone; that
//   one is moved to outbox_rejected (kept for a technician), so one bad event never blocks the rest.
// - A batch the district keeps failing on (HTTP 500) is halved the same way. A single event that got
//   SERVER_ERRORS_BEFORE_PROBE 500s in a row is suspected: the next event is sent alone instead. If
//   the district takes that one, the suspect is what it chokes on and is parked too; if it fails as
//   well, the district itself is broken and nothing is parked (backoff as usual). A parked event
//   is handed to `onParked` (the agent raises PC_EVENT_REFUSED).
// - Every request carries a fresh nonce; a reply is acted on (events deleted, serverTime adopted,
//   fault states kept, commands run, an event parked) only when signed for that nonce by the district
//   key pinned at enrollment (protocol/signing.ts). Anything else counts as no answer: it deletes
//   nothing and shows nothing, and its reason is returned to be logged. A station enrolled before
//   district keys existed sends nothing until it is enrolled again.
// - A successful reply may carry the district's state of the station's faults: each is kept as store
//   meta `district-fault:<faultId>` (the kiosk shows it), and commands (re-run the checks) are
//   handed to the agent.
import type { Command, DistrictFault } from '../../protocol/requests';
import {
  PATHS,
  MAX_BODY_BYTES,
  MAX_EVENTS_PER_BATCH,
  EventsResponseSchema,
  ErrorResponseSchema,
} from '../../protocol/requests';
import type { SendOutcome } from '../../protocol/delivery';
import { backoffMs, parseRetryAfter } from '../../protocol/delivery';
import { pinnedFetch } from '../../link/pinned-fetch';
import { postSigned } from '../../link/signed-post';
import type { Identity } from './identity';
import { signedHeaders } from './identity';
import type { StoredEvent } from './store/store';
import { Store } from './store/store';

// Shared with the district's forwarding outbox (protocol/delivery.ts).
export type { SendOutcome } from '../../protocol/delivery';
export { parseRetryAfter } from '../../protocol/delivery';
import { META, META_FAMILIES, pruneMetaFamily, readMeta, writeMeta, writeMetaIfChanged } from './store/meta';

export interface DeliveryPolicy {
  /** Events per request, at most MAX_EVENTS_PER_BATCH. */
  batchSize: number;
  /** First retry delay after a failure (ms); doubles per consecutive failure. */
  baseBackoffMs: number;
  /** Cap of the retry delay (ms). */
  maxBackoffMs: number;
  /** Least pause between two batches of a backlog (ms). */
  backlogIntervalMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  batchSize: MAX_EVENTS_PER_BATCH,
  baseBackoffMs: 2_000,
  maxBackoffMs: 5 * 60_000,
  backlogIntervalMs: 50,
  requestTimeoutMs: 30_000,
};

export interface OutboxOptions {
  policy?: Partial<DeliveryPolicy>;
  fetch?: typeof fetch;
  /** Local clock (ms). */
  now?: () => number;
  /** Values in [0, 1), for jitter. */
  random?: () => number;
  /** Work the district asked for in a reply (after the batch is acknowledged). */
  onCommands?: (commands: Command[]) => void;
  /** Faults whose district state changed, after it is stored. */
  onDistrictFaults?: (faultIds: string[]) => void;
  /** An event was parked (moved to outbox_rejected) because the district refused or failed on it. */
  onParked?: (event: StoredEvent, reason: string) => void;
  /** The district acknowledged `count` events, which left the outbox. */
  onDelivered?: (count: number) => void;
}

/** 500s in a row on one event alone before the next event is tried past it. */
export const SERVER_ERRORS_BEFORE_PROBE = 3;

/** Why a station enrolled before district keys existed sends nothing. */
export const UNPINNED_DISTRICT_KEY =
  'the district key is not pinned (enrolled before signed replies): enroll again with siaga enroll --force; queued events are kept';

/** The district's last known state of a fault, or null if it never said. */
export function readDistrictFault(store: Store, faultId: string): DistrictFault | null {
  return readMeta(store, META_FAMILIES.districtFault.key(faultId));
}

/** Forgets district states of faults the store no longer holds (pruned); returns how many. */
export function pruneDistrictFaults(store: Store): number {
  return pruneMetaFamily(store, META_FAMILIES.districtFault, 'SELECT fault_id FROM faults');
}

/** Body bytes kept free for the `{"events":[` wrapper and commas. */
const BODY_MARGIN = 1024;

export class Outbox {
  readonly policy: DeliveryPolicy;
  /** Consecutive failed attempts; 0 when the last one succeeded. */
  failures = 0;
  lastError: string | null = null;
  lastDeliveredAt: number | null = null;
  private readonly fetchOverride: typeof fetch | undefined;
  private readonly fetchByCa = new Map<string | undefined, typeof fetch>();
  /** The queued event that got 500s when sent alone, and how many in a row. */
  private suspect: { seq: number; failures: number } | null = null;
  private readonly onParked: (event: StoredEvent, reason: string) => void;
  private readonly onDelivered: (count: number) => void;
  private readonly now: () => number;
  private readonly random: () => number;
  private batchLimit: number;
  private lastTimestamp = 0;
  private offsetMs: number | null;
  private readonly onCommands: (commands: Command[]) => void;
  private readonly onDistrictFaults: (faultIds: string[]) => void;

  constructor(
    private readonly store: Store,
    private readonly identity: () => Identity | null,
    options: OutboxOptions = {},
  ) {
    this.policy = { ...DEFAULT_DELIVERY_POLICY, ...options.policy };
    this.policy.batchSize = Math.max(1, Math.min(MAX_EVENTS_PER_BATCH, this.policy.batchSize));
    this.fetchOverride = options.fetch;
    this.onParked = options.onParked ?? (() => undefined);
    this.onDelivered = options.onDelivered ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.batchLimit = this.policy.batchSize;
    this.onCommands = options.onCommands ?? (() => undefined);
    this.onDistrictFaults = options.onDistrictFaults ?? (() => undefined);
    this.offsetMs = readMeta(store, META.clockOffsetMs);
  }

  /** District clock minus local clock (ms), from the last reply; null before any reply. */
  get clockOffsetMs(): number | null {
    return this.offsetMs;
  }

  /** The district-corrected time used for signing (ms). */
  districtNow(): number {
    return this.now() + (this.offsetMs ?? 0);
  }

  /** Sends the next batch, if any. Never throws for network or district errors. */
  async sendBatch(): Promise<SendOutcome> {
    const identity = this.identity();
    if (!identity) {
      return { kind: 'not-enrolled' };
    }
    const districtKey = identity.districtPublicKey;
    if (districtKey === undefined) {
      return this.fail(UNPINNED_DISTRICT_KEY);
    }
    let events = this.store.pending(this.batchLimit);
    if (events.length === 0) {
      return { kind: 'idle' };
    }
    // A suspect alone failed again and again: send the next event past it to tell a poison event
    // from a broken district.
    let suspect: StoredEvent | null = null;
    if (
      this.suspect !== null &&
      this.suspect.failures >= SERVER_ERRORS_BEFORE_PROBE &&
      events[0]!.seq === this.suspect.seq
    ) {
      const next = this.store.pendingAfter(this.suspect.seq, 1);
      if (next.length > 0) {
        suspect = events[0]!;
        events = next;
      }
    }
    const { body, included } = buildBody(events, identity.stationId);
    const timestamp = Math.max(Math.round(this.districtNow()), this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    this.store.noteAttempt(included.map((event) => event.seq));
    const sentAt = this.now();
    const posted = await postSigned({
      fetch: this.fetchFor(identity),
      url: new URL(PATHS.events, identity.districtUrl),
      body,
      signatureHeaders: signedHeaders(identity, 'POST', PATHS.events, timestamp, body),
      timeoutMs: this.policy.requestTimeoutMs,
      replyKey: districtKey,
      replyKeyName: 'district',
    });
    if (!posted.ok) {
      return this.fail(posted.reason);
    }
    const { response, reply } = posted;
    const receivedAt = this.now();
    this.noteServerTime(reply, sentAt, receivedAt);

    if (response.ok) {
      const parsed = EventsResponseSchema.safeParse(reply);
      if (!parsed.success) {
        return this.fail(`bad reply: ${parsed.error.message.slice(0, 200)}`);
      }
      const sentIds = new Set(included.map((event) => event.id));
      const acknowledged = this.store.acknowledge(
        [...parsed.data.accepted, ...parsed.data.duplicates].filter((id) => sentIds.has(id)),
      );
      if (acknowledged === 0) {
        return this.fail('the district acknowledged none of the batch');
      }
      if (suspect !== null) {
        this.park(
          suspect,
          `the district failed on this event ${this.suspect?.failures ?? 0} times (HTTP 500) and took the next one`,
        );
      }
      this.suspect = null;
      this.failures = 0;
      this.lastError = null;
      this.lastDeliveredAt = receivedAt;
      this.batchLimit = Math.min(this.policy.batchSize, this.batchLimit * 2);
      this.recordDistrictFaults(parsed.data.faults ?? []);
      this.onDelivered(acknowledged);
      if (parsed.data.commands && parsed.data.commands.length > 0) {
        this.onCommands(parsed.data.commands);
      }
      const remaining = this.store.pendingCount();
      const pace = remaining > 0 ? Math.max(this.policy.backlogIntervalMs, receivedAt - sentAt) : 0;
      return {
        kind: 'delivered',
        count: acknowledged,
        remaining,
        waitMs: Math.max(pace, parsed.data.retryAfterMs ?? 0),
      };
    }

    const refusal = ErrorResponseSchema.safeParse(reply);
    const error = refusal.success ? refusal.data.error : `http-${response.status}`;
    const detail = refusal.success ? `${error}: ${refusal.data.message}` : `HTTP ${response.status}`;
    const retryAfterMs =
      (refusal.success ? refusal.data.retryAfterMs : undefined) ??
      parseRetryAfter(response.headers.get('retry-after'), receivedAt);
    if (response.status === 429 || response.status === 503) {
      this.failures++;
      this.lastError = detail;
      const backoff = this.backoffMs();
      return {
        kind: 'retry',
        waitMs:
          retryAfterMs !== null ? retryAfterMs + Math.round(this.random() * 0.1 * retryAfterMs) : backoff,
        reason: detail,
      };
    }
    if ((error === 'stale-timestamp' || error === 'replayed') && this.failures < 3) {
      // The clock offset was just corrected from serverTime, or the signature must be made again.
      this.failures++;
      this.lastError = detail;
      return { kind: 'retry', waitMs: 0, reason: detail };
    }
    if (response.status === 400 || response.status === 413) {
      if (included.length > 1) {
        this.batchLimit = Math.max(1, Math.floor(included.length / 2));
        return { kind: 'retry', waitMs: 0, reason: `${detail}; batch halved to ${this.batchLimit}` };
      }
      this.park(included[0]!, detail);
      return { kind: 'retry', waitMs: 0, reason: `event ${included[0]!.id} refused: ${detail}` };
    }
    if (response.status === 500) {
      return this.serverError(included, suspect !== null, detail);
    }
    return this.fail(detail);
  }

  /** A 500: halve the batch, count failures of a lone event, or give up a probe (see the contract). */
  private serverError(included: readonly StoredEvent[], probing: boolean, detail: string): SendOutcome {
    if (probing) {
      // The next event failed too: the district is broken, not the suspect. Start counting afresh.
      this.suspect = null;
      return this.fail(detail);
    }
    if (included.length > 1) {
      this.failures++;
      this.lastError = detail;
      this.batchLimit = Math.max(1, Math.floor(included.length / 2));
      return {
        kind: 'retry',
        waitMs: this.policy.baseBackoffMs,
        reason: `${detail}; batch halved to ${this.batchLimit}`,
      };
    }
    const seq = included[0]!.seq;
    this.suspect = { seq, failures: this.suspect?.seq === seq ? this.suspect.failures + 1 : 1 };
    return this.fail(detail);
  }

  /** Moves a refused event out of the queue (kept in outbox_rejected) and tells the agent. */
  private park(event: StoredEvent, reason: string): void {
    this.store.reject(event.seq, reason);
    this.onParked(event, reason);
  }

  /** The fetch for this identity: the test's, or one trusting the CA pinned at enrollment. */
  private fetchFor(identity: Identity): typeof fetch {
    if (this.fetchOverride !== undefined) {
      return this.fetchOverride;
    }
    let fetchFunction = this.fetchByCa.get(identity.districtCaPem);
    if (fetchFunction === undefined) {
      fetchFunction = pinnedFetch(identity.districtCaPem);
      this.fetchByCa.set(identity.districtCaPem, fetchFunction);
    }
    return fetchFunction;
  }

  /** Sends batches until the queue is empty or a send fails; waits the paced intervals in between. */
  async drain(
    options: { signal?: AbortSignal; sleep?: (ms: number) => Promise<void> } = {},
  ): Promise<SendOutcome> {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (;;) {
      const outcome = await this.sendBatch();
      if (outcome.kind === 'idle' || outcome.kind === 'not-enrolled' || options.signal?.aborted) {
        return outcome;
      }
      if (outcome.kind === 'retry' && outcome.waitMs > 0) {
        return outcome;
      }
      if (outcome.kind === 'delivered' && outcome.remaining === 0) {
        return outcome;
      }
      await sleep(outcome.waitMs);
    }
  }

  /** Delay before the next attempt after `failures` consecutive failures: equal jitter, capped. */
  backoffMs(): number {
    return backoffMs(this.failures, this.policy, this.random);
  }

  private fail(reason: string): SendOutcome {
    this.failures++;
    this.lastError = reason;
    return { kind: 'retry', waitMs: this.backoffMs(), reason };
  }

  /** Keeps each fault's district state; only changed entries are written. Best effort (full disk). */
  private recordDistrictFaults(faults: readonly DistrictFault[]): void {
    if (faults.length === 0) {
      return;
    }
    const changed: string[] = [];
    try {
      this.store.transaction(() => {
        for (const fault of faults) {
          if (writeMetaIfChanged(this.store, META_FAMILIES.districtFault.key(fault.faultId), fault)) {
            changed.push(fault.faultId);
          }
        }
      });
    } catch {
      // The next reply carries the whole state again.
      return;
    }
    if (changed.length > 0) {
      this.onDistrictFaults(changed);
    }
  }

  private noteServerTime(reply: unknown, sentAt: number, receivedAt: number): void {
    const serverTime = (reply as { serverTime?: unknown } | null)?.serverTime;
    if (typeof serverTime !== 'number' || !Number.isFinite(serverTime)) {
      return;
    }
    const offset = Math.round(serverTime - (sentAt + receivedAt) / 2);
    // Within a second of the stored value is round-trip noise: not worth a write.
    if (this.offsetMs === null || Math.abs(offset - this.offsetMs) > 1000) {
      this.offsetMs = offset;
      // Timestamps need only differ between requests; a corrected clock starts afresh.
      this.lastTimestamp = 0;
      try {
        writeMeta(this.store, META.clockOffsetMs, offset);
      } catch {
        // A full disk must not stop delivery; the offset is kept in memory.
      }
    }
  }
}

/** The JSON body of an EventsRequest from the oldest events that fit MAX_BODY_BYTES. */
export function buildBody(
  events: readonly StoredEvent[],
  stationId: string,
): { body: string; included: StoredEvent[] } {
  const parts: string[] = [];
  const included: StoredEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const json = Store.envelopeJson(event, stationId);
    const size = Buffer.byteLength(json) + 1;
    if (included.length > 0 && bytes + size > MAX_BODY_BYTES - BODY_MARGIN) {
      break;
    }
    parts.push(json);
    included.push(event);
    bytes += size;
  }
  return { body: `{"events":[${parts.join(',')}]}`, included };
}
