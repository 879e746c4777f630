// The dashboard's JSON API (district/server/routes/api/dash, /api/public/board): the shape of every
// answer, and the zod schema of every request body with its type inferred, written once. The server
// validates bodies with these schemas; the browser (district/web) sends exactly the `...Request`
// types (`z.input`: fields with a default may be left out). Pure: nothing here may import Node or
// server code.
import * as z from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './dash-paging';
import type { Ribbon } from '../protocol/events';
import type { Answer } from '../protocol/rules';
import { RoleSchema } from '../protocol/verdict';
import type { Status, Text } from '../protocol/verdict';

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
}

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
