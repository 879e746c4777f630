// The events a station reports to its district: versioned zod schemas, one per event type.
//
// Contract (PROTOCOL_VERSION 1):
// - Every event is an envelope {v, id, stationId, seq, occurredAt, type, payload}; `type` selects
//   the payload schema (a discriminated union).
// - `id` is a ULID: 26 characters of Crockford base32, the first 10 the creation time in ms, the
//   last 16 randomness. Ids sort by time as plain strings. The district deduplicates by id, so a
//   station re-sends a batch freely (at-least-once delivery) and each event is stored once.
// - `seq` counts a station's events from 1, strictly increasing in the order the station committed
//   them to its outbox; it never repeats, even across restarts. The district uses it to order
//   updates of the same fault (a late, older event never overwrites a newer state).
// - Times are UTC ISO-8601 strings as `Date.prototype.toISOString()` writes them.
// - Objects are strict: an unknown key makes the event invalid (a new field means a new version).
// - Every text field has a maximum length and refuses C0 control characters other than tab, line
//   feed and carriage return (NUL included): SQLite and PostgreSQL then accept exactly the same
//   events (PostgreSQL cannot store NUL in TEXT), and a refusal names the field
//   (e.g. `events.3.payload.message.id`).
import * as z from 'zod';
import { DeviceIdentitySchema, RoleSchema, SeveritySchema, StatusSchema } from './verdict';
import { ANSWERS } from './rules';
import { IsoTimeSchema, wireCount, wireText, WireTextSchema } from './wire-text';
import { ForecastReportedPayloadSchema } from './forecast';

export {
  hasForbiddenControl,
  IsoTimeSchema,
  MAX_MESSAGE_LENGTH,
  MAX_WIRE_COUNT,
  wireCount,
  wireText,
  WireTextSchema,
} from './wire-text';

export const PROTOCOL_VERSION = 1 as const;

/** The device of a fault or an inventory change on the wire (DeviceIdentitySchema, texts checked). */
export const WireDeviceSchema = DeviceIdentitySchema.extend({
  key: wireText(200),
  vendor: wireText(100).optional(),
  model: wireText(100).optional(),
  serialNumber: wireText(100).optional(),
});

/** Crockford base32 alphabet (no I, L, O, U), as ULID uses it. */
export const CROCKFORD_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_LENGTH = 10;
const RANDOM_LENGTH = 16;
/** The largest time a ULID can hold: 2^48 - 1 ms (year 10889). */
export const MAX_EVENT_ID_TIME = 2 ** 48 - 1;

export const EventIdSchema = z
  .string()
  .regex(/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/, 'a ULID: 26 Crockford base32 characters');
/** Assigned by the district at enrollment (e.g. `st-01J...`); the station stores it and sends it back. */
export const StationIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);
/** A machine code as in Verdict.code, e.g. FINGERPRINT_MISSING. */
export const CodeSchema = z
  .string()
  .max(100)
  .regex(/^[A-Z][A-Z0-9_]*$/);
export const RoleStatusSchema = z.partialRecord(RoleSchema, StatusSchema);
export type RoleStatus = z.infer<typeof RoleStatusSchema>;

/**
 * A new event id for time `nowMs` (ms since the epoch), drawing randomness from `random`
 * (values in [0, 1), e.g. `() => crypto.randomInt(2 ** 32) / 2 ** 32` on the station).
 * Ids of different milliseconds sort by time; within one millisecond their order is random:
 * use `monotonicEventIds` where the order of ids must follow the order of creation.
 */
export function newEventId(nowMs: number, random: () => number): string {
  return encodeTime(nowMs) + randomPart(random);
}

/**
 * An id generator whose ids strictly increase even within one millisecond or when the clock steps
 * back (it then keeps the last time and increments the random part, as the ULID spec's monotonic mode;
 * on the practically impossible overflow it moves on to the next millisecond).
 */
export function monotonicEventIds(random: () => number): (nowMs: number) => string {
  let lastTime = -1;
  let lastRandom: number[] = [];
  return (nowMs: number): string => {
    if (nowMs > lastTime) {
      lastTime = nowMs;
      lastRandom = Array.from({ length: RANDOM_LENGTH }, () => randomDigit(random));
    } else {
      const incremented = incrementBase32(lastRandom);
      if (incremented === null) {
        // 2^80 ids in one millisecond cannot happen with real randomness; borrow the next millisecond.
        lastTime = Math.min(lastTime + 1, MAX_EVENT_ID_TIME);
        lastRandom = Array.from({ length: RANDOM_LENGTH }, () => 0);
      } else {
        lastRandom = incremented;
      }
    }
    return encodeTime(lastTime) + lastRandom.map((digit) => CROCKFORD_ALPHABET[digit]).join('');
  };
}

/** The creation time (ms since the epoch) encoded in an event id. */
export function eventIdTime(id: string): number {
  let time = 0;
  for (const character of id.slice(0, TIME_LENGTH)) {
    const digit = CROCKFORD_ALPHABET.indexOf(character);
    if (digit < 0) {
      throw new Error(`not an event id: ${id}`);
    }
    time = time * 32 + digit;
  }
  return time;
}

function encodeTime(nowMs: number): string {
  if (!Number.isInteger(nowMs) || nowMs < 0 || nowMs > MAX_EVENT_ID_TIME) {
    throw new RangeError(`event id time out of range: ${nowMs}`);
  }
  let rest = nowMs;
  let text = '';
  for (let index = 0; index < TIME_LENGTH; index++) {
    text = CROCKFORD_ALPHABET[rest % 32] + text;
    rest = Math.floor(rest / 32);
  }
  return text;
}

function randomDigit(random: () => number): number {
  const value = Math.floor(random() * 32);
  return Math.min(31, Math.max(0, Number.isFinite(value) ? value : 0));
}

function randomPart(random: () => number): string {
  let text = '';
  for (let index = 0; index < RANDOM_LENGTH; index++) {
    text += CROCKFORD_ALPHABET[randomDigit(random)];
  }
  return text;
}

/** The next base32 number of the same length; null when all digits were 31. */
function incrementBase32(digits: readonly number[]): number[] | null {
  const next = [...digits];
  for (let index = next.length - 1; index >= 0; index--) {
    if (next[index] < 31) {
      next[index]++;
      return next;
    }
    next[index] = 0;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Payloads

export const StationStartedPayloadSchema = z.strictObject({
  appVersion: wireText(50).min(1),
  /** `process.platform` and release, e.g. `win32 10.0.19045`. */
  platform: wireText(100),
  hostname: wireText(255),
  /** The roles the station profile expects. */
  expectedRoles: z.array(RoleSchema).max(20),
});
export type StationStartedPayload = z.infer<typeof StationStartedPayloadSchema>;

export const HeartbeatPayloadSchema = z.strictObject({
  /** Worst current status per expected role. */
  roleStatus: RoleStatusSchema,
  /** `recording === 'yes'`; kept for districts that predate `recording`. */
  canRecord: z.boolean(),
  /** `printing === 'yes'`; kept for districts that predate `printing`. */
  canPrint: z.boolean(),
  /**
   * What the station's kiosk shows, by the shared rule (protocol/rules.ts): the district takes it
   * as the station's word. `not-checked`: the profile has no such role, or nothing was checked yet.
   * Absent from older stations (the district then reads canRecord / canPrint).
   */
  recording: z.enum(ANSWERS).optional(),
  printing: z.enum(ANSWERS).optional(),
  appVersion: wireText(50).min(1),
  /** Events waiting in the station's outbox when this heartbeat was written (this one excluded). */
  queueDepth: wireCount(),
  /** When the last full check finished; null before the first. */
  lastCheckAt: IsoTimeSchema.nullable(),
  /** The station's estimate of (district clock - station clock) in ms, from `serverTime` replies; null if unknown. */
  clockOffsetMs: z.number().int().nullable().optional(),
  /**
   * The ids of every fault open at the station when this heartbeat was written. The district
   * closes its open faults of the station that are older (lower seq) and not listed ("closed by
   * reconciliation"), e.g. after the station's store was replaced. Absent from older stations.
   */
  openFaultIds: z.array(wireText(128).min(1)).max(1000).optional(),
});
export type HeartbeatPayload = z.infer<typeof HeartbeatPayloadSchema>;

/** The same payload for fault.opened, fault.updated and fault.resolved: the fault's full state after the transition. */
export const FaultPayloadSchema = z.strictObject({
  /** Stable id of this fault on the station (one per opening; a reopened fault gets a new id and `recurring`). */
  faultId: wireText(128).min(1),
  role: RoleSchema,
  /** The device concerned; null when there is none (e.g. the network link, a role with no device at all). */
  device: WireDeviceSchema.nullable(),
  code: CodeSchema,
  severity: SeveritySchema,
  /** The verdict status that keeps the fault open (fault or warning); `ok` in fault.resolved. */
  status: StatusSchema,
  message: WireTextSchema,
  firstSeen: IsoTimeSchema,
  lastSeen: IsoTimeSchema,
  /** How many failing checks this fault has seen so far (>= 1). */
  occurrences: wireCount(1),
  /** The fault toggles often (one fault, not a storm of them). */
  flapping: z.boolean(),
  /** The fault came back soon after a repair or resolution. */
  recurring: z.boolean(),
});
export type FaultPayload = z.infer<typeof FaultPayloadSchema>;

export const RibbonSchema = z.strictObject({
  /** Ribbon or supply name as the printer reports it, e.g. `YMCKO`. */
  name: wireText(100).min(1),
  /** What is left, in `unit`. */
  remaining: z.number().min(0),
  /** `prints`: card images left; `percent`: the printer's marker level (0-100). */
  unit: z.enum(['prints', 'percent']),
});
export type Ribbon = z.infer<typeof RibbonSchema>;

export const ConsumablesPayloadSchema = z.strictObject({
  /** Blank e-KTP cards in stock at the station, as counted by the operator. */
  blankCards: wireCount(),
  ribbons: z.array(RibbonSchema).max(20),
});
export type ConsumablesPayload = z.infer<typeof ConsumablesPayloadSchema>;

export const DailyCheckStepSchema = z.strictObject({
  /** Stable step id, e.g. `camera-look`, `fingerprint-place`. */
  id: wireText(64).min(1),
  status: StatusSchema,
  note: wireText(1000).optional(),
});
export type DailyCheckStep = z.infer<typeof DailyCheckStepSchema>;

export const DailyCheckPayloadSchema = z.strictObject({
  operatorName: wireText(100).min(1),
  /** NIP: an Indonesian civil servant's 18-digit employee number. */
  operatorNip: z.string().regex(/^\d{18}$/),
  steps: z.array(DailyCheckStepSchema).max(100),
  roleStatus: RoleStatusSchema,
  consumables: ConsumablesPayloadSchema,
});
export type DailyCheckPayload = z.infer<typeof DailyCheckPayloadSchema>;

export const InventoryItemSchema = z.strictObject({
  /** The role the device fills; null for a device the profile does not expect. */
  role: RoleSchema.nullable(),
  device: WireDeviceSchema,
});
export type InventoryItem = z.infer<typeof InventoryItemSchema>;

export const InventoryPayloadSchema = z.strictObject({
  added: z.array(InventoryItemSchema).max(200),
  removed: z.array(InventoryItemSchema).max(200),
});
export type InventoryPayload = z.infer<typeof InventoryPayloadSchema>;

export const InventoryDeviceSchema = z.strictObject({
  /** The role the device fills; null for a device the profile does not expect. */
  role: RoleSchema.nullable(),
  device: WireDeviceSchema,
  /** The profile's serial number for the role when this device is another unit standing in for it. */
  replacesSerialNumber: wireText(100).min(1).optional(),
});
export type InventoryDevice = z.infer<typeof InventoryDeviceSchema>;

/**
 * The station's whole device inventory as seen now (a snapshot, not a change): sent at start and
 * whenever it changes. A device of the station's earlier snapshots that is not in it was removed.
 */
export const InventoryReportedPayloadSchema = z.strictObject({
  devices: z.array(InventoryDeviceSchema).max(200),
});
export type InventoryReportedPayload = z.infer<typeof InventoryReportedPayloadSchema>;

// ---------------------------------------------------------------------------------------------
// Envelope and union

export const EVENT_TYPES = [
  'station.started',
  'heartbeat',
  'fault.opened',
  'fault.updated',
  'fault.resolved',
  'daily-check.completed',
  'inventory.changed',
  'inventory.reported',
  'consumables.reported',
  'forecast.reported',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const FAULT_EVENT_TYPES = ['fault.opened', 'fault.updated', 'fault.resolved'] as const;

function envelope<const Type extends EventType, Payload extends z.ZodType>(type: Type, payload: Payload) {
  return z.strictObject({
    v: z.literal(PROTOCOL_VERSION),
    id: EventIdSchema,
    stationId: StationIdSchema,
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    occurredAt: IsoTimeSchema,
    type: z.literal(type),
    payload,
  });
}

export const StationStartedEventSchema = envelope('station.started', StationStartedPayloadSchema);
export const HeartbeatEventSchema = envelope('heartbeat', HeartbeatPayloadSchema);
export const FaultOpenedEventSchema = envelope('fault.opened', FaultPayloadSchema);
export const FaultUpdatedEventSchema = envelope('fault.updated', FaultPayloadSchema);
export const FaultResolvedEventSchema = envelope('fault.resolved', FaultPayloadSchema);
export const DailyCheckCompletedEventSchema = envelope('daily-check.completed', DailyCheckPayloadSchema);
export const InventoryChangedEventSchema = envelope('inventory.changed', InventoryPayloadSchema);
export const InventoryReportedEventSchema = envelope('inventory.reported', InventoryReportedPayloadSchema);
export const ConsumablesReportedEventSchema = envelope('consumables.reported', ConsumablesPayloadSchema);
export const ForecastReportedEventSchema = envelope('forecast.reported', ForecastReportedPayloadSchema);

export const EventSchema = z.discriminatedUnion('type', [
  StationStartedEventSchema,
  HeartbeatEventSchema,
  FaultOpenedEventSchema,
  FaultUpdatedEventSchema,
  FaultResolvedEventSchema,
  DailyCheckCompletedEventSchema,
  InventoryChangedEventSchema,
  InventoryReportedEventSchema,
  ConsumablesReportedEventSchema,
  ForecastReportedEventSchema,
]);
export type Event = z.infer<typeof EventSchema>;
export type FaultEvent = Extract<Event, { type: (typeof FAULT_EVENT_TYPES)[number] }>;
/** The payload type of one event type, e.g. `PayloadOf<'heartbeat'>`. */
export type PayloadOf<Type extends EventType> = Extract<Event, { type: Type }>['payload'];

export function isFaultEvent(event: Event): event is FaultEvent {
  return (FAULT_EVENT_TYPES as readonly string[]).includes(event.type);
}
