// The district's HTTP API, version 1: paths, limits, request and response schemas.
//
//   POST /api/v1/enroll   unsigned; the one-time enrollment code is the credential.
//                         EnrollRequest -> 200 EnrollResponse | 400 | 401 {error:'bad-code'} | 413 | 415
//   POST /api/v1/events   signed (signing.ts). EventsRequest -> 200 EventsResponse
//                         | 400 malformed/invalid-schema | 401 unsigned/unknown-station/stale-timestamp/bad-signature
//                         | 403 station-mismatch | 409 replayed | 413 too-large | 415 | 429 rate-limited (Retry-After)
//   GET  /api/v1/time     unsigned. -> 200 TimeResponse
//   GET  /api/v1/openapi.json  unsigned. The OpenAPI 3.1 description of all of this.
//
// Bodies are JSON (`content-type: application/json`, UTF-8). Every reply, errors included, carries
// `serverTime`: the district's clock in ms since the epoch (see signing.ts on clock drift).
// A refused request stores nothing; the whole batch is refused or the whole batch is taken.
// A 200 for events means every event in `accepted` or `duplicates` is durably stored: the station
// may delete them from its outbox. `duplicates` were stored before (by an earlier send, a bundle or
// an earlier event of the same batch with the same id).
import * as z from 'zod';
import { EventSchema, StationIdSchema } from './events';

export const API_PREFIX = '/api/v1';
export const PATHS = {
  enroll: `${API_PREFIX}/enroll`,
  events: `${API_PREFIX}/events`,
  time: `${API_PREFIX}/time`,
  openapi: `${API_PREFIX}/openapi.json`,
} as const;

/** At most this many events in one POST /api/v1/events. */
export const MAX_EVENTS_PER_BATCH = 500;
/** At most this many body bytes in any request; larger ones get 413 before they are read further. */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * At most this many body bytes in any reply the station reads (the largest honest one, 200 fault
 * states with 2,000-character notes, is near 2.5 MB); the station stops reading a longer one and
 * treats it as no answer, signed or not.
 */
export const MAX_REPLY_BYTES = 4 * 1024 * 1024;

/**
 * An Ed25519 public key: the raw 32 bytes, standard base64 with padding (44 characters).
 * In Node: `Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64')`.
 */
export const PublicKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of a raw 32-byte Ed25519 public key');

/** An enrollment code as `station add` prints it: groups of Crockford base32, e.g. `7K3Q-M9XD-2HPA-V4TC`. Case and dashes are ignored. */
export const EnrollmentCodeSchema = z.string().min(8).max(64);

export const EnrollRequestSchema = z.strictObject({
  code: EnrollmentCodeSchema,
  publicKey: PublicKeySchema,
  /** The name the technician sees on the station (informational; the district keeps its own name). */
  stationName: z.string().max(100).optional(),
  appVersion: z.string().min(1).max(50),
});
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;

export const EnrollResponseSchema = z.object({
  stationId: StationIdSchema,
  /** The name and kecamatan the district registered the station under. */
  stationName: z.string(),
  kecamatan: z.string(),
  serverTime: z.number().int(),
  /**
   * The district's own Ed25519 public key (same form as a station's). The station pins it and
   * trusts only replies signed with it (signing.ts, SIAGA1-REPLY); the enrollment reply itself is
   * signed with it too, which proves the district holds the private key.
   */
  districtPublicKey: PublicKeySchema,
});
export type EnrollResponse = z.infer<typeof EnrollResponseSchema>;

export const EventsRequestSchema = z.strictObject({
  events: z.array(EventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});
export type EventsRequest = z.infer<typeof EventsRequestSchema>;

/** Work the district asks of a station, delivered in the events reply. `id` lets the station report it done once. */
export const CommandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('rerun-checks'), id: z.string().min(1).max(64) }),
]);
export type Command = z.infer<typeof CommandSchema>;

/** At most this many fault states in one events reply. */
export const MAX_DISTRICT_FAULTS_PER_REPLY = 200;

/** The district's side of a fault's life (district/board/faults.ts), as staff move it along. */
export const DISTRICT_FAULT_STATES = ['open', 'acknowledged', 'in-repair', 'resolved', 'closed'] as const;

/**
 * Where the district stands on one of the station's faults. `acknowledgedBy` and `assignee` are
 * names of people (staff, technician); `note` is the repair note staff wrote; `updatedAt` is the
 * last time the district's record of the fault changed.
 */
export const DistrictFaultSchema = z.object({
  faultId: z.string().min(1).max(64),
  state: z.enum(DISTRICT_FAULT_STATES),
  acknowledgedBy: z.string().max(200).optional(),
  assignee: z.string().max(200).optional(),
  note: z.string().max(2000).optional(),
  updatedAt: z.string(),
});
export type DistrictFault = z.infer<typeof DistrictFaultSchema>;

export const EventsResponseSchema = z.object({
  /** Ids stored by this request. */
  accepted: z.array(z.string()),
  /** Ids the district already held; stored once, nothing changed. */
  duplicates: z.array(z.string()),
  serverTime: z.number().int(),
  /** The district asks the station to wait at least this long before its next batch (load shedding). */
  retryAfterMs: z.number().int().min(0).optional(),
  commands: z.array(CommandSchema).optional(),
  /**
   * The district's current state of the station's faults that matter now: every one not closed
   * (resolved ones for a week after resolution) and those closed in the last day. Absent when there
   * are none. A station keeps the latest entry per fault; an entry replaces the previous one whole.
   */
  faults: z.array(DistrictFaultSchema).max(MAX_DISTRICT_FAULTS_PER_REPLY).optional(),
});
export type EventsResponse = z.infer<typeof EventsResponseSchema>;

export const TimeResponseSchema = z.object({ serverTime: z.number().int() });
export type TimeResponse = z.infer<typeof TimeResponseSchema>;

/** Machine-readable reasons of a refusal, with the HTTP status each comes with. */
export const ERROR_STATUS = {
  malformed: 400,
  'invalid-schema': 400,
  unsigned: 401,
  'unknown-station': 401,
  'stale-timestamp': 401,
  'bad-signature': 401,
  'bad-code': 401,
  'station-mismatch': 403,
  'not-found': 404,
  replayed: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

export const ErrorResponseSchema = z.object({
  error: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  /** English, for logs and technicians. */
  message: z.string(),
  serverTime: z.number().int(),
  /** With 429 and 503 (also sent as a Retry-After header, in whole seconds). */
  retryAfterMs: z.number().int().min(0).optional(),
});
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
