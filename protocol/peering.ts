// A district server that runs its own stations forwards their state to an upstream service (the
// province's, the nation's) as a peer, with the stations' own signed protocol (signing.ts):
//
//   POST /api/v1/peers/enroll  unsigned; the one-time peer code (`siaga-district peer add`) is the
//                              credential. PeerEnrollRequest -> 200 PeerEnrollResponse | 401 bad-code
//   POST /api/v1/peers/events  signed SIAGA1 with the peer's key; `x-siaga-station` carries the peer
//                              id. ForwardRequest -> 200 ForwardResponse | the refusals of /events
//
// Every reply to a request with a nonce is signed SIAGA1-REPLY by the upstream's key, pinned by the
// downstream at enrollment, exactly as a station pins its district's.
//
// A forward carries each event as the downstream accepted it (the station's own id, seq and
// payload) with the downstream's receive time and source, and the name and kecamatan of every
// station it names. The upstream keeps a forwarded station under its own id `<peerId>_<stationId>`
// (never clashing with its own stations or another peer's) and stores each event once per
// (peer, station, event id): a forward sent again answers its events as `duplicates`. A 200 means
// every listed (stationId, id) is durably stored upstream; the downstream deletes exactly those
// from its forward outbox. A refused forward may have stored a prefix of its events (one
// transaction per station run); sending it again is safe for the same reason.
import * as z from 'zod';
import { EventSchema, IsoTimeSchema, StationIdSchema } from './events';
import { API_PREFIX, EnrollmentCodeSchema, MAX_EVENTS_PER_BATCH, PublicKeySchema } from './requests';

export const PEER_PATHS = {
  enroll: `${API_PREFIX}/peers/enroll`,
  events: `${API_PREFIX}/peers/events`,
} as const;

/** A peer id as the upstream assigns it: `pr-` and 10 Crockford base32 characters in lower case. */
export const PeerIdSchema = z.string().regex(/^pr-[0-9a-z]{10}$/);

/** The id an upstream gives a station forwarded by `peerId`. */
export function forwardedStationId(peerId: string, stationId: string): string {
  return `${peerId}_${stationId}`;
}

export const PeerEnrollRequestSchema = z.strictObject({
  code: EnrollmentCodeSchema,
  publicKey: PublicKeySchema,
  /** The downstream's own name for itself (informational; the upstream keeps the name it gave). */
  districtName: z.string().min(1).max(100).optional(),
  appVersion: z.string().min(1).max(50),
});
export type PeerEnrollRequest = z.infer<typeof PeerEnrollRequestSchema>;

export const PeerEnrollResponseSchema = z.object({
  peerId: PeerIdSchema,
  /** The name the upstream registered the district under. */
  districtName: z.string(),
  serverTime: z.number().int(),
  /** The upstream's reply-signing key: the downstream pins it and trusts only replies it signed. */
  upstreamPublicKey: PublicKeySchema,
});
export type PeerEnrollResponse = z.infer<typeof PeerEnrollResponseSchema>;

export const ForwardedStationSchema = z.strictObject({
  id: StationIdSchema,
  name: z.string().min(1).max(255),
  kecamatan: z.string().min(1).max(100),
});
export type ForwardedStation = z.infer<typeof ForwardedStationSchema>;

export const ForwardedEventSchema = z.strictObject({
  /** The event exactly as the station sent it; `stationId` is the downstream's station id. */
  event: EventSchema,
  /** The downstream's receive time (its clock): liveness upstream is this, never the forward's time. */
  receivedAt: IsoTimeSchema,
  /** How the downstream received it: live from the station, or from a hand-carried bundle. */
  source: z.enum(['http', 'bundle']),
});
export type ForwardedEvent = z.infer<typeof ForwardedEventSchema>;

export const ForwardRequestSchema = z.strictObject({
  stations: z.array(ForwardedStationSchema).min(1).max(MAX_EVENTS_PER_BATCH),
  events: z.array(ForwardedEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});
export type ForwardRequest = z.infer<typeof ForwardRequestSchema>;

/** One forwarded event, named as the downstream names it (event ids are unique per station only). */
export const ForwardedRefSchema = z.object({ stationId: StationIdSchema, id: z.string() });
export type ForwardedRef = z.infer<typeof ForwardedRefSchema>;

export const ForwardResponseSchema = z.object({
  accepted: z.array(ForwardedRefSchema),
  duplicates: z.array(ForwardedRefSchema),
  serverTime: z.number().int(),
  retryAfterMs: z.number().int().min(0).optional(),
});
export type ForwardResponse = z.infer<typeof ForwardResponseSchema>;
