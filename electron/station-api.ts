// The UI <-> agent contract. The renderer knows nothing else: the preload implements StationApi over
// IPC (main validates every argument with the schemas below), the tests implement it over HTTP with
// a real agent behind it. Pure types and zod schemas only.
import { z } from 'zod';
import { RoleSchema } from '../protocol/verdict';
import type { Role, Status, Text, Verdict } from '../protocol/verdict';

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
  canRecord: boolean;
  canPrint: boolean;
  tiles: RoleTile[];
  /** Detected devices the profile does not expect (shown, not alarmed). */
  others: { code: string; message: Text; deviceKey?: string }[];
  lastCheckAt: string | null;
  checking: boolean;
  dailyCheck: { doneToday: boolean; lastCompletedAt: string | null };
  enrolled: boolean;
  /** Events committed but not yet delivered to the district. */
  outboxPending: number;
  language: Language;
  /** Technician-only depth is behind a PIN; the operator screens never need it. */
  kiosk: boolean;
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
  /** Queued for the district (delivered by the outbox when the link allows). */
  reported: boolean;
}

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

export const RunCheckRequestSchema = z
  .object({
    mode: z.enum(['passive', 'active']).default('active'),
    roles: z.array(RoleSchema).max(20).optional(),
  })
  .strict();
export type RunCheckRequest = z.input<typeof RunCheckRequestSchema>;

export const TechnicianRequestSchema = z.object({ token: TokenSchema });
export const RoleHistoryRequestSchema = z.object({
  token: TokenSchema,
  role: RoleSchema,
  limit: z.number().int().min(1).max(500).default(50),
});
export const RerunRequestSchema = z.object({
  token: TokenSchema,
  roles: z.array(RoleSchema).max(20).optional(),
});
export const ChangePinRequestSchema = z.object({ token: TokenSchema, newPin: PinSchema });

/** The whole surface between the kiosk UI and the station agent. */
export interface StationApi {
  getStatus(): Promise<StationStatus>;
  /** Runs a check now; progress arrives as events. */
  runCheck(request?: RunCheckRequest): Promise<CheckRunResult>;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: (event: StationEvent) => void): () => void;
  listFaults(): Promise<FaultView[]>;

  /** The automatic phase of the daily check (an active check of every role). */
  startDailyCheck(): Promise<CheckRunResult>;
  submitDailyCheck(submission: DailyCheckSubmission): Promise<DailyCheckRecord>;
  getConsumables(): Promise<Consumables>;
  reportCamera(report: CameraReport): Promise<Verdict>;

  getSettings(): Promise<Settings>;
  updateSettings(patch: SettingsPatch): Promise<Settings>;

  unlockTechnician(pin: string): Promise<UnlockResult>;
  lockTechnician(token: string): Promise<void>;
  technician: {
    usbTree(token: string): Promise<UsbDeviceView[]>;
    history(token: string, role: Role, limit?: number): Promise<CheckHistoryEntry[]>;
    logs(token: string): Promise<LogLine[]>;
    serial(command: SerialCommand): Promise<SerialReply>;
    rerun(token: string, roles?: Role[]): Promise<CheckRunResult>;
    adoptBaseline(token: string): Promise<{ roles: Role[] }>;
    enroll(request: EnrollRequest): Promise<{ ok: boolean; message: string }>;
    exportDiagnostics(token: string): Promise<DiagnosticsBundle>;
    changePin(token: string, newPin: string): Promise<void>;
  };
}

/** Arguments of each IPC channel, validated in main before they reach the agent. */
export const IPC_SCHEMAS = {
  'siaga:getStatus': z.tuple([]),
  'siaga:runCheck': z.tuple([RunCheckRequestSchema.optional()]),
  'siaga:listFaults': z.tuple([]),
  'siaga:startDailyCheck': z.tuple([]),
  'siaga:submitDailyCheck': z.tuple([DailyCheckSubmissionSchema]),
  'siaga:getConsumables': z.tuple([]),
  'siaga:reportCamera': z.tuple([CameraReportSchema]),
  'siaga:getSettings': z.tuple([]),
  'siaga:updateSettings': z.tuple([SettingsPatchSchema]),
  'siaga:unlockTechnician': z.tuple([z.string().max(64)]),
  'siaga:lockTechnician': z.tuple([TokenSchema]),
  'siaga:technician.usbTree': z.tuple([TokenSchema]),
  'siaga:technician.history': z.tuple([TokenSchema, RoleSchema, z.number().int().min(1).max(500).optional()]),
  'siaga:technician.logs': z.tuple([TokenSchema]),
  'siaga:technician.serial': z.tuple([SerialCommandSchema]),
  'siaga:technician.rerun': z.tuple([TokenSchema, z.array(RoleSchema).max(20).optional()]),
  'siaga:technician.adoptBaseline': z.tuple([TokenSchema]),
  'siaga:technician.enroll': z.tuple([EnrollRequestSchema]),
  'siaga:technician.exportDiagnostics': z.tuple([TokenSchema]),
  'siaga:technician.changePin': z.tuple([TokenSchema, PinSchema]),
} as const;
export type IpcChannel = keyof typeof IPC_SCHEMAS;
/** Channel the main process pushes StationEvents on. */
export const EVENT_CHANNEL = 'siaga:event';

/** Validates the arguments of one channel; throws a ZodError naming the bad argument. */
export function parseIpcArguments(channel: string, args: unknown[]): unknown[] {
  if (!Object.hasOwn(IPC_SCHEMAS, channel)) {
    throw new Error(`unknown channel ${channel}`);
  }
  const schema = IPC_SCHEMAS[channel as IpcChannel] as unknown as z.ZodType<unknown[]>;
  // Trailing undefined arguments are dropped by structured clone; a tuple with optional tails accepts that.
  return schema.parse(args);
}

/** Calls the StationApi method a channel names. Shared by main (IPC) and the test server (HTTP). */
export function dispatch(api: StationApi, channel: IpcChannel, args: unknown[]): Promise<unknown> {
  const name = channel.slice('siaga:'.length);
  if (name.startsWith('technician.')) {
    const method = name.slice('technician.'.length) as keyof StationApi['technician'];
    const call = api.technician[method] as (...values: unknown[]) => Promise<unknown>;
    return call.apply(api.technician, args);
  }
  const call = api[name as keyof Omit<StationApi, 'technician' | 'subscribe'>] as (
    ...values: unknown[]
  ) => Promise<unknown>;
  return call.apply(api, args);
}

/** Builds a StationApi from a generic invoke (IPC in the preload, fetch in the test shim). */
export function createApiClient(
  invoke: (channel: IpcChannel, args: unknown[]) => Promise<unknown>,
  subscribe: (listener: (event: StationEvent) => void) => () => void,
): StationApi {
  const call =
    <T>(channel: IpcChannel) =>
    (...args: unknown[]) =>
      invoke(channel, args) as Promise<T>;
  return {
    getStatus: call('siaga:getStatus'),
    runCheck: call('siaga:runCheck'),
    subscribe,
    listFaults: call('siaga:listFaults'),
    startDailyCheck: call('siaga:startDailyCheck'),
    submitDailyCheck: call('siaga:submitDailyCheck'),
    getConsumables: call('siaga:getConsumables'),
    reportCamera: call('siaga:reportCamera'),
    getSettings: call('siaga:getSettings'),
    updateSettings: call('siaga:updateSettings'),
    unlockTechnician: call('siaga:unlockTechnician'),
    lockTechnician: call('siaga:lockTechnician'),
    technician: {
      usbTree: call('siaga:technician.usbTree'),
      history: call('siaga:technician.history'),
      logs: call('siaga:technician.logs'),
      serial: call('siaga:technician.serial'),
      rerun: call('siaga:technician.rerun'),
      adoptBaseline: call('siaga:technician.adoptBaseline'),
      enroll: call('siaga:technician.enroll'),
      exportDiagnostics: call('siaga:technician.exportDiagnostics'),
      changePin: call('siaga:technician.changePin'),
    },
  };
}
