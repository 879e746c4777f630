// The UI <-> agent contract. The renderer knows nothing else: the preload implements StationApi over
// IPC (main validates every argument with the schemas below), the tests implement it over HTTP with
// a real agent behind it. Pure types and zod schemas only.
import * as z from 'zod';
import { RoleSchema } from '../protocol/verdict';
import type { Role, Status, Text, Verdict } from '../protocol/verdict';
import type { Answer } from '../protocol/rules';
import type { Forecast } from '../protocol/forecast';
import type { CallName } from './station-api-client';

export type Language = 'id' | 'en';

/** Where the district stands on a fault, as the operator reads it. */
export const DISTRICT_STATES = [
  'not-reported',
  'queued',
  'reported',
  'acknowledged',
  'technician-assigned',
  'in-repair',
  'resolved',
  'closed',
] as const;
export type DistrictState = (typeof DISTRICT_STATES)[number];

export interface DistrictView {
  state: DistrictState;
  /** What the district wrote back, if anything (free text from district staff). */
  note?: string;
  updatedAt?: string;
  /** District staff member who acknowledged the fault. */
  acknowledgedBy?: string;
  /** Technician the district assigned to the repair. */
  assignee?: string;
}

/** One tile of the status board: one expected role. */
export interface RoleTile {
  role: Role;
  name: Text;
  status: Status;
  code: string;
  message: Text;
  nextStep: Text;
  checkedAt: string | null;
  /** The open fault for this role, if there is one, and what the district knows of it. */
  fault?: { id: string; openedAt: string; flapping: boolean; recurring: boolean; district: DistrictView };
}

export interface StationStatus {
  station: { name: string; kecamatan?: string };
  /** What the banner says, by the shared rule (protocol/rules.ts); the heartbeat carries the same. */
  recording: Answer;
  printing: Answer;
  /** `recording === 'yes'`, `printing === 'yes'`. */
  canRecord: boolean;
  canPrint: boolean;
  tiles: RoleTile[];
  /** Detected devices the profile does not expect (shown, not alarmed). */
  others: { code: string; message: Text; deviceKey?: string }[];
  lastCheckAt: string | null;
  checking: boolean;
  /** `delivery`: where the last daily check's event stands with the district; null when none was signed off. */
  dailyCheck: { doneToday: boolean; lastCompletedAt: string | null; delivery: DailyCheckDelivery | null };
  enrolled: boolean;
  /** Events committed but not yet delivered to the district. */
  outboxPending: number;
  language: Language;
  /** Technician-only depth is behind a PIN; the operator screens never need it. */
  kiosk: boolean;
  /** Set while the station cannot store anything (data folder not writable): shown as a banner. */
  storageProblem?: { message: Text; nextStep: Text };
}

export interface FaultView {
  id: string;
  role: Role | null;
  code: string;
  severity: 'info' | 'minor' | 'major' | 'critical';
  message: Text;
  nextStep: Text;
  openedAt: string;
  closedAt: string | null;
  flapping: boolean;
  recurring: boolean;
  district: DistrictView;
}

/** Pushed to the UI: check progress and status changes. */
export type StationEvent =
  | { type: 'check-started'; runId: string; mode: 'passive' | 'active'; roles: Role[] }
  | { type: 'check-progress'; runId: string; done: number; total: number; role: Role | null; status: Status }
  | { type: 'check-finished'; runId: string; canRecord: boolean; durationMs: number }
  | { type: 'status'; status: StationStatus }
  | { type: 'faults-changed' }
  | { type: 'log'; line: LogLine };

export interface CheckRunResult {
  runId: string;
  startedAt: string;
  durationMs: number;
  recording: Answer;
  printing: Answer;
  canRecord: boolean;
  canPrint: boolean;
  verdicts: Verdict[];
}

// ---- Daily start-up check -------------------------------------------------------------------

/** The steps a person does; each is confirmed by the operator (and the camera by its analysis). */
export const MANUAL_STEPS = ['camera', 'fingerprint', 'signature', 'iris'] as const;
export type ManualStep = (typeof MANUAL_STEPS)[number];
export const ManualStepSchema = z.enum(MANUAL_STEPS);

export const ManualResultSchema = z.object({
  step: ManualStepSchema,
  result: z.enum(['ok', 'problem', 'skipped']),
  note: z.string().max(500).optional(),
});
export type ManualResult = z.infer<typeof ManualResultSchema>;

/** NIP: the 18-digit Indonesian civil servant number. */
export const NipSchema = z.string().regex(/^\d{18}$/, 'NIP must be 18 digits');

export const ConsumablesInputSchema = z.object({
  blankCards: z.number().int().min(0).max(1_000_000),
  ribbonPrints: z.number().int().min(0).max(1_000_000),
});
export type ConsumablesInput = z.infer<typeof ConsumablesInputSchema>;

export const DailyCheckSubmissionSchema = z.object({
  /** The run of the automatic phase this sign-off belongs to. */
  runId: z.string().min(1).max(100),
  manual: z.array(ManualResultSchema).max(MANUAL_STEPS.length),
  consumables: ConsumablesInputSchema,
  operator: z.object({ name: z.string().trim().min(2).max(100), nip: NipSchema }),
});
export type DailyCheckSubmission = z.infer<typeof DailyCheckSubmissionSchema>;

export interface DailyCheckRecord {
  id: string;
  completedAt: string;
  canRecord: boolean;
  operator: { name: string; nip: string };
  manual: ManualResult[];
  consumables: ConsumablesInput;
  /** Where its event stands with the district (the outbox's delivery state). */
  delivery: DailyCheckDelivery;
}

/**
 * `sent`: the district acknowledged the event (stored it); `queued`: kept in the outbox, sent when
 * the district can be reached; `refused`: the district refused it (kept for a technician).
 */
export type DailyCheckDelivery = 'sent' | 'queued' | 'refused';

export interface Consumables {
  blankCards: number | null;
  ribbonPrints: number | null;
  updatedAt: string | null;
  /** Below these the board warns. */
  lowBlankCards: number;
  lowRibbonPrints: number;
}

// ---- Camera -----------------------------------------------------------------------------------

export const CAMERA_CODES = [
  'CAMERA_OK',
  'CAMERA_MISSING',
  'CAMERA_PERMISSION_DENIED',
  'CAMERA_IN_USE',
  'CAMERA_BLACK_FRAME',
  'CAMERA_PARTLY_BLACK',
  'CAMERA_NOISE',
  'CAMERA_COLOUR_CAST',
  'CAMERA_FROZEN',
  'CAMERA_TOO_DARK',
  'CAMERA_TOO_BRIGHT',
  'CAMERA_BLURRED',
  'CAMERA_WRONG_RESOLUTION',
] as const;
export type CameraCode = (typeof CAMERA_CODES)[number];

export const CameraReportSchema = z.object({
  code: z.enum(CAMERA_CODES),
  deviceLabel: z.string().max(200).optional(),
  width: z.number().int().min(0).max(20_000).optional(),
  height: z.number().int().min(0).max(20_000).optional(),
  /** Frame statistics for technicians: meanLuma, laplacianVariance, frameDifference, ... */
  measurements: z.record(z.string().max(50), z.number()).refine((record) => Object.keys(record).length <= 20),
  /** A small JPEG snapshot as a data: URL (at most ~200 kB). */
  snapshot: z
    .string()
    .max(280_000)
    .regex(/^data:image\/(jpeg|png);base64,[A-Za-z0-9+/=]*$/)
    .optional(),
  elapsedMs: z.number().min(0).max(600_000),
});
export type CameraReport = z.infer<typeof CameraReportSchema>;

/** What the renderer needs to open the right camera and judge its frames. */
export interface CameraSettings {
  /** Part of the video input's label, from the station profile; empty means the first camera. */
  label: string;
  /** The photo standard's minimum capture size. */
  minWidth: number;
  minHeight: number;
}

// ---- Settings ---------------------------------------------------------------------------------

export const SettingsPatchSchema = z
  .object({
    language: z.enum(['id', 'en']).optional(),
    lowBlankCards: z.number().int().min(0).max(100_000).optional(),
    lowRibbonPrints: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export interface Settings {
  language: Language;
  lowBlankCards: number;
  lowRibbonPrints: number;
  camera: CameraSettings;
  districtUrl: string | null;
  /** Enrolled with `siaga enroll --insecure`: plain HTTP to the district (the technician screen warns). */
  districtLinkInsecure: boolean;
}

// ---- Technician -------------------------------------------------------------------------------

export const PinSchema = z.string().regex(/^\d{4,12}$/, 'PIN is 4 to 12 digits');
export const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{16,100}$/);

export type UnlockResult =
  | { ok: true; token: string; expiresAt: string }
  | { ok: false; reason: 'wrong-pin'; attemptsLeft: number }
  | { ok: false; reason: 'locked'; lockedUntil: string };

/** A USB device as the technician screen shows it (mirrors native/usb UsbDeviceInfo). */
export interface UsbDeviceView {
  key: string;
  vendorId: number;
  productId: number;
  deviceClass: number;
  deviceSubclass: number;
  deviceProtocol: number;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  bus?: number;
  address?: number;
  ports?: number[];
  usbVersion?: string;
  deviceVersion?: string;
  interfaceClasses?: number[];
  /** The role the catalog/profile gives it, null when unknown. */
  role?: Role | null;
}

export interface LogLine {
  at: string;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

export interface CheckHistoryEntry {
  checkedAt: string;
  status: Status;
  code: string;
  durationMs: number;
  measurements: Record<string, unknown>;
}

export const SerialCommandSchema = z.object({
  token: TokenSchema,
  path: z.string().min(1).max(200),
  baudRate: z.number().int().positive().max(4_000_000),
  /** Text to send; \r and \n are sent as written. */
  data: z.string().max(1000),
  timeoutMs: z.number().int().positive().max(30_000),
});
export type SerialCommand = z.infer<typeof SerialCommandSchema>;

export interface SerialReply {
  ok: boolean;
  /** Reply bytes as text (latin1) and as hex, for technicians. */
  text: string;
  hex: string;
  message?: string;
  elapsedMs: number;
}

export const EnrollRequestSchema = z.object({
  token: TokenSchema,
  districtUrl: z.string().url().max(500),
  code: z.string().trim().min(4).max(64),
});
export type EnrollRequest = z.infer<typeof EnrollRequestSchema>;

export interface DiagnosticsBundle {
  fileName: string;
  /** The zip, base64. */
  base64: string;
  bytes: number;
  entries: string[];
}

/** Check results of one role a technician may list at once. */
const HistoryLimitSchema = z.number().int().min(1).max(500);
/** A subset of the roles to check. */
const RolesSchema = z.array(RoleSchema).max(20);

export const RunCheckRequestSchema = z
  .object({
    mode: z.enum(['passive', 'active']).default('active'),
    roles: RolesSchema.optional(),
  })
  .strict();
export type RunCheckRequest = z.input<typeof RunCheckRequestSchema>;

export const ChangePinRequestSchema = z.object({ token: TokenSchema, newPin: PinSchema });

// ---- The contract's one table ---------------------------------------------------------------

/** The result type of a call, carried by the table at type level only (undefined at run time). */
const returns = <Result>(): Result => undefined as Result;

/**
 * Every call of the kiosk UI to the station agent: its arguments as one zod tuple (checked wherever
 * they cross a process boundary; optional tail elements may be left out) and its result type (not
 * checked: it comes from our own agent). A name `group.method` is reached as `api.group.method`.
 * The StationApi type, the IPC channels and the validating dispatch (station-api-ipc.ts) derive
 * from this table; its names are CALL_NAMES of station-api-client.ts (zod-free, for the preload),
 * and `satisfies Record<CallName, ...>` makes the compiler refuse a call missing from either side.
 */
export const STATION_CALLS = {
  getStatus: { args: z.tuple([]), result: returns<StationStatus>() },
  /** Runs a check now; progress arrives as events. */
  runCheck: { args: z.tuple([RunCheckRequestSchema.optional()]), result: returns<CheckRunResult>() },
  listFaults: { args: z.tuple([]), result: returns<FaultView[]>() },

  /** The automatic phase of the daily check (an active check of every role). */
  startDailyCheck: { args: z.tuple([]), result: returns<CheckRunResult>() },
  submitDailyCheck: { args: z.tuple([DailyCheckSubmissionSchema]), result: returns<DailyCheckRecord>() },
  getConsumables: { args: z.tuple([]), result: returns<Consumables>() },
  reportCamera: { args: z.tuple([CameraReportSchema]), result: returns<Verdict>() },

  getSettings: { args: z.tuple([]), result: returns<Settings>() },
  updateSettings: { args: z.tuple([SettingsPatchSchema]), result: returns<Settings>() },

  /** Any string up to 64 characters: a malformed PIN is a wrong PIN (it counts towards the lockout). */
  unlockTechnician: { args: z.tuple([z.string().max(64)]), result: returns<UnlockResult>() },
  lockTechnician: { args: z.tuple([TokenSchema]), result: returns<void>() },
  'technician.usbTree': { args: z.tuple([TokenSchema]), result: returns<UsbDeviceView[]>() },
  'technician.history': {
    args: z.tuple([TokenSchema, RoleSchema, HistoryLimitSchema.optional()]),
    result: returns<CheckHistoryEntry[]>(),
  },
  'technician.logs': { args: z.tuple([TokenSchema]), result: returns<LogLine[]>() },
  'technician.serial': { args: z.tuple([SerialCommandSchema]), result: returns<SerialReply>() },
  'technician.rerun': {
    args: z.tuple([TokenSchema, RolesSchema.optional()]),
    result: returns<CheckRunResult>(),
  },
  'technician.adoptBaseline': { args: z.tuple([TokenSchema]), result: returns<{ roles: Role[] }>() },
  'technician.enroll': {
    args: z.tuple([EnrollRequestSchema]),
    result: returns<{ ok: boolean; message: string }>(),
  },
  'technician.exportDiagnostics': { args: z.tuple([TokenSchema]), result: returns<DiagnosticsBundle>() },
  'technician.changePin': { args: z.tuple([TokenSchema, PinSchema]), result: returns<void>() },
  /** The station's current forecasts (never faults), soonest first, with the series behind each. */
  'technician.forecasts': { args: z.tuple([TokenSchema]), result: returns<Forecast[]>() },
} as const satisfies Record<CallName, { args: z.ZodTuple; result: unknown }>;

export type StationCalls = typeof STATION_CALLS;
export type { CallName } from './station-api-client';
export { CALL_NAMES } from './station-api-client';
/** What a caller passes (zod input: defaulted and optional tail values may be left out). */
export type CallArguments<Name extends CallName> = z.input<StationCalls[Name]['args']>;
/** What the agent side receives once the arguments are validated (defaults filled in). */
export type ValidCallArguments<Name extends CallName> = z.output<StationCalls[Name]['args']>;
export type CallResult<Name extends CallName> = StationCalls[Name]['result'];
type CallFunction<Name extends CallName> = (...args: CallArguments<Name>) => Promise<CallResult<Name>>;

type GroupName = CallName extends infer Name
  ? Name extends `${infer Group}.${string}`
    ? Group
    : never
  : never;
type TopLevelCalls = {
  [Name in CallName as Name extends `${string}.${string}` ? never : Name]: CallFunction<Name>;
};
type GroupedCalls = {
  [Group in GroupName]: {
    [Name in CallName as Name extends `${Group}.${infer Method}` ? Method : never]: CallFunction<Name>;
  };
};

/** The whole surface between the kiosk UI and the station agent: the table's calls and the event stream. */
export interface StationApi extends TopLevelCalls, GroupedCalls {
  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: (event: StationEvent) => void): () => void;
}
