// The dashboard's JSON API (district/server/routes/api/dash, /api/public/board): the shape of every
// answer, and the zod schema of every request body with its type inferred, written once. The server
// validates bodies with these schemas; the browser (district/web) sends exactly the `...Request`
// types (`z.input`: fields with a default may be left out). Pure: nothing here may import Node or
// server code.
import { z } from 'zod';
import type { Ribbon } from '../protocol/events';
import { RoleSchema } from '../protocol/verdict';
import type { Status, Text } from '../protocol/verdict';

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
  email: z.email().nullable().default(null),
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

export interface StationProblem {
  role: string;
  /** The role's status in the last heartbeat; `fault` when only an open fault tells. */
  status: Status;
  /** Whether the problem stops recording (a recording role) or printing (the card printer). */
  blocks: 'recording' | 'printing' | null;
  fault: FaultView | null;
}

/**
 * What a station means for recording now: `no-news` is silent during service hours (counted as
 * unable to record), `closed` silent outside them, `not-active` added but never enrolled (counted
 * nowhere).
 */
export type StationState = 'can-record' | 'cannot-record' | 'no-news' | 'closed' | 'not-active';

export interface StationStatus {
  stationId: string;
  /** Absent from older servers: the board then derives it from `enrolled`, `silent` and `canRecord`. */
  state?: StationState;
  /** The station's clock minus the district's receive time, in milliseconds (for technicians). */
  clockOffsetMs?: number | null;
  /** When the office opens next (ISO), while `closed`. */
  nextOpening?: string | null;
  name: string;
  kecamatan: string;
  enrolled: boolean;
  lastHeardAt: string | null;
  /** Silent past the heartbeat window (or never heard from): itself a problem. */
  silent: boolean;
  canRecord: boolean;
  canPrint: boolean;
  appVersion: string | null;
  queueDepth: number | null;
  problems: StationProblem[];
  activeFaults: number;
}

export interface KecamatanStatus {
  name: string;
  /** At least one station here can record today. */
  canRecord: boolean;
  canPrint: boolean;
  stationsAbleToRecord: number;
  stations: StationStatus[];
}

/** The line at the top of the board: how many kecamatan can record, and which cannot. */
export interface BoardSummary {
  canRecord: number;
  total: number;
  /** Names of the kecamatan that cannot record now. */
  cannot: string[];
  /** When the data was current (ISO). */
  dataAt: string;
}

export interface Board {
  generatedAt: string;
  heartbeatWindowMs: number;
  kecamatan: KecamatanStatus[];
  summary?: BoardSummary;
}

/** What residents may see: per kecamatan only whether recording is possible today. */
export interface PublicBoard {
  generatedAt: string;
  kecamatan: { name: string; canRecord: boolean }[];
}

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
  startsOn: z.string(),
  dueOn: z.string(),
  reference: z.string().trim().min(1).max(100),
  purpose: z.string().trim().min(1).max(1000),
});
export type NewLoanRequest = z.input<typeof NewLoanRequestSchema>;

/** POST /api/dash/inventory/loans/:loanId/return. */
export const LoanReturnRequestSchema = z.strictObject({ returnedOn: z.string() });
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
