// Intake of signed event batches: verification (shared by the HTTP route and bundle import) and storage.
import type { Event } from '../../../protocol/events';
import { isFaultEvent } from '../../../protocol/events';
import type { Command, DistrictFault, EventsRequest } from '../../../protocol/requests';
import { EventsRequestSchema, PATHS } from '../../../protocol/requests';
import { isWithinWindow, parseSignatureHeaders, TIMESTAMP_WINDOW_MS } from '../../../protocol/signing';
import { districtFaults, recordStationFault } from '../faults/repository';
import { takePendingCommands } from '../stations/commands';
import { projectForDashboard } from './projection';
import { inGroupTransaction } from '../db/group-commit';
import type { Db } from '../db/types';
import { DEFAULT_HEARTBEAT_WINDOW_MS } from '../figures/availability';
import type { ReplayGuard } from './guards';
import { Refusal } from './refusal';
import { verifyRequestSignature } from './signature';
import { reconcileOpenFaults } from '../faults/reconcile';
import { queueForUpstream } from '../peering/forward-queue';
import { isPrunedHeartbeat } from './retention';
import { currentIntakeSpan } from './trace';

type HeartbeatEvent = Extract<Event, { type: 'heartbeat' }>;

export interface StationRow {
  id: string;
  name: string;
  kecamatan: string;
  public_key: string | null;
}

export interface SignedRequest {
  method: string;
  /** The request target as sent (path and query). */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer | string;
}

export interface VerifyOptions {
  nowMs: number;
  /** False for bundle import: a bundle's requests may be weeks old. */
  checkWindow: boolean;
  /** Absent for bundle import, where importing the same file twice is allowed. */
  replays?: ReplayGuard;
  windowMs?: number;
}

/** Checks headers, station, window, signature and replay, in that order; throws a Refusal. */
export async function verifySignedRequest(
  db: Db,
  request: SignedRequest,
  options: VerifyOptions,
): Promise<StationRow> {
  return verifySignedBy(request, options, 'station', async (stationId) => {
    const [station] = await db.query<StationRow>(
      'SELECT id, name, kecamatan, public_key FROM stations WHERE id = $1',
      [stationId],
    );
    return station === undefined || station.public_key === null
      ? null
      : { signer: station, publicKeyBase64: station.public_key };
  });
}

/**
 * The SIAGA1 checks for any signer (a station; a peer district forwarding, peering/peers.ts):
 * headers, signer, window, signature and replay, in that order; throws a Refusal. `findSigner`
 * answers the enrolled signer of the `x-siaga-station` id and its public key, or null.
 */
export async function verifySignedBy<Signer>(
  request: SignedRequest,
  options: VerifyOptions,
  kind: 'station' | 'peer',
  findSigner: (id: string) => Promise<{ signer: Signer; publicKeyBase64: string } | null>,
): Promise<Signer> {
  const parsed = parseSignatureHeaders(request.headers);
  if (!parsed.ok) {
    const claimed = request.headers['x-siaga-station'];
    throw new Refusal('unsigned', parsed.reason, typeof claimed === 'string' ? claimed : null);
  }
  const { stationId, timestampMs, signatureBase64 } = parsed.value;
  const span = currentIntakeSpan();
  const found = await findSigner(stationId);
  span?.mark('station');
  if (found === null) {
    throw new Refusal('unknown-station', `no enrolled ${kind} has this id`, stationId);
  }
  if (
    options.checkWindow &&
    !isWithinWindow(timestampMs, options.nowMs, options.windowMs ?? TIMESTAMP_WINDOW_MS)
  ) {
    throw new Refusal(
      'stale-timestamp',
      `timestamp ${timestampMs} is ${timestampMs - options.nowMs} ms off the server time; correct the clock offset with serverTime and sign again`,
      stationId,
    );
  }
  const valid = verifyRequestSignature({
    publicKeyBase64: found.publicKeyBase64,
    method: request.method,
    path: request.path,
    timestampMs,
    body: request.body,
    signatureBase64,
  });
  span?.mark('signature');
  if (!valid) {
    throw new Refusal('bad-signature', `the signature does not verify with this ${kind}'s key`, stationId);
  }
  if (
    options.replays !== undefined &&
    // Remembered by its bytes: the last base64 letter before `==` carries 4 unused bits, so one
    // signature has 16 spellings that all verify; a replay must not pass by re-spelling it.
    !(await options.replays.use(
      stationId,
      Buffer.from(signatureBase64, 'base64').toString('base64'),
      timestampMs,
      options.nowMs,
    ))
  ) {
    throw new Refusal(
      'replayed',
      'this signed request was received before; sign every request anew',
      stationId,
    );
  }
  span?.mark('replay');
  return found.signer;
}

/** Parses and validates an events body from a verified station; throws a Refusal. */
export function parseEventsBody(body: Buffer | string, stationId: string): EventsRequest {
  let json: unknown;
  try {
    json = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch (error) {
    throw new Refusal('malformed', `the body is not JSON: ${(error as Error).message}`, stationId);
  }
  const result = EventsRequestSchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
      .join('; ');
    throw new Refusal(
      'invalid-schema',
      `the body is not a valid ${PATHS.events} batch: ${issues}`,
      stationId,
    );
  }
  const foreign = result.data.events.find((event) => event.stationId !== stationId);
  if (foreign !== undefined) {
    throw new Refusal(
      'station-mismatch',
      `event ${foreign.id} claims station ${foreign.stationId}`,
      stationId,
    );
  }
  return result.data;
}

export interface StoreResult {
  accepted: string[];
  duplicates: string[];
  /** Work the district asks of the station (e.g. re-run its checks), taken with this HTTP batch. */
  commands?: Command[];
  /** With `replyFaults`: where the district stands on the station's faults, when any (read after the commit). */
  faults?: DistrictFault[];
}

/**
 * Stores a verified station's events once each (by id), in one transaction, and updates what
 * they change: the station's last contact and heartbeat, and the current state of its faults.
 * The transaction is shared with the batches stored at the same moment (db/group-commit.ts): it
 * resolves once they are all committed, with this batch's own accepted and duplicate ids.
 */
export async function storeEvents(
  db: Db,
  stationId: string,
  events: readonly Event[],
  options: {
    nowMs: number;
    source: 'http' | 'bundle';
    heartbeatWindowMs?: number;
    /** Forwarded by a peer district (peering/peers.ts): commands stay here, none is sent back. */
    forwarded?: boolean;
    /**
     * This server's clock as it stores (default nowMs): a peer's forward is stored at the
     * downstream's receive time, possibly days ago, but whether a heartbeat lands in a day the
     * figures' summary already counted is judged on this clock (figures/late.ts).
     */
    storedAtMs?: number;
    /**
     * Also answer the district's view of the station's faults (districtFaults), read after the
     * commit, and only when the station has any fault at all: the station-row update already says
     * so, which spares most heartbeats (stations without faults) a statement.
     */
    replyFaults?: boolean;
  },
): Promise<StoreResult> {
  const receivedAt = new Date(options.nowMs).toISOString();
  const clock = await stationClock(db, stationId, events, options);
  // Captured here: the group's work runs in the context of whichever request started the group.
  const span = currentIntakeSpan();
  span?.mark('parse');
  let stationHasFaults = true;
  const stored = await inGroupTransaction(db, async (transaction) => {
    span?.mark('group-wait');
    const accepted: string[] = [];
    const duplicates: string[] = [];
    const [station] = await transaction.query<{ last_seq: number | string }>(
      'SELECT last_seq FROM stations WHERE id = $1',
      [stationId],
    );
    let highestSeq = Number(station?.last_seq ?? 0);
    for (const [index, event] of events.entries()) {
      // Before the insert: nothing this far ahead was ever stored, so it cannot be a duplicate (and
      // PostgreSQL's INTEGER would overflow on it).
      checkSeqStep(event, index, highestSeq, stationId);
      const inserted = await transaction.query(
        `INSERT INTO events (id, station_id, seq, type, occurred_at, received_at, source, payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (station_id, id) DO NOTHING RETURNING id`,
        [
          event.id,
          stationId,
          event.seq,
          event.type,
          event.occurredAt,
          receivedAt,
          options.source,
          JSON.stringify(event.payload),
        ],
      );
      if (inserted.length === 0) {
        duplicates.push(event.id);
        continue;
      }
      if (event.seq <= highestSeq && isPrunedHeartbeat(event, options.nowMs)) {
        // Stored before and pruned since (retention.ts): a duplicate, and not kept again.
        await transaction.run('DELETE FROM events WHERE station_id = $1 AND id = $2', [stationId, event.id]);
        duplicates.push(event.id);
        continue;
      }
      checkSeqIncreases(event, index, highestSeq, stationId);
      accepted.push(event.id);
      highestSeq = event.seq;
      await project(transaction, stationId, event, receivedAt);
      await projectForDashboard(transaction, stationId, event, {
        heartbeatWindowMs: options.heartbeatWindowMs ?? DEFAULT_HEARTBEAT_WINDOW_MS,
        districtAt: clock.districtTime(event),
        nowMs: options.storedAtMs ?? options.nowMs,
      });
    }
    // One write of the station's row (its last contact, seq and heartbeat), which also tells
    // whether anything else waits: an upstream to queue for, commands to take (rarely either).
    const [waiting] = await updateStation(transaction, stationId, {
      receivedAt,
      highestSeq,
      heartbeat: clock.newestHeartbeat,
      nowMs: options.nowMs,
    });
    // Run again after a rolled-back group (group-commit.ts), the unit sets it anew.
    stationHasFaults = waiting === undefined || Number(waiting.faults) > 0;
    // No row (the station removed meanwhile): the checks made as before, each on its own.
    if (waiting === undefined || Number(waiting.upstream) > 0) {
      // In the same transaction: an event this district accepted is never lost on its way upstream.
      await queueForUpstream(transaction, stationId, accepted);
    }
    // Only a live reply can carry commands; a bundle import leaves them for the station's next contact.
    const commands =
      options.source === 'http' && options.forwarded !== true && (waiting === undefined || Number(waiting.pending) > 0)
        ? await takePendingCommands(transaction, stationId, options.nowMs)
        : [];
    span?.mark('store');
    return { accepted, duplicates, ...(commands.length > 0 ? { commands } : {}) };
  }, stationId);
  span?.mark('commit');
  if (options.replyFaults !== true || !stationHasFaults) {
    return stored;
  }
  const faults = await districtFaults(db, stationId, options.nowMs);
  span?.mark('faults');
  return faults.length > 0 ? { ...stored, faults } : stored;
}

/**
 * How far one new event's seq may jump past the station's last: gaps are normal (events refused
 * and parked by the station, a store recovered after corruption skips 1,000), but 10 million is
 * decades of heartbeats. Without a bound one absurd seq (2^53) would make every later event of the
 * station "backwards" and freeze its faults for good.
 */
export const MAX_SEQ_STEP = 10_000_000;

/** A new event's seq must be above the station's last; throws a Refusal. */
function checkSeqIncreases(event: Event, index: number, lastSeq: number, stationId: string): void {
  if (event.seq <= lastSeq) {
    throw new Refusal(
      'invalid-schema',
      `events.${index}.seq: event ${event.id} has seq ${event.seq}, not above the station's last seq ${lastSeq} (seq must strictly increase)`,
      stationId,
    );
  }
}

/** Any event's seq must be within MAX_SEQ_STEP above the station's last; throws a Refusal. */
function checkSeqStep(event: Event, index: number, lastSeq: number, stationId: string): void {
  if (event.seq > lastSeq + MAX_SEQ_STEP) {
    throw new Refusal(
      'invalid-schema',
      `events.${index}.seq: event ${event.id} has seq ${event.seq}, more than ${MAX_SEQ_STEP} above the station's last seq ${lastSeq}`,
      stationId,
    );
  }
}

/**
 * The district's own clock for a batch. Liveness is the receive time of a heartbeat sent live
 * (HTTP), never the station's clock: the newest heartbeat of the batch (by the station's sequence)
 * becomes the station's current one, heard now. Each event's time on the district's clock is its
 * `occurredAt` shifted by an offset, never later than the receive time: the station's own estimate
 * in that heartbeat (measured on round trips, so a backlog does not skew it), else the offset
 * measured on it (receive time minus occurredAt); a bundle, carried by hand, shifts by the last
 * offset measured live.
 */
async function stationClock(
  db: Db,
  stationId: string,
  events: readonly Event[],
  options: { nowMs: number; source: 'http' | 'bundle' },
): Promise<{ newestHeartbeat: HeartbeatEvent | null; districtTime: (event: Event) => string }> {
  const heartbeats = events.filter((event): event is HeartbeatEvent => event.type === 'heartbeat');
  const newest =
    options.source === 'http' && heartbeats.length > 0
      ? heartbeats.reduce((latest, event) => (event.seq > latest.seq ? event : latest))
      : null;
  let offsetMs = 0;
  if (newest !== null) {
    offsetMs = newest.payload.clockOffsetMs ?? options.nowMs - Date.parse(newest.occurredAt);
  } else {
    const [row] = await db.query<{ measured_clock_offset_ms: number | string | null }>(
      'SELECT measured_clock_offset_ms FROM stations WHERE id = $1',
      [stationId],
    );
    offsetMs = Number(row?.measured_clock_offset_ms ?? 0);
  }
  return {
    newestHeartbeat: newest,
    districtTime: (event) =>
      new Date(Math.min(options.nowMs, Date.parse(event.occurredAt) + offsetMs)).toISOString(),
  };
}

/**
 * Updates the station's row for a stored batch: last contact and seq, and for a live heartbeat its
 * payload, clock and the time it was heard. Returns whether an upstream link exists (`upstream`),
 * how many commands wait for the station (`pending`) and whether it has any fault row (`faults`,
 * 1 or 0: any state, so a superset of what districtFaults answers), read in the same statement.
 */
function updateStation(
  db: Db,
  stationId: string,
  batch: { receivedAt: string; highestSeq: number; heartbeat: HeartbeatEvent | null; nowMs: number },
): Promise<{ upstream: number | string; pending: number | string; faults: number | string }[]> {
  const { heartbeat } = batch;
  const live =
    heartbeat === null
      ? ''
      : `, last_heartbeat = $4, last_heartbeat_at = $5, app_version = $6, clock_offset_ms = $7,
         heard_at = $8, measured_clock_offset_ms = $9`;
  return db.query(
    `UPDATE stations SET last_seen_at = $1, last_seq = CASE WHEN last_seq < $2 THEN $2 ELSE last_seq END${live}
     WHERE id = $3
     RETURNING (SELECT COUNT(*) FROM upstream_link WHERE id = 1) AS upstream,
       (SELECT COUNT(*) FROM station_commands WHERE station_id = $3 AND delivered_at IS NULL) AS pending,
       CASE WHEN EXISTS (SELECT 1 FROM faults WHERE station_id = $3) THEN 1 ELSE 0 END AS faults`,
    [
      batch.receivedAt,
      batch.highestSeq,
      stationId,
      ...(heartbeat === null
        ? []
        : [
            JSON.stringify(heartbeat.payload),
            heartbeat.occurredAt,
            heartbeat.payload.appVersion,
            heartbeat.payload.clockOffsetMs ?? null,
            new Date(batch.nowMs).toISOString(),
            batch.nowMs - Date.parse(heartbeat.occurredAt),
          ]),
    ],
  );
}

async function project(db: Db, stationId: string, event: Event, receivedAt: string): Promise<void> {
  if (event.type === 'heartbeat') {
    if (event.payload.openFaultIds) {
      await reconcileOpenFaults(
        db,
        stationId,
        { seq: event.seq, occurredAt: event.occurredAt, openFaultIds: event.payload.openFaultIds },
        Date.parse(receivedAt),
      );
    }
  } else if (event.type === 'station.started') {
    await db.run('UPDATE stations SET app_version = $1 WHERE id = $2', [event.payload.appVersion, stationId]);
  } else if (isFaultEvent(event)) {
    await recordStationFault(db, stationId, event, receivedAt);
  }
}
