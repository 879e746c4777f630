// The dashboard's JSON API (district/server/routes/api/dash, /api/public/board): the shape of every
// answer, and the zod schema of every request body with its type inferred, written once. The server
// validates bodies with these schemas; the browser (district/web) sends exactly the `...Request`
// types (`z.input`: fields with a default may be left out). Pure: nothing here may import Node or
// server code.
import * as z from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './dash-paging';
import type { Ribbon } from '../protocol/events';
import type { Answer } from '../protocol/rules';
import type { ForecastCode, Series } from '../protocol/forecast';
import { RoleSchema, SeveritySchema } from '../protocol/verdict';
import type { Role, Status, Text } from '../protocol/verdict';

// ---- Limits of what lists and the board answer ----

/** Free texts in lists and on the board are cut to this many characters; the fault page shows them whole. */
export const LISTED_TEXT_MAX = 500;
/** Active faults per station on the board; the rest are counted in `StationStatus.hiddenFaults`. */
export const BOARD_FAULTS_PER_STATION = 50;
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './dash-paging';

/** `?limit=&offset=` of every list (faults, devices, loans, audit log): at most MAX_PAGE_SIZE rows a request. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});
export type Page = z.infer<typeof PageQuerySchema>;

/** `text` cut to `max` characters, the last being an ellipsis (never half a surrogate pair). */
export function clipText(text: string, max: number = LISTED_TEXT_MAX): string {
  if (text.length <= max) {
    return text;
  }
  let cut = text.slice(0, max - 1);
  if (/[\uD800-\uDBFF]$/.test(cut)) {
    cut = cut.slice(0, -1);
  }
  return `${cut}\u2026`;
}

// ---- Staff and sessions (auth/) ----

export const STAFF_ROLES = ['viewer', 'technician', 'admin'] as const;
export const StaffRoleSchema = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** POST /api/dash/login. */
export const LoginRequestSchema = z.strictObject({
  username: z.string().min(1).max(50),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.input<typeof LoginRequestSchema>;

/** POST /api/dash/users (admin). */
export const NewUserRequestSchema = z.strictObject({
  username: z.string().min(2).max(50),
  name: z.string().max(100).default(''),
  email: z.email().max(254).nullable().default(null),
  role: StaffRoleSchema,
  password: z.string().min(1).max(200),
});
export type NewUserRequest = z.input<typeof NewUserRequestSchema>;

export interface User {
  id: string;
  username: string;
  name: string;
  email: string | null;
  role: StaffRole;
  /** Which districts the user works on (tenancy/scope.ts); the role applies within it. */
  scope: Scope;
}

/** One district, the districts of one province, or every district (codes as in the districts table). */
export type Scope =
  | { level: 'national' }
  | { level: 'province'; code: string }
  | { level: 'district'; code: string };

/** GET /api/dash/session and POST /api/dash/login. */
export interface SessionInfo {
  user: User;
  /** Sent back in the `x-csrf-token` header of every state-changing request. */
  csrfToken: string;
  expiresAt: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  username: string | null;
  action: string;
  target: string;
  detail: unknown;
  ip: string | null;
  /** The staff member's display name and role at the time of reading (null: no such user any more). */
  actorName?: string | null;
  actorRole?: StaffRole | null;
  /** The station the action concerns (faults, loans), for a sentence with names instead of ids. */
  station?: { name: string; kecamatan: string } | null;
  /** The device role of the fault the action concerns. */
  faultRole?: string | null;
}

/** GET /api/dash/assignees (technician): who a fault's repair can be assigned to. */
export interface Assignee {
  username: string;
  name: string;
  role: StaffRole;
}

// ---- Faults (faults/repository.ts, faults/lifecycle.ts, faults/history.ts) ----

export type FaultState = 'open' | 'acknowledged' | 'in-repair' | 'resolved' | 'closed';

export interface FaultDevice {
  key: string;
  vendor?: string;
  model?: string;
  serialNumber?: string;
}

/** Where a fault is and what it is: how every listing of faults begins. */
export interface FaultHeading {
  stationId: string;
  stationName: string;
  kecamatan: string;
  faultId: string;
  role: string;
  code: string;
  severity: string;
}

export interface FaultView extends FaultHeading {
  state: FaultState;
  message: Text;
  device: FaultDevice | null;
  firstSeen: string;
  lastSeen: string;
  resolvedAt: string | null;
  occurrences: number;
  flapping: boolean;
  recurring: boolean;
  reopenCount: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  assignee: string | null;
  repairNote: string | null;
  closedAt: string | null;
  closedBy: string | null;
  /** Hours since the station first saw it, to now (or to its resolution). */
  ageHours: number;
}

export type HistoryKind =
  | 'opened'
  | 'updated'
  | 'resolved'
  | 'reopened'
  | 'acknowledged'
  | 'in-repair'
  | 'verification-requested'
  | 'closed';

export interface HistoryEntry {
  at: string;
  kind: HistoryKind;
  /** The staff username for district actions; null for the station's own reports. */
  actor: string | null;
  detail: Record<string, unknown>;
}

export interface FaultDetail extends FaultView {
  history: HistoryEntry[];
  verificationPending: boolean;
  /** Active, of a recording role and not usable (protocol/rules.ts): a loan can fill the gap. */
  blocksRecording: boolean;
  /**
   * The name of the district whose own Siaga server forwards this station (docs/peering.md), or
   * null for this service's own: a forwarded fault is read-only here (writes answer 409 `forwarded`).
   */
  forwardedFrom: string | null;
}

/** POST /api/dash/faults/:stationId/:faultId/actions. */
export const FaultActionRequestSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('acknowledge') }),
  z.strictObject({
    type: z.literal('repair'),
    assignee: z.string().trim().min(1).max(100),
    note: z.string().max(1000).default(''),
  }),
  z.strictObject({ type: z.literal('verify') }),
  z.strictObject({ type: z.literal('close'), note: z.string().max(1000).default('') }),
  z.strictObject({ type: z.literal('reopen'), note: z.string().max(1000).default('') }),
]);
export type FaultActionRequest = z.input<typeof FaultActionRequestSchema>;
/** A fault action as the server applies it (defaults filled in). */
export type FaultAction = z.infer<typeof FaultActionRequestSchema>;

// ---- The board (stations/board.ts) ----

/**
 * What the district knows of a station now. Liveness is the district's own receive time of the
 * station's heartbeats, never the station's clock.
 * - `can-record`: heard within the heartbeat window, and its last heartbeat says it can record;
 * - `cannot-record`: heard within the window, and a recording role is not ok;
 * - `no-news`: silent past the window during the office's service hours (counted as unable to record);
 * - `closed`: silent outside the office's service hours (not a problem);
 * - `not-active`: added but never enrolled (listed apart; counted nowhere).
 */
export type StationState = 'can-record' | 'cannot-record' | 'no-news' | 'closed' | 'not-active';

/** A kecamatan now: `closed` outside its service hours, else the best of its stations (no-news before cannot-record). */
export type KecamatanState = 'can-record' | 'cannot-record' | 'no-news' | 'closed';

export interface StationProblem {
  role: string;
  /** The role's status in the last heartbeat; `fault` when only an open fault tells. */
  status: Status;
  /** Whether the problem stops recording (a recording role) or printing (the card printer). */
  blocks: 'recording' | 'printing' | null;
  fault: FaultView | null;
}

export interface StationStatus {
  stationId: string;
  name: string;
  kecamatan: string;
  enrolled: boolean;
  state: StationState;
  /** When the district last received a heartbeat from it (the district's clock); null: never. */
  lastHeardAt: string | null;
  /** The station's own time (`occurredAt`) of that heartbeat, for its history; null: never. */
  lastHeartbeatAt: string | null;
  /**
   * Measured district clock minus station clock in ms (receive time minus the heartbeat's
   * `occurredAt`, delivery delay included: a few seconds is normal). Positive: the station's clock
   * is behind. Null before the first heartbeat received live.
   */
  clockOffsetMs: number | null;
  /** Silent past the heartbeat window (or never heard from). */
  silent: boolean;
  /** Not silent and the station's own answer (protocol/rules.ts) is yes. */
  canRecord: boolean;
  canPrint: boolean;
  /** The station's answers as its kiosk shows them; `not-checked` while silent or never checked. */
  recording: Answer;
  printing: Answer;
  appVersion: string | null;
  queueDepth: number | null;
  /** At most BOARD_FAULTS_PER_STATION with a fault, the most severe first. */
  problems: StationProblem[];
  activeFaults: number;
  /** Active faults beyond BOARD_FAULTS_PER_STATION, not in `problems` ("... and N more"). */
  hiddenFaults: number;
  /** The station's forecasts (amber warnings, never faults), fewest days left first; at most BOARD_FORECASTS_PER_STATION. */
  forecasts: ForecastView[];
  /** Forecasts beyond BOARD_FORECASTS_PER_STATION (on the forecast page). */
  hiddenForecasts: number;
}

export interface KecamatanStatus {
  name: string;
  state: KecamatanState;
  /** At least one station here can record (its equipment; the office may still be closed). */
  canRecord: boolean;
  canPrint: boolean;
  stationsAbleToRecord: number;
  /** Within its service hours now. */
  open: boolean;
  /** When the office next opens (ISO); null while open, or when it has no service hours at all. */
  nextOpening: string | null;
  /**
   * The newest `lastHeardAt` of its stations; in state `no-news`, of its silent stations only (when
   * the silence began). Null: none of them ever heard.
   */
  lastHeardAt: string | null;
  stations: StationStatus[];
}

/** A station added but never enrolled: on no board, in no figure. */
export interface InactiveStation {
  stationId: string;
  name: string;
  kecamatan: string;
  createdAt: string;
}

/**
 * The line at the top of the board and the public page: "3 of 4 kecamatan can record now;
 * cannot: Tangen". Names in `cannot` (state cannot-record), then `noNews`, each by name.
 */
export interface BoardSummary {
  /** Kecamatan in state `can-record`. */
  canRecord: number;
  /** Kecamatan with at least one enrolled station. */
  total: number;
  cannot: string[];
  noNews: string[];
  closed: string[];
  /** The moment these states hold for (the district's clock). */
  dataAt: string;
}

export interface Board {
  generatedAt: string;
  heartbeatWindowMs: number;
  timeZone: TimeZoneName;
  summary: BoardSummary;
  /** By name; the summary names the ones that cannot record first. */
  kecamatan: KecamatanStatus[];
  notActive: InactiveStation[];
  /**
   * The district's own forecasts, shown with the summary (blank cards running out at a station),
   * fewest days left first; at most BOARD_DISTRICT_FORECASTS. Never on the public board.
   */
  districtForecasts: ForecastView[];
  hiddenDistrictForecasts: number;
}

/** What residents may see: per kecamatan whether recording is possible now, or when the office opens. */
export interface PublicKecamatan {
  name: string;
  state: KecamatanState;
  canRecord: boolean;
  nextOpening: string | null;
  lastHeardAt: string | null;
}

export interface PublicBoard {
  generatedAt: string;
  timeZone: TimeZoneName;
  summary: BoardSummary;
  /** By name (as the board); /publik lists those that cannot record first. */
  kecamatan: PublicKecamatan[];
}

// ---- Service hours (calendar/) ----

/** The district's time zone by its Indonesian name; none has daylight saving time. */
export const TIME_ZONES = { WIB: 'Asia/Jakarta', WITA: 'Asia/Makassar', WIT: 'Asia/Jayapura' } as const;
export type TimeZoneName = keyof typeof TIME_ZONES;
export const TimeZoneNameSchema = z.enum(['WIB', 'WITA', 'WIT']);

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `HH:MM-HH:MM` in local time, opening before closing; `24:00` closes at midnight. */
export const OpeningHoursSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'opening hours are HH:MM-HH:MM')
  .refine((text) => text.slice(0, 5) < text.slice(6), 'opening hours must open before they close');

/** Opening ranges a day at most (a morning and an afternoon are two). */
export const MAX_OPENING_RANGES_A_DAY = 4;
const DaySchema = z.array(OpeningHoursSchema).max(MAX_OPENING_RANGES_A_DAY);
/** Opening hours per weekday; an empty list: closed all day. */
export const ServiceWeekSchema = z.strictObject({
  mon: DaySchema,
  tue: DaySchema,
  wed: DaySchema,
  thu: DaySchema,
  fri: DaySchema,
  sat: DaySchema,
  sun: DaySchema,
});
export type ServiceWeek = z.infer<typeof ServiceWeekSchema>;

/** A kecamatan's name wherever staff type it (station add, service hours, closed days): trimmed, 1 to 100 characters. */
export const KECAMATAN_NAME_MAX_LENGTH = 100;
export const KecamatanNameSchema = z.string().trim().min(1).max(KECAMATAN_NAME_MAX_LENGTH);
export const CLOSED_DAY_NOTE_MAX_LENGTH = 200;
export const ClosedDayNoteSchema = z.string().trim().max(CLOSED_DAY_NOTE_MAX_LENGTH);

/** A calendar date `YYYY-MM-DD` (local). */
export const LocalDateSchema = z.iso.date();

export interface ClosedDay {
  date: string;
  /** Null: the whole district (a holiday); else that kecamatan's office only. */
  kecamatan: string | null;
  note: string;
}

/** GET /api/dash/calendar. */
export interface ServiceCalendar {
  timeZone: TimeZoneName;
  /** The district's week (Monday to Friday 08:00-15:00 unless set). */
  district: ServiceWeek;
  /** Kecamatan with a week of their own; the others follow the district's. */
  kecamatan: { name: string; week: ServiceWeek }[];
  closedDays: ClosedDay[];
}

/** POST /api/dash/calendar/time-zone (admin). */
export const TimeZoneRequestSchema = z.strictObject({ timeZone: TimeZoneNameSchema });
export type TimeZoneRequest = z.input<typeof TimeZoneRequestSchema>;

/** POST /api/dash/calendar/hours (admin): kecamatan null sets the district's week; week null returns to the default. */
export const ServiceHoursRequestSchema = z.strictObject({
  kecamatan: KecamatanNameSchema.nullable().default(null),
  week: ServiceWeekSchema.nullable(),
});
export type ServiceHoursRequest = z.input<typeof ServiceHoursRequestSchema>;

/** POST /api/dash/calendar/closed-days (admin): add (or with `remove`, delete) a closed day. */
export const ClosedDayRequestSchema = z.strictObject({
  date: LocalDateSchema,
  kecamatan: KecamatanNameSchema.nullable().default(null),
  note: ClosedDayNoteSchema.default(''),
  remove: z.boolean().default(false),
});
export type ClosedDayRequest = z.input<typeof ClosedDayRequestSchema>;

// ---- Inventory and loans (inventory/) ----

export type DeviceStatus = 'installed' | 'spare' | 'removed';

export interface DeviceView {
  id: string;
  serialNumber: string | null;
  vendor: string | null;
  model: string | null;
  role: string | null;
  deviceKey: string | null;
  status: DeviceStatus;
  /** null: on the district's shelf (a spare) or removed with no known place. */
  stationId: string | null;
  stationName: string | null;
  kecamatan: string | null;
  /** False while an open, acknowledged or in-repair fault names this device at its station. */
  working: boolean;
  /** The open loan (pinjam pakai) this device is on, if any. */
  loanId: string | null;
  updatedAt: string;
  note: string | null;
}

export interface LoanView {
  id: string;
  deviceId: string;
  serialNumber: string | null;
  vendor: string | null;
  model: string | null;
  role: string | null;
  fromStationId: string | null;
  fromStationName: string | null;
  fromKecamatan: string | null;
  toStationId: string;
  toStationName: string;
  toKecamatan: string;
  startsOn: string;
  dueOn: string;
  returnedOn: string | null;
  /** The letter number (nomor surat) of the loan. */
  reference: string;
  purpose: string;
  createdBy: string;
  createdAt: string;
}

/** POST /api/dash/inventory/spares: a spare on the district's shelf. */
export const NewSpareRequestSchema = z.strictObject({
  serialNumber: z.string().trim().min(1).max(100),
  vendor: z.string().trim().min(1).max(100),
  model: z.string().trim().min(1).max(100),
  role: RoleSchema.nullable().default(null),
  note: z.string().max(1000).default(''),
});
export type NewSpareRequest = z.input<typeof NewSpareRequestSchema>;

/** POST /api/dash/inventory/loans: lend a device to a station (dates YYYY-MM-DD). */
export const NewLoanRequestSchema = z.strictObject({
  deviceId: z.string().min(1).max(300),
  toStationId: z.string().min(1).max(64),
  startsOn: z.string().max(10),
  dueOn: z.string().max(10),
  reference: z.string().trim().min(1).max(100),
  purpose: z.string().trim().min(1).max(1000),
});
export type NewLoanRequest = z.input<typeof NewLoanRequestSchema>;

/** POST /api/dash/inventory/loans/:loanId/return. */
export const LoanReturnRequestSchema = z.strictObject({ returnedOn: z.string().max(10) });
export type LoanReturnRequest = z.input<typeof LoanReturnRequestSchema>;

// ---- Loan suggestions and the map of offices (inventory/loan-suggestions.ts, inventory/offices.ts) ----

/** Latitude and longitude of an office, degrees (WGS 84), within Indonesia (with a margin). */
export const LATITUDE_RANGE = { min: -11.5, max: 6.5 } as const;
export const LONGITUDE_RANGE = { min: 94, max: 141.5 } as const;
export const MAX_TECHNICIAN_EMAILS = 10;

/** An office: a kecamatan's, or (kecamatan null) the district office where the spares are kept. */
export interface OfficeView {
  kecamatan: string | null;
  latitude: number | null;
  longitude: number | null;
  /** Who is told when a device leaves or reaches a station of this kecamatan (or the district's shelf). */
  technicianEmails: string[];
  updatedAt: string | null;
}

/** A row of the distance table: what the district knows of the trip between two offices. */
export interface DistanceView {
  /** Null: the district office. */
  from: string | null;
  to: string | null;
  roadKm: number | null;
  minutes: number | null;
  updatedAt: string;
}

/** GET /api/dash/offices: every kecamatan with a station (set or not), the district office, the table. */
export interface OfficeMap {
  offices: OfficeView[];
  distances: DistanceView[];
  /** The estimate used where the table has no entry: great-circle km x roadFactor, at speedKmh. */
  roadFactor: number;
  speedKmh: number;
}

/** POST /api/dash/offices (admin): an office's coordinates and technicians (kecamatan null: the district office). */
export const OfficeRequestSchema = z.strictObject({
  kecamatan: KecamatanNameSchema.nullable().default(null),
  latitude: z
    .number({ error: 'harus angka / must be a number' })
    .min(
      LATITUDE_RANGE.min,
      `harus antara ${LATITUDE_RANGE.min} dan ${LATITUDE_RANGE.max} (Indonesia) / must be within Indonesia`,
    )
    .max(
      LATITUDE_RANGE.max,
      `harus antara ${LATITUDE_RANGE.min} dan ${LATITUDE_RANGE.max} (Indonesia) / must be within Indonesia`,
    )
    .nullable(),
  longitude: z
    .number({ error: 'harus angka / must be a number' })
    .min(
      LONGITUDE_RANGE.min,
      `harus antara ${LONGITUDE_RANGE.min} dan ${LONGITUDE_RANGE.max} (Indonesia) / must be within Indonesia`,
    )
    .max(
      LONGITUDE_RANGE.max,
      `harus antara ${LONGITUDE_RANGE.min} dan ${LONGITUDE_RANGE.max} (Indonesia) / must be within Indonesia`,
    )
    .nullable(),
  technicianEmails: z
    .array(z.email({ error: 'bukan alamat email / not an email address' }).max(254))
    .max(MAX_TECHNICIAN_EMAILS)
    .default([]),
});
export type OfficeRequest = z.input<typeof OfficeRequestSchema>;

/** POST /api/dash/offices/distances (admin): set (or with `remove`, delete) one entry of the table. */
export const DistanceRequestSchema = z.strictObject({
  from: KecamatanNameSchema.nullable(),
  to: KecamatanNameSchema.nullable(),
  roadKm: z
    .number({ error: 'harus angka / must be a number' })
    .positive('harus lebih dari 0 / must be more than 0')
    .max(2000, 'paling banyak 2000 km / at most 2000 km')
    .nullable()
    .default(null),
  minutes: z
    .number({ error: 'harus angka / must be a number' })
    .int('menit bulat / whole minutes')
    .positive('harus lebih dari 0 / must be more than 0')
    .max(10_000, 'paling banyak 10000 menit / at most 10000 minutes')
    .nullable()
    .default(null),
  remove: z.boolean().default(false),
});
export type DistanceRequest = z.input<typeof DistanceRequestSchema>;

/**
 * How far a candidate is from the station that needs it, between kecamatan offices: from the
 * district's table (`table`), or great-circle km x the road factor (`estimate`, shown "perkiraan"),
 * or `unknown` when an office has no coordinates (ranked last).
 */
export interface Travel {
  source: 'same-kecamatan' | 'table' | 'estimate' | 'unknown';
  /** Road km (table, or the estimate's); null when only minutes are known or nothing is. */
  km: number | null;
  /** Travel minutes (table, else km at speedKmh); null when unknown. The ranking key. */
  minutes: number | null;
  /** Whether the minutes come from the table (false: derived from km). */
  minutesFromTable: boolean;
  /** The straight line between the two offices, km, when both have coordinates. */
  straightKm: number | null;
}

/**
 * Why a station's device can be spared today: its office is closed today (calendar), or another
 * station of its kecamatan can record now so the kecamatan keeps recording.
 */
export type LoanSourceKind = 'spare' | 'closed-today' | 'idle';

export interface LoanCandidate {
  rank: number;
  kind: LoanSourceKind;
  device: DeviceView;
  /** The station giving the device; null for a spare (the district's shelf). */
  fromStation: { stationId: string; name: string; kecamatan: string; state: StationState } | null;
  /** For `idle`: the stations of the same kecamatan that can record now. */
  stillRecording: string[];
  travel: Travel;
  condition: {
    /** The device's own open warnings (an open fault excludes it). */
    warnings: { faultId: string; code: string; message: Text; since: string }[];
    /** The role's status in its station's last heartbeat, and when; null for a spare or never reported. */
    lastVerdict: { status: Status; at: string } | null;
  };
  history: {
    /** Faults of this device that are over, newest first (at most 5), and how many in all. */
    earlierFaults: { code: string; firstSeen: string; resolvedAt: string | null; kecamatan: string }[];
    earlierFaultCount: number;
    /** Its loans, newest first (at most 5), and how many in all. */
    loans: {
      id: string;
      reference: string;
      startsOn: string;
      returnedOn: string | null;
      toKecamatan: string;
    }[];
    loanCount: number;
  };
}

/** GET /api/dash/faults/:stationId/:faultId/loan-suggestions. */
export interface LoanSuggestions {
  fault: FaultHeading;
  /** The district's local date the suggestions are for. */
  today: string;
  candidates: LoanCandidate[];
  roadFactor: number;
  speedKmh: number;
  /** Kecamatan (null: the district office) without coordinates: distances from them are unknown. */
  officesWithoutCoordinates: (string | null)[];
}

/** POST /api/dash/faults/:stationId/:faultId/loan-suggestions/accept (technician). */
export const AcceptLoanRequestSchema = z.strictObject({
  deviceId: z.string().min(1).max(300),
  dueOn: LocalDateSchema,
  /** The letter number (nomor surat) of the loan. */
  reference: z.string().trim().min(1).max(100),
  purpose: z.string().trim().max(1000).default(''),
});
export type AcceptLoanRequest = z.input<typeof AcceptLoanRequestSchema>;

export interface AcceptedLoan {
  loan: LoanView;
  /** Addresses the notice reached (the SMTP server accepted it). */
  notified: string[];
  /** Addresses it did not reach, with the reason. */
  notDelivered: { email: string; reason: string }[];
  /** Offices (null: the district office) that have no technician email: nobody there was told. */
  officesWithoutEmail: (string | null)[];
}

// ---- Consumables (consumables/stock.ts) ----

export interface StockLevel {
  remaining: number;
  /** Used per day over the rate window (restocking ignored); null with fewer than two reports. */
  perDay: number | null;
  /** remaining / perDay; null when nothing is being used or the rate is unknown. */
  daysLeft: number | null;
  low: boolean;
}

export interface StationStock {
  stationId: string;
  stationName: string;
  kecamatan: string;
  reportedAt: string | null;
  blankCards: StockLevel | null;
  ribbons: (StockLevel & { name: string; unit: Ribbon['unit'] })[];
  low: boolean;
}

// ---- Figures (figures/report.ts) ----

export interface MonthFigures {
  /** `YYYY-MM` in local time. */
  month: string;
  /** Kecamatan name -> hours no station there could record. */
  hoursUnable: Record<string, number>;
  faultsOpened: number;
  /** Mean hours from a station first seeing a fault to its acknowledgement; null without any. */
  meanHoursToAcknowledge: number | null;
  /** Mean hours from first seen to the station's checks passing again; null without any. */
  meanHoursToRepair: number | null;
}

export interface Figures {
  generatedAt: string;
  kecamatan: string[];
  /** Oldest first; the last is the current month (up to now). */
  months: MonthFigures[];
}

// ---- Escalation letters (escalation/letter/) ----

/** Where an escalation letter goes: the province's Disdukcapil or the ministry's directorate general. */
export const LETTER_RECIPIENTS = ['province', 'directorate'] as const;
export type LetterRecipient = (typeof LETTER_RECIPIENTS)[number];
export const LETTER_URGENCIES = ['Biasa', 'Penting', 'Segera', 'Sangat Segera'] as const;

/** A letterhead logo: a PNG or JPEG file as base64, at most this many bytes once decoded. */
export const LETTER_LOGO_MAX_BYTES = 256 * 1024;

/** Tokens of a letter number pattern: `{n}` the running number of the year, `{year}`, `{month}` (01-12), `{roman}` (I-XII). */
export const LETTER_NUMBER_TOKENS = ['{n}', '{year}', '{month}', '{roman}'] as const;

const required = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'Wajib diisi (required)')
    .max(max, `Paling banyak ${max} karakter (at most ${max} characters)`);
const optional = (max: number) =>
  z.string().trim().max(max, `Paling banyak ${max} karakter (at most ${max} characters)`).default('');
/** No control characters in a one-line field of the letter (a tab or newline would break its layout). */
const oneLine = (schema: z.ZodType<string>) =>
  schema.refine(
    (text) => !/\p{Cc}/u.test(text),
    'Tanpa karakter kendali atau baris baru (one line, no control characters)',
  );

export const LetterNumberPatternSchema = required(100)
  .refine(
    (pattern) => pattern.split('{n}').length === 2,
    'Harus memuat {n} tepat sekali (must hold {n} exactly once)',
  )
  .refine(
    (pattern) => pattern.includes('{year}'),
    'Harus memuat {year}, agar nomor tidak berulang tahun depan (must hold {year})',
  )
  .refine(
    (pattern) =>
      (pattern.match(/\{[^}]*\}/g) ?? []).every((token) =>
        (LETTER_NUMBER_TOKENS as readonly string[]).includes(token),
      ),
    'Hanya {n}, {year}, {month} dan {roman} (only {n}, {year}, {month} and {roman})',
  );

/** POST /api/dash/escalation-letters/settings (admin): the letterhead, numbering, recipients and signatory. */
export const LetterSettingsRequestSchema = z.strictObject({
  /** The line above the office's name, e.g. `PEMERINTAH KABUPATEN SUKOHARJO`; may be empty. */
  authority: oneLine(optional(120)),
  /** The office (instansi), e.g. `DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL`. */
  agency: oneLine(required(120)),
  address: oneLine(required(200)),
  phone: oneLine(optional(60)),
  email: z
    .union([z.literal(''), z.email('Alamat email tidak sah (not a valid email address)').max(254)])
    .default(''),
  /** base64 of a PNG or JPEG; empty: no logo. */
  logo: z
    .string()
    .max(Math.ceil(LETTER_LOGO_MAX_BYTES / 3) * 4 + 4, 'Logo paling besar 256 KB (logo at most 256 KB)')
    .default(''),
  /** The town the letter is written in: "Sukoharjo, 2 Desember 2026". */
  place: oneLine(required(60)),
  numberPattern: LetterNumberPatternSchema,
  provinceRecipient: oneLine(required(200)),
  provincePlace: oneLine(required(60)),
  directorateRecipient: oneLine(required(200)),
  directoratePlace: oneLine(required(60)),
  /** Jabatan of the signatory, e.g. `Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukoharjo`. */
  signerTitle: oneLine(required(200)),
  signerName: oneLine(required(100)),
  /** Pangkat/golongan, e.g. `Pembina Utama Muda (IV/c)`; may be empty. */
  signerRank: oneLine(optional(100)),
  /** NIP: 18 digits, spaces allowed; empty when the signatory has none. */
  signerNip: z
    .string()
    .trim()
    .refine(
      (nip) => nip === '' || /^\d{18}$/.test(nip.replace(/\s/g, '')),
      'NIP terdiri atas 18 angka (an NIP is 18 digits)',
    )
    .default(''),
  /** Tembusan, one recipient of a copy per line. */
  copies: z
    .array(oneLine(required(200)))
    .max(10, 'Paling banyak 10 tembusan (at most 10 copies)')
    .default([]),
});
export type LetterSettingsRequest = z.input<typeof LetterSettingsRequestSchema>;
export type LetterSettings = z.infer<typeof LetterSettingsRequestSchema>;

/** GET /api/dash/escalation-letters/settings: the settings as saved, or suggestions when nothing is saved yet. */
export interface LetterSettingsView {
  configured: boolean;
  settings: LetterSettings;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** A refused form: the first message, and one message per field (`copies.2`, `signerNip`). */
export interface FieldErrors {
  error: 'invalid';
  message: string;
  fields: Record<string, string>;
}

/** POST /api/dash/escalation-letters: issue a letter (a new number) for a fault past the threshold. */
export const NewEscalationLetterRequestSchema = z.strictObject({
  stationId: z.string().min(1).max(64),
  faultId: z.string().min(1).max(128),
  recipient: z.enum(LETTER_RECIPIENTS),
  sifat: z.enum(LETTER_URGENCIES).default('Penting'),
  lampiran: oneLine(optional(100)),
  /** Empty: the subject the letter makes itself. */
  perihal: oneLine(optional(200)),
  /** An extra paragraph in the staff's own words (what the district tried, what it asks); may be empty. */
  note: z.string().trim().max(2000, 'Paling banyak 2000 karakter (at most 2000 characters)').default(''),
});
export type NewEscalationLetterRequest = z.input<typeof NewEscalationLetterRequestSchema>;

export interface EscalationLetterView {
  id: string;
  number: string;
  year: number;
  stationId: string;
  faultId: string;
  recipient: LetterRecipient;
  perihal: string;
  createdAt: string;
  createdBy: string;
  /** GET this for the PDF. */
  pdfUrl: string;
}

/** GET /api/dash/escalation-letters?station=&fault=: whether a letter may be made now, and the letters made. */
export interface EscalationLetterStatus {
  /** Hours a fault must be open before a letter (the district's escalation threshold). */
  thresholdHours: number;
  eligible: boolean;
  /** Why not, in Bahasa Indonesia then English; null when eligible. */
  reason: string | null;
  /** False until an admin filled in the letterhead. */
  configured: boolean;
  letters: EscalationLetterView[];
}

// ---- Forecasts (forecasts/store.ts, forecasts/cards.ts) ----

/** Forecasts per station on the board (the most urgent); the rest are counted in `hiddenForecasts`. */
export const BOARD_FORECASTS_PER_STATION = 5;
/** The district's own forecasts on the board's summary (the most urgent); the forecast page lists all. */
export const BOARD_DISTRICT_FORECASTS = 10;
/** Forecasts a page of GET /api/dash/forecasts carries at most (each with its series). */
export const MAX_FORECASTS_PAGE = 100;

/**
 * A warning that recording or printing is likely to stop: never a fault, never a reason for
 * "cannot record". `station`: reported by the station (forecast.reported, its whole set each time);
 * `district`: computed by the district (blank-card stock from the consumables reports).
 */
export interface ForecastView {
  source: 'station' | 'district';
  stationId: string;
  stationName: string;
  kecamatan: string;
  code: ForecastCode;
  role: Role;
  deviceKey: string | null;
  /**
   * Days left as of now (the district's clock): the estimate reported, less the whole days since
   * it was reported, never below 0. Null: the trend is clear but no date can be given.
   */
  likelyInDays: number | null;
  /** The evidence in words, Bahasa Indonesia first (cut to LISTED_TEXT_MAX on the board). */
  message: Text;
  /** When the station computed it, by the station's clock. */
  computedAt: string;
  /** When it was reported, on the district's clock (the basis of `likelyInDays`). */
  reportedAt: string;
  /** Reported more than FORECAST_STALE_AFTER_HOURS ago: the station has not confirmed it since. */
  stale: boolean;
}

/** A station reports its set at least daily: older than this (hours) the board marks it stale. */
export const FORECAST_STALE_AFTER_HOURS = 48;

export interface ForecastDetail extends ForecastView {
  series: Series[];
}

/** GET /api/dash/forecasts?station=&limit=&offset=: the most urgent first (no date last). */
export interface ForecastList {
  generatedAt: string;
  /** The district forecasts blank cards running out below this many days of stock left. */
  cardsThresholdDays: number;
  /** How many forecasts match, beyond this page too. */
  total: number;
  forecasts: ForecastDetail[];
}

export const ForecastListQuerySchema = z.object({
  station: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_FORECASTS_PAGE).default(MAX_FORECASTS_PAGE),
  offset: z.coerce.number().int().min(0).max(1_000_000_000).default(0),
});

// ---- Province and national views (tenancy/rollup.ts) ----

/** One province (national view) or one district (province view), each figure summed over its kecamatan. */
export interface AreaRollup {
  code: string;
  name: string;
  /** WIB, WITA or WIT: a district's own; a province's when all its districts share one, else null. */
  timeZone: TimeZoneName | null;
  districts: number;
  /** Kecamatan with an enrolled station, by the board's rule for each now (service hours respected). */
  kecamatan: number;
  canRecord: number;
  cannotRecord: number;
  noNews: number;
  closed: number;
  stations: number;
  openFaults: number;
  /** First seen of the oldest open fault, or null. */
  oldestFaultAt: string | null;
  /** Percent of station-hours this month (local, up to now, round the clock) the stations could record; null without stations. */
  availabilityPercent: number | null;
  /** Stations whose latest report has blank cards at or below the low mark. */
  consumablesLow: number;
}

export interface WaitingDistrict {
  code: string;
  name: string;
  provinceCode: string;
  openFaults: number;
  oldestFaultAt: string;
  oldestAgeHours: number;
}

export interface OldFault extends FaultHeading {
  districtCode: string;
  districtName: string;
  state: FaultState;
  firstSeen: string;
  ageHours: number;
}

/** GET /api/dash/rollup[?province=CODE] (viewer, province or national scope). */
export interface Rollup {
  generatedAt: string;
  level: 'national' | 'province';
  /** The province's code and name; '' and 'Nasional' for the nation. */
  code: string;
  name: string;
  totals: AreaRollup;
  /** Provinces (national view) or districts (province view), those with kecamatan that cannot record first. */
  areas: AreaRollup[];
  /** The oldest open faults in the scope, oldest first (at most ROLLUP_LIST_SIZE). */
  oldestFaults: OldFault[];
  /** Districts whose oldest open fault has waited longest (at most ROLLUP_LIST_SIZE). */
  longestWaiting: WaitingDistrict[];
}

export const ROLLUP_LIST_SIZE = 10;

// ---- Escalation rules and contacts of one district (GET/POST /api/dash/escalation/settings) ----

/**
 * A webhook: an http(s) address as typed, without spaces or control characters (the URL parser
 * would drop a CR/LF silently; `javascript:`, `file:` or `ftp:` could never be posted to).
 */
const WebhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'webhook harus alamat http(s) (a webhook is an http(s) address)' })
  .regex(/^[^\s\p{Cc}]+$/u, 'webhook tanpa spasi atau baris baru (no spaces or line breaks)');

export const EscalationContactSchema = z.strictObject({
  emails: z.array(z.email()).default([]),
  /** URLs that receive a JSON POST per escalation (or per digest). */
  webhooks: z.array(WebhookUrlSchema).default([]),
});
export type EscalationContact = z.infer<typeof EscalationContactSchema>;

export const EscalationRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  /** `unacknowledged`: nobody at the district acknowledged it yet; `open`: not resolved by the station. */
  condition: z.enum(['unacknowledged', 'open']),
  afterHours: z.number().positive(),
  /** Faults of this severity or worse. */
  minSeverity: SeveritySchema.default('minor'),
  /** A key of `contacts`. */
  notify: z.string(),
});
export type EscalationRule = z.infer<typeof EscalationRuleSchema>;

/** At most this many rules and contacts a district; each contact at most this many addresses. */
export const ESCALATION_SETTINGS_LIMIT = 20;

/** One district's rules and whom they notify (the service-wide timing stays in the server's --escalation file). */
export const EscalationSettingsSchema = z
  .strictObject({
    rules: z.array(EscalationRuleSchema).max(ESCALATION_SETTINGS_LIMIT),
    contacts: z.record(
      z.string().regex(/^[a-z0-9-]{1,64}$/),
      z.strictObject({
        emails: z.array(z.email()).max(ESCALATION_SETTINGS_LIMIT).default([]),
        webhooks: z.array(WebhookUrlSchema).max(ESCALATION_SETTINGS_LIMIT).default([]),
      }),
    ),
  })
  .refine((settings) => Object.keys(settings.contacts).length <= ESCALATION_SETTINGS_LIMIT, {
    message: `at most ${ESCALATION_SETTINGS_LIMIT} contacts`,
  })
  .refine((settings) => new Set(settings.rules.map((rule) => rule.id)).size === settings.rules.length, {
    message: 'aturan harus punya id berbeda (every rule needs its own id)',
  })
  // Own keys only: `"toString" in {}` is true, and such a rule would break every district's pass.
  .refine((settings) => settings.rules.every((rule) => Object.hasOwn(settings.contacts, rule.notify)), {
    message: 'setiap aturan harus memberi tahu kontak yang ada (every rule must notify a key of contacts)',
  });
export type EscalationSettings = z.infer<typeof EscalationSettingsSchema>;
export type EscalationSettingsRequest = z.input<typeof EscalationSettingsSchema>;

export interface EscalationSettingsView {
  districtCode: string;
  /**
   * `district`: saved by the district's staff; `file`: the server's --escalation file (the default
   * district until its staff save their own); `none`: this district escalates nothing yet (the
   * settings shown are the file's rules with empty contacts, to start from).
   */
  source: 'district' | 'file' | 'none';
  settings: EscalationSettings;
  updatedAt: string | null;
  updatedBy: string | null;
}
