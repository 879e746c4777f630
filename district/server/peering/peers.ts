// The upstream side of peering (protocol/peering.ts): districts that run their own server and
// forward their stations here. `peer add` makes a peer and a one-time code; the district server
// redeems it (POST /api/v1/peers/enroll) with its own Ed25519 key; its signed forwards are stored
// under its stations, each kept as a station row `<peer id>_<station id>` with `peer_id` set, so the
// board, figures and faults here count them like this service's own stations.
//
// Each peer forwards into one district of this service (`peers.district_code`, chosen at `peer
// add`): its stations, their faults and heartbeats are that district's, seen by its staff and the
// province and national views above it, and never written into another district.
import { randomBytes } from 'node:crypto';
import type { Event } from '../../../protocol/events';
import { CROCKFORD_ALPHABET } from '../../../protocol/events';
import type {
  ForwardedRef,
  ForwardRequest,
  ForwardResponse,
  PeerEnrollRequest,
  PeerEnrollResponse,
} from '../../../protocol/peering';
import { forwardedStationId } from '../../../protocol/peering';
import type { Db } from '../db/types';
import { hashEnrollmentCode, newEnrollmentCode } from '../db/ids';
import { InvalidInputError, NotFoundError } from '../errors';
import { markLeft } from '../figures/late';
import { storeEvents } from '../intake/intake';
import { Refusal } from '../intake/refusal';
import { publicKeyFromBase64 } from '../intake/signature';
import { ENROLLMENT_CODE_LIFETIME_MS } from '../stations/stations';
import { DEFAULT_DISTRICT } from '../tenancy/scope';

export interface PeerRow {
  id: string;
  district_name: string;
  public_key: string | null;
  /** The district of this service its stations belong to. */
  district_code: string;
}

export interface NewPeer {
  peerId: string;
  districtName: string;
  districtCode: string;
  /** Shown once; only its hash is kept. */
  code: string;
  expiresAt: string;
}

/** `pr-` and 10 random Crockford base32 characters (50 bits), lower case. */
export function newPeerId(): string {
  return `pr-${Array.from(randomBytes(10), (byte) => CROCKFORD_ALPHABET[byte % 32]).join('').toLowerCase()}`;
}

/**
 * The district a new peer forwards into: `asked` if it is a district here; without one, the
 * service's only district (the default district on a district's own server). A service of several
 * districts must be told which (a guess would put a district's stations before another's staff).
 */
export async function peerDistrict(db: Db, asked: string | undefined): Promise<string> {
  if (asked !== undefined) {
    const code = asked.trim();
    if ((await db.query('SELECT code FROM districts WHERE code = $1', [code])).length === 0) {
      throw new NotFoundError(
        `kabupaten/kota ${code} tidak ada di layanan ini (no district ${code} in this service; \`district add\` first)`,
      );
    }
    return code;
  }
  // The districts of the service: the default one counts only once it has stations (as in the views).
  const districts = await db.query<{ code: string }>(
    `SELECT code FROM districts
     WHERE code <> '${DEFAULT_DISTRICT}' OR EXISTS (SELECT 1 FROM stations WHERE district_code = '${DEFAULT_DISTRICT}')
     ORDER BY code LIMIT 2`,
  );
  if (districts.length > 1) {
    throw new InvalidInputError(
      'layanan ini punya beberapa kabupaten/kota: pilih dengan --district KODE (this service has several districts: choose one with --district CODE)',
      'district-required',
    );
  }
  return districts[0]?.code ?? DEFAULT_DISTRICT;
}

export async function addPeer(
  db: Db,
  input: { districtName: string; district?: string; nowMs?: number; codeLifetimeMs?: number },
): Promise<NewPeer> {
  const nowMs = input.nowMs ?? Date.now();
  const districtName = input.districtName.trim();
  if (districtName === '' || districtName.length > 100) {
    throw new InvalidInputError('a peer district needs a name of 1 to 100 characters');
  }
  const districtCode = await peerDistrict(db, input.district);
  const peerId = newPeerId();
  const code = newEnrollmentCode();
  const expiresAt = new Date(nowMs + (input.codeLifetimeMs ?? ENROLLMENT_CODE_LIFETIME_MS)).toISOString();
  await db.transaction(async (transaction) => {
    await transaction.run(
      'INSERT INTO peers (id, district_name, district_code, created_at) VALUES ($1, $2, $3, $4)',
      [peerId, districtName, districtCode, new Date(nowMs).toISOString()],
    );
    await transaction.run(
      'INSERT INTO peer_codes (code_hash, peer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [hashEnrollmentCode(code), peerId, new Date(nowMs).toISOString(), expiresAt],
    );
  });
  return { peerId, districtName, districtCode, code, expiresAt };
}

/** Redeems a peer code: stores the peer's public key. Throws Refusal('bad-code') for an unknown, used or expired code. */
export async function enrollPeer(
  db: Db,
  request: PeerEnrollRequest,
  nowMs: number,
  upstreamPublicKey: string,
): Promise<PeerEnrollResponse> {
  try {
    publicKeyFromBase64(request.publicKey);
  } catch {
    throw new Refusal('invalid-schema', 'publicKey is not an Ed25519 public key');
  }
  const nowIso = new Date(nowMs).toISOString();
  const codeHash = hashEnrollmentCode(request.code);
  return db.transaction(async (transaction) => {
    const claimed = await transaction.query<{ peer_id: string }>(
      'UPDATE peer_codes SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING peer_id',
      [nowIso, codeHash],
    );
    const peerId = claimed[0]?.peer_id;
    if (peerId === undefined) {
      throw new Refusal('bad-code', 'the peer code is unknown, already used or expired');
    }
    await transaction.run('UPDATE peers SET public_key = $1, enrolled_at = $2, app_version = $3 WHERE id = $4', [
      request.publicKey,
      nowIso,
      request.appVersion,
      peerId,
    ]);
    const [peer] = await transaction.query<{ district_name: string }>(
      'SELECT district_name FROM peers WHERE id = $1',
      [peerId],
    );
    return { peerId, districtName: peer.district_name, serverTime: nowMs, upstreamPublicKey };
  });
}

/** The enrolled peer of an id with its key, for verifySignedBy; null if none. */
export async function findEnrolledPeer(
  db: Db,
  peerId: string,
): Promise<{ signer: PeerRow; publicKeyBase64: string } | null> {
  const [peer] = await db.query<PeerRow>(
    'SELECT id, district_name, public_key, district_code FROM peers WHERE id = $1',
    [peerId],
  );
  return peer === undefined || peer.public_key === null ? null : { signer: peer, publicKeyBase64: peer.public_key };
}

/**
 * Stores a verified peer's forward: its stations (made or renamed) and their events, each run of
 * one station's events received together downstream stored as that station's batch would have
 * been, at the downstream's receive time (never later than now here). Throws a Refusal.
 */
export async function storeForwarded(
  db: Db,
  peer: PeerRow,
  request: ForwardRequest,
  options: { nowMs: number; heartbeatWindowMs?: number },
): Promise<Omit<ForwardResponse, 'serverTime'>> {
  const named = new Map(request.stations.map((station) => [station.id, station]));
  for (const [index, forwarded] of request.events.entries()) {
    if (!named.has(forwarded.event.stationId)) {
      throw new Refusal(
        'invalid-schema',
        `events.${index}.event.stationId: station ${forwarded.event.stationId} is not among the forward's stations`,
        peer.id,
      );
    }
  }
  const nowIso = new Date(options.nowMs).toISOString();
  // Every station is checked before any is written: a refused forward leaves nothing behind (the
  // stations are not written in one transaction with the events).
  for (const station of named.values()) {
    const id = forwardedStationId(peer.id, station.id);
    const [existing] = await db.query<{ peer_id: string | null; district_code: string }>(
      'SELECT peer_id, district_code FROM stations WHERE id = $1',
      [id],
    );
    if (existing !== undefined && (existing.peer_id !== peer.id || existing.district_code !== peer.district_code)) {
      throw new Refusal(
        'station-mismatch',
        `station ${id} here is not one of this peer's stations in district ${peer.district_code}`,
        peer.id,
      );
    }
  }
  for (const station of named.values()) {
    const id = forwardedStationId(peer.id, station.id);
    // A forwarded station is active from its first forward, in the peer's district; it never holds
    // a key here. A row of that id that is not this peer's in its district (a station of the
    // province's own, or of another district) is never renamed, moved or fed. A station moved out
    // of a kecamatan makes the figures' rows of that kecamatan stale (figures/late.ts markLeft).
    const written = await db.transaction(async (transaction) => {
      const [before] = await transaction.query<{ kecamatan: string }>(
        'SELECT kecamatan FROM stations WHERE id = $1',
        [id],
      );
      const count = await transaction.run(
        `INSERT INTO stations (id, name, kecamatan, created_at, enrolled_at, peer_id, district_code)
         VALUES ($1, $2, $3, $4, $4, $5, $6)
         ON CONFLICT (id) DO UPDATE SET name = $2, kecamatan = $3 WHERE stations.peer_id = $5 AND stations.district_code = $6`,
        [id, station.name, station.kecamatan, nowIso, peer.id, peer.district_code],
      );
      if (count === 1 && before !== undefined && before.kecamatan !== station.kecamatan) {
        await markLeft(transaction, peer.district_code, before.kecamatan);
      }
      return count;
    });
    if (written === 0) {
      throw new Refusal(
        'station-mismatch',
        `station ${id} here is not one of this peer's stations in district ${peer.district_code}`,
        peer.id,
      );
    }
  }
  const accepted: ForwardedRef[] = [];
  const duplicates: ForwardedRef[] = [];
  for (const run of runsOf(request.events)) {
    const stationId = run.events[0]!.stationId;
    const receivedMs = Math.min(options.nowMs, Date.parse(run.receivedAt));
    const stored = await storeEvents(db, forwardedStationId(peer.id, stationId), run.events, {
      nowMs: receivedMs,
      source: run.source,
      heartbeatWindowMs: options.heartbeatWindowMs,
      forwarded: true,
      storedAtMs: options.nowMs,
    });
    accepted.push(...stored.accepted.map((id) => ({ stationId, id })));
    duplicates.push(...stored.duplicates.map((id) => ({ stationId, id })));
  }
  await db.run('UPDATE peers SET last_forward_at = $1 WHERE id = $2', [nowIso, peer.id]);
  return { accepted, duplicates };
}

/** Consecutive events of one station with one receive time and source: one downstream batch each. */
function runsOf(
  events: ForwardRequest['events'],
): { receivedAt: string; source: 'http' | 'bundle'; events: Event[] }[] {
  const runs: { receivedAt: string; source: 'http' | 'bundle'; events: Event[] }[] = [];
  for (const forwarded of events) {
    const last = runs.at(-1);
    if (
      last !== undefined &&
      last.receivedAt === forwarded.receivedAt &&
      last.source === forwarded.source &&
      last.events[0]!.stationId === forwarded.event.stationId
    ) {
      last.events.push(forwarded.event);
    } else {
      runs.push({ receivedAt: forwarded.receivedAt, source: forwarded.source, events: [forwarded.event] });
    }
  }
  return runs;
}
