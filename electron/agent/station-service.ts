// StationApi implemented by the real agent pieces: the check runner, the store, the fault lifecycle
// and enrollment. main.ts exposes it over IPC; the tests expose it over HTTP. Node only.
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import type {
  CameraCode,
  CameraReport,
  CheckHistoryEntry,
  CheckRunResult,
  Consumables,
  DailyCheckRecord,
  DailyCheckSubmission,
  DiagnosticsBundle,
  DistrictState,
  EnrollRequest,
  FaultView,
  Language,
  LogLine,
  RoleTile,
  RunCheckRequest,
  SerialCommand,
  SerialReply,
  Settings,
  SettingsPatch,
  StationApi,
  StationEvent,
  StationStatus,
  UnlockResult,
  UsbDeviceView,
} from '../station-api';
import {
  CameraReportSchema,
  ChangePinRequestSchema,
  DailyCheckSubmissionSchema,
  EnrollRequestSchema,
  PinSchema,
  RunCheckRequestSchema,
  SerialCommandSchema,
  SettingsPatchSchema,
} from '../station-api';
import type { Role, Verdict } from '../../protocol/verdict';
import type { FaultPayload } from '../../protocol/events';
import type { UsbDeviceInfo } from '../../native/usb/types';
import type { Adapters } from './adapters';
import type { Catalog } from './catalog';
import { matchUsbDevice } from './catalog';
import { runCheck } from './check';
import { findRoleDevice } from './checks/usb';
import type { FaultPolicy } from './faults';
import { DEFAULT_FAULT_POLICY, evaluate } from './faults';
import { describe as describeCode, roleName } from './messages';
import type { Profile, RoleSpec } from './profile';
import { parseProfile } from './profile';
import type { Store } from './store/store';
import { writeFileAtomic } from './store/store';
import type { CheckReport } from './types';

/** What happens to a finished check beyond the board: store, fault lifecycle, outbox. The Agent
 *  provides this when it owns the loop; the default below does it with the store directly. */
export type CheckPipeline = (report: CheckReport) => void;

export interface StationServiceOptions {
  adapters: Adapters;
  profile: Profile;
  catalog: Catalog;
  dataDir: string;
  store: Store;
  appVersion?: string;
  faultPolicy?: FaultPolicy;
  pipeline?: CheckPipeline;
  /** PIN used until a technician sets one (packaging documents how to set it at install). */
  initialPin?: string;
  kiosk?: boolean;
  now?: () => number;
  /** Enrollment with the district (enroll.ts); absent in tests without a district. */
  enroll?: (districtUrl: string, code: string) => Promise<{ stationId: string }>;
  /** Whether this station has an identity (enrolled). */
  isEnrolled?: () => boolean;
}

/** Wrong PINs before a lockout; the lockout doubles each time, up to an hour. */
export const PIN_ATTEMPTS = 5;
export const PIN_LOCKOUT_MS = 5 * 60_000;
const PIN_LOCKOUT_MAX_MS = 60 * 60_000;
const SESSION_MS = 15 * 60_000;
/** A camera verdict from the renderer counts for active checks this long. */
const CAMERA_VERDICT_TTL_MS = 10 * 60_000;
const LOG_LINES = 500;
const DEFAULT_SETTINGS = { language: 'id' as Language, lowBlankCards: 50, lowRibbonPrints: 100 };
const PHOTO_STANDARD = { minWidth: 640, minHeight: 480 };

/** Status of each camera verdict the renderer can report; texts are in resources/i18n/verdicts.json. */
const CAMERA_STATUS: Record<CameraCode, Verdict['status']> = {
  CAMERA_OK: 'ok',
  CAMERA_MISSING: 'fault',
  CAMERA_PERMISSION_DENIED: 'fault',
  CAMERA_IN_USE: 'in-use',
  CAMERA_BLACK_FRAME: 'fault',
  CAMERA_FROZEN: 'fault',
  CAMERA_TOO_DARK: 'warning',
  CAMERA_TOO_BRIGHT: 'warning',
  CAMERA_BLURRED: 'warning',
  CAMERA_WRONG_RESOLUTION: 'warning',
};

interface PinState {
  hash?: string;
  salt?: string;
  failures: number;
  lockedUntil: number;
  lockouts: number;
}

function hashPin(pin: string, salt: string): string {
  return scryptSync(pin, salt, 32).toString('hex');
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

export class StationService implements StationApi {
  private profile: Profile;
  private readonly options: StationServiceOptions;
  private readonly store: Store;
  private readonly now: () => number;
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly logLines: LogLine[] = [];
  private readonly sessions = new Map<string, number>();
  private lastReport: CheckReport | null = null;
  private runningCheck: Promise<CheckRunResult> | null = null;
  private cameraVerdict: { verdict: Verdict; at: number } | null = null;
  private dailyRuns = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private runs = 0;

  constructor(options: StationServiceOptions) {
    this.options = options;
    this.profile = options.profile;
    this.store = options.store;
    this.now = options.now ?? Date.now;
  }

  // ---- lifecycle --------------------------------------------------------------------------

  /** Passive background checks every intervalMs (the Agent's loop replaces this when present). */
  start(intervalMs: number): void {
    this.stop();
    const tick = () => {
      this.runCheck({ mode: 'passive' })
        .catch((error: unknown) => this.log('error', `background check failed: ${(error as Error).message}`))
        .finally(() => {
          if (this.timer) {
            this.timer = setTimeout(tick, intervalMs);
          }
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  stop(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Resolves when the check in progress (if any) has finished. */
  async idle(): Promise<void> {
    await this.runningCheck?.catch(() => undefined);
  }

  subscribe(listener: (event: StationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: StationEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed window) must not stop the agent.
      }
    }
  }

  private log(level: LogLine['level'], message: string): void {
    const line: LogLine = { at: new Date(this.now()).toISOString(), level, message };
    this.logLines.push(line);
    if (this.logLines.length > LOG_LINES) {
      this.logLines.shift();
    }
    this.emit({ type: 'log', line });
  }

  // ---- settings and meta ------------------------------------------------------------------

  private readMeta<T>(key: string, fallback: T): T {
    const value = this.store.getMeta(key);
    if (value === undefined) {
      return fallback;
    }
    try {
      return JSON.parse(value) as T;
    } catch {
      return fallback;
    }
  }

  private writeMeta(key: string, value: unknown): void {
    this.store.setMeta(key, JSON.stringify(value));
  }

  async getSettings(): Promise<Settings> {
    const saved = this.readMeta('ui-settings', DEFAULT_SETTINGS);
    return {
      ...DEFAULT_SETTINGS,
      ...saved,
      camera: { label: this.profile.roles.camera?.cameraLabel ?? '', ...PHOTO_STANDARD },
      districtUrl: this.store.getMeta('district-url') ?? null,
    };
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    const valid = SettingsPatchSchema.parse(patch);
    const saved = this.readMeta('ui-settings', DEFAULT_SETTINGS);
    this.writeMeta('ui-settings', { ...saved, ...valid });
    const settings = await this.getSettings();
    this.emit({ type: 'status', status: await this.getStatus() });
    return settings;
  }

  // ---- checks and status ------------------------------------------------------------------

  private freshCameraVerdict(): Verdict | undefined {
    if (!this.cameraVerdict || this.now() - this.cameraVerdict.at > CAMERA_VERDICT_TTL_MS) {
      return undefined;
    }
    return this.cameraVerdict.verdict;
  }

  /** The default pipeline: keep the results, step the fault lifecycle, commit events. */
  private process(report: CheckReport): void {
    if (this.options.pipeline) {
      this.options.pipeline(report);
      return;
    }
    this.store.recordCheck(report);
    const tracks = this.store.loadTracks();
    const { changed, transitions } = evaluate(
      tracks,
      report.verdicts,
      this.now(),
      this.options.faultPolicy ?? DEFAULT_FAULT_POLICY,
      () => randomUUID(),
    );
    if (changed.length > 0 || transitions.length > 0) {
      this.store.commitFaults(changed, transitions, new Date(this.now()).toISOString());
    }
    for (const transition of transitions) {
      this.log('info', `${transition.type} ${transition.payload.code} (${transition.payload.faultId})`);
    }
    if (transitions.length > 0) {
      this.emit({ type: 'faults-changed' });
    }
  }

  async runCheck(request: RunCheckRequest = {}): Promise<CheckRunResult> {
    const { mode, roles } = RunCheckRequestSchema.parse(request);
    // One check at a time: a second request joins the running one.
    if (this.runningCheck) {
      return this.runningCheck;
    }
    const runId = `run-${++this.runs}-${randomBytes(4).toString('hex')}`;
    const work = (async () => {
      const expected = [...(Object.keys(this.profile.roles) as Role[])];
      if (!expected.includes('pc')) {
        expected.push('pc');
      }
      this.emit({ type: 'check-started', runId, mode, roles: roles ?? expected });
      this.emit({ type: 'status', status: await this.getStatus() });
      const camera = mode === 'active' ? this.freshCameraVerdict() : undefined;
      const report = await runCheck({
        adapters: this.options.adapters,
        profile: this.profile,
        catalog: this.options.catalog,
        dataDir: this.options.dataDir,
        mode,
        now: this.now,
        extraVerdicts: camera ? [camera] : undefined,
        onVerdict: (verdict, done, total) =>
          this.emit({
            type: 'check-progress',
            runId,
            done,
            total,
            role: verdict.role,
            status: verdict.status,
          }),
      });
      this.lastReport = report;
      try {
        this.process(report);
      } catch (error) {
        this.log('error', `storing the check failed: ${(error as Error).message}`);
      }
      this.log(
        'info',
        `${mode} check in ${report.durationMs} ms: ${report.canRecord ? 'can record' : 'cannot record'}`,
      );
      const verdicts = roles
        ? report.verdicts.filter((verdict) => verdict.role === null || roles.includes(verdict.role))
        : report.verdicts;
      return {
        runId,
        startedAt: report.startedAt,
        durationMs: report.durationMs,
        canRecord: report.canRecord,
        canPrint: report.canPrint,
        verdicts,
      };
    })();
    this.runningCheck = work;
    try {
      const result = await work;
      this.emit({
        type: 'check-finished',
        runId,
        canRecord: result.canRecord,
        durationMs: result.durationMs,
      });
      return result;
    } finally {
      this.runningCheck = null;
      this.emit({ type: 'status', status: await this.getStatus() });
    }
  }

  private districtView(fault: {
    faultId: string;
    delivery: 'queued' | 'reported' | 'rejected';
  }): FaultView['district'] {
    // The outbox records what the district answered about a fault under this key (when it does).
    const answer = this.readMeta<{ state?: DistrictState; note?: string; updatedAt?: string } | null>(
      `district-fault:${fault.faultId}`,
      null,
    );
    if (answer?.state) {
      return { state: answer.state, note: answer.note, updatedAt: answer.updatedAt };
    }
    return {
      state:
        fault.delivery === 'queued' ? 'queued' : fault.delivery === 'reported' ? 'reported' : 'not-reported',
    };
  }

  async listFaults(): Promise<FaultView[]> {
    return this.store.listFaults({ includeResolved: false }).map((record) => {
      const payload = record.payload as FaultPayload;
      const texts = describeCode(record.code, record.role as Role);
      return {
        id: record.faultId,
        role: record.role as Role,
        code: record.code,
        severity: payload.severity,
        message: payload.message,
        nextStep: texts.nextStep,
        openedAt: record.openedAt,
        closedAt: record.resolvedAt,
        flapping: payload.flapping,
        recurring: payload.recurring,
        district: this.districtView(record),
      };
    });
  }

  async getStatus(): Promise<StationStatus> {
    const report = this.lastReport;
    const faults = await this.listFaults();
    const camera = this.freshCameraVerdict();
    const expected = Object.keys(this.profile.roles) as Role[];
    const tiles: RoleTile[] = [];
    const byRole = new Map<Role, Verdict>();
    for (const verdict of report?.verdicts ?? []) {
      if (verdict.role) {
        byRole.set(verdict.role, verdict);
      }
    }
    // The camera's own frame verdict speaks when it is worse than what USB says.
    if (camera && (byRole.get('camera')?.status ?? 'ok') === 'ok' && camera.status !== 'ok') {
      byRole.set('camera', camera);
    }
    const roles = [...expected];
    const pc = byRole.get('pc');
    if (pc && pc.status !== 'ok' && !roles.includes('pc')) {
      roles.push('pc');
    }
    for (const role of roles) {
      const verdict = byRole.get(role);
      const fault = faults.find((candidate) => candidate.role === role);
      tiles.push({
        role,
        name: roleName(role),
        status: verdict?.status ?? 'unknown',
        code: verdict?.code ?? 'NOT_CHECKED',
        message: verdict?.message ?? { id: 'Belum diperiksa.', en: 'Not checked yet.' },
        nextStep: verdict?.nextStep ?? { id: 'Tunggu pemeriksaan.', en: 'Wait for the check.' },
        checkedAt: verdict?.checkedAt ?? null,
        fault: fault
          ? {
              id: fault.id,
              openedAt: fault.openedAt,
              flapping: fault.flapping,
              recurring: fault.recurring,
              district: fault.district,
            }
          : undefined,
      });
    }
    const roleStatus = Object.fromEntries(tiles.map((tile) => [tile.role, tile.status]));
    const recordingBlocked = (['camera', 'fingerprint', 'iris', 'signature', 'network'] as Role[]).some(
      (role) => expected.includes(role) && (roleStatus[role] === 'fault' || roleStatus[role] === 'unknown'),
    );
    const daily = this.readMeta<DailyCheckRecord | null>('daily-check:last', null);
    const settings = await this.getSettings();
    return {
      station: { name: this.profile.station?.name ?? 'Siaga', kecamatan: this.profile.station?.kecamatan },
      canRecord: report ? report.canRecord && !recordingBlocked : false,
      canPrint: report?.canPrint ?? false,
      tiles,
      others: (report?.verdicts ?? [])
        .filter((verdict) => verdict.role === null)
        .map((verdict) => ({ code: verdict.code, message: verdict.message, deviceKey: verdict.device?.key })),
      lastCheckAt: report ? new Date(Date.parse(report.startedAt) + report.durationMs).toISOString() : null,
      checking: this.runningCheck !== null,
      dailyCheck: {
        doneToday:
          daily !== null &&
          daily.completedAt.slice(0, 10) === new Date(this.now()).toISOString().slice(0, 10),
        lastCompletedAt: daily?.completedAt ?? null,
      },
      enrolled: this.options.isEnrolled?.() ?? false,
      outboxPending: this.store.pendingCount(),
      language: settings.language,
      kiosk: this.options.kiosk ?? false,
    };
  }

  // ---- daily check ------------------------------------------------------------------------

  async startDailyCheck(): Promise<CheckRunResult> {
    const result = await this.runCheck({ mode: 'active' });
    this.dailyRuns.add(result.runId);
    return result;
  }

  async submitDailyCheck(submission: DailyCheckSubmission): Promise<DailyCheckRecord> {
    const valid = DailyCheckSubmissionSchema.parse(submission);
    if (!this.dailyRuns.has(valid.runId)) {
      throw new Error(`unknown daily check run ${valid.runId}`);
    }
    this.dailyRuns.delete(valid.runId);
    const status = await this.getStatus();
    const completedAt = new Date(this.now()).toISOString();
    const manualProblem = valid.manual.some((step) => step.result === 'problem' && step.step !== 'iris');
    const record: DailyCheckRecord = {
      id: randomUUID(),
      completedAt,
      canRecord: status.canRecord && !manualProblem,
      operator: valid.operator,
      manual: valid.manual,
      consumables: valid.consumables,
      reported: true,
    };
    const roleStatus = Object.fromEntries(status.tiles.map((tile) => [tile.role, tile.status]));
    const consumables = {
      blankCards: valid.consumables.blankCards,
      ribbons: [{ name: 'Ribbon', remaining: valid.consumables.ribbonPrints, unit: 'prints' as const }],
    };
    this.store.transaction(() => {
      this.store.appendEvents([
        {
          type: 'daily-check.completed',
          occurredAt: completedAt,
          payload: {
            operatorName: valid.operator.name,
            operatorNip: valid.operator.nip,
            steps: [
              ...status.tiles.map((tile) => ({
                id: `auto-${tile.role}`,
                status: tile.status,
                note: tile.code,
              })),
              ...valid.manual.map((step) => ({
                id: `manual-${step.step}`,
                status:
                  step.result === 'ok'
                    ? ('ok' as const)
                    : step.result === 'problem'
                      ? ('fault' as const)
                      : ('unknown' as const),
                note: step.note,
              })),
            ],
            roleStatus,
            consumables,
          },
        },
        { type: 'consumables.reported', occurredAt: completedAt, payload: consumables },
      ]);
      this.writeMeta('daily-check:last', record);
      this.writeMeta('consumables', { ...valid.consumables, updatedAt: completedAt });
    });
    this.log('info', `daily check signed off by NIP ${valid.operator.nip}`);
    this.emit({ type: 'status', status: await this.getStatus() });
    return record;
  }

  async getConsumables(): Promise<Consumables> {
    const saved = this.readMeta<{ blankCards: number; ribbonPrints: number; updatedAt: string } | null>(
      'consumables',
      null,
    );
    const settings = await this.getSettings();
    return {
      blankCards: saved?.blankCards ?? null,
      ribbonPrints: saved?.ribbonPrints ?? null,
      updatedAt: saved?.updatedAt ?? null,
      lowBlankCards: settings.lowBlankCards,
      lowRibbonPrints: settings.lowRibbonPrints,
    };
  }

  async reportCamera(report: CameraReport): Promise<Verdict> {
    const valid = CameraReportSchema.parse(report);
    const status = CAMERA_STATUS[valid.code];
    const verdict: Verdict = {
      role: 'camera',
      status,
      code: valid.code,
      severity: status === 'fault' ? 'major' : status === 'warning' ? 'minor' : 'info',
      ...describeCode(valid.code, 'camera'),
      device: valid.deviceLabel
        ? { key: `camera:${valid.deviceLabel}`, model: valid.deviceLabel, transport: 'camera' }
        : undefined,
      measurements: {
        ...valid.measurements,
        width: valid.width,
        height: valid.height,
        hasSnapshot: valid.snapshot !== undefined,
      },
      checkedAt: new Date(this.now()).toISOString(),
      durationMs: valid.elapsedMs,
    };
    this.cameraVerdict = { verdict, at: this.now() };
    if (valid.snapshot) {
      this.writeMeta('camera:snapshot', {
        at: verdict.checkedAt,
        code: valid.code,
        snapshot: valid.snapshot,
      });
    }
    this.log(
      verdict.status === 'ok' ? 'info' : 'warn',
      `camera: ${valid.code} ${JSON.stringify(valid.measurements)}`,
    );
    this.emit({ type: 'status', status: await this.getStatus() });
    return verdict;
  }

  // ---- technician -------------------------------------------------------------------------

  private pinState(): PinState {
    return this.readMeta<PinState>('technician-pin', { failures: 0, lockedUntil: 0, lockouts: 0 });
  }

  private pinMatches(pin: string, state: PinState): boolean {
    if (!state.hash || !state.salt) {
      const initial = this.options.initialPin;
      return (
        initial !== undefined &&
        pin.length === initial.length &&
        timingSafeEqual(Buffer.from(pin), Buffer.from(initial))
      );
    }
    return timingSafeEqual(Buffer.from(hashPin(pin, state.salt), 'hex'), Buffer.from(state.hash, 'hex'));
  }

  async unlockTechnician(pin: string): Promise<UnlockResult> {
    const state = this.pinState();
    const now = this.now();
    if (state.lockedUntil > now) {
      return { ok: false, reason: 'locked', lockedUntil: new Date(state.lockedUntil).toISOString() };
    }
    if (PinSchema.safeParse(pin).success && this.pinMatches(pin, state)) {
      this.writeMeta('technician-pin', { ...state, failures: 0, lockedUntil: 0, lockouts: 0 });
      const token = randomBytes(24).toString('base64url');
      this.sessions.set(token, now + SESSION_MS);
      this.log('info', 'technician mode unlocked');
      return { ok: true, token, expiresAt: new Date(now + SESSION_MS).toISOString() };
    }
    const failures = state.failures + 1;
    if (failures >= PIN_ATTEMPTS) {
      const lockMs = Math.min(PIN_LOCKOUT_MS * 2 ** state.lockouts, PIN_LOCKOUT_MAX_MS);
      const lockedUntil = now + lockMs;
      this.writeMeta('technician-pin', { ...state, failures: 0, lockedUntil, lockouts: state.lockouts + 1 });
      this.log('warn', `technician PIN locked for ${lockMs / 60_000} min after ${failures} wrong entries`);
      return { ok: false, reason: 'locked', lockedUntil: new Date(lockedUntil).toISOString() };
    }
    this.writeMeta('technician-pin', { ...state, failures });
    this.log('warn', `wrong technician PIN (${failures} of ${PIN_ATTEMPTS})`);
    return { ok: false, reason: 'wrong-pin', attemptsLeft: PIN_ATTEMPTS - failures };
  }

  async lockTechnician(token: string): Promise<void> {
    this.sessions.delete(token);
  }

  private authorise(token: string): void {
    const expires = this.sessions.get(token);
    if (expires === undefined || expires < this.now()) {
      this.sessions.delete(token);
      throw new Error('technician session expired: enter the PIN again');
    }
    this.sessions.set(token, this.now() + SESSION_MS);
  }

  private roleOf(device: UsbDeviceInfo): Role | null {
    for (const [role, spec] of Object.entries(this.profile.roles) as [Role, RoleSpec][]) {
      if (findRoleDevice(role, spec, [device], this.options.catalog)) {
        return role;
      }
    }
    return matchUsbDevice(device, this.options.catalog)?.role ?? null;
  }

  readonly technician: StationApi['technician'] = {
    usbTree: async (token) => {
      this.authorise(token);
      const devices = await this.options.adapters.usb.list();
      return devices.map((device): UsbDeviceView => ({ ...device, role: this.roleOf(device) }));
    },
    history: async (token, role, limit = 50) => {
      this.authorise(token);
      const rows = this.store.db
        .prepare(
          `SELECT checked_at AS checkedAt, status, code, duration_ms AS durationMs, measurements
           FROM check_results WHERE role = ? ORDER BY id DESC LIMIT ?`,
        )
        .all(role, Math.min(500, Math.max(1, limit))) as (Omit<CheckHistoryEntry, 'measurements'> & {
        measurements: string;
      })[];
      return rows.map((row) => ({
        ...row,
        measurements: JSON.parse(row.measurements) as Record<string, unknown>,
      }));
    },
    logs: async (token) => {
      this.authorise(token);
      return [...this.logLines];
    },
    serial: async (command: SerialCommand): Promise<SerialReply> => {
      const valid = SerialCommandSchema.parse(command);
      this.authorise(valid.token);
      const result = await this.options.adapters.serial.query({
        path: valid.path,
        baudRate: valid.baudRate,
        request: Buffer.from(valid.data, 'latin1'),
        terminator: 0x0d,
        timeoutMs: valid.timeoutMs,
        maxReplyBytes: 4096,
      });
      const bytes = result.ok ? result.reply : (result.partial ?? Buffer.alloc(0));
      this.log('info', `serial ${valid.path}: ${result.ok ? `${bytes.length} bytes` : result.reason}`);
      return {
        ok: result.ok,
        text: bytes.toString('latin1'),
        hex: bytes.toString('hex').replace(/(..)(?=.)/g, '$1 '),
        message: result.ok ? undefined : `${result.reason}: ${result.message}`,
        elapsedMs: Math.round(result.elapsedMs),
      };
    },
    rerun: async (token, roles) => {
      this.authorise(token);
      return this.runCheck({ mode: 'active', roles });
    },
    adoptBaseline: async (token) => {
      this.authorise(token);
      const devices = await this.options.adapters.usb.list();
      const roles = { ...this.profile.roles };
      const adopted: Role[] = [];
      for (const [role, spec] of Object.entries(roles) as [Role, RoleSpec][]) {
        const device = findRoleDevice(role, spec, devices, this.options.catalog);
        if (device) {
          roles[role] = {
            ...spec,
            usb: {
              vendorId: hex4(device.vendorId),
              productId: hex4(device.productId),
              ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
            },
          };
          adopted.push(role);
        }
      }
      // Devices the catalog knows but no role claims yet become expected roles too.
      for (const device of devices) {
        const role = matchUsbDevice(device, this.options.catalog)?.role;
        if (role && !roles[role]) {
          roles[role] = {
            usb: {
              vendorId: hex4(device.vendorId),
              productId: hex4(device.productId),
              ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
            },
          };
          adopted.push(role);
        }
      }
      this.profile = parseProfile({ ...this.profile, roles }, 'adopted baseline');
      writeFileAtomic(
        path.join(this.options.dataDir, 'profile.json'),
        `${JSON.stringify(this.profile, null, 2)}\n`,
      );
      this.log('info', `baseline adopted for ${adopted.join(', ')}`);
      return { roles: adopted };
    },
    enroll: async (request: EnrollRequest) => {
      const valid = EnrollRequestSchema.parse(request);
      this.authorise(valid.token);
      if (!this.options.enroll) {
        return { ok: false, message: 'Enrollment is not available in this build.' };
      }
      try {
        const { stationId } = await this.options.enroll(valid.districtUrl, valid.code);
        this.store.setMeta('district-url', valid.districtUrl);
        this.log('info', `enrolled as ${stationId} at ${valid.districtUrl}`);
        return { ok: true, message: `Enrolled as ${stationId}` };
      } catch (error) {
        this.log('error', `enrollment failed: ${(error as Error).message}`);
        return { ok: false, message: (error as Error).message };
      }
    },
    exportDiagnostics: async (token): Promise<DiagnosticsBundle> => {
      this.authorise(token);
      return this.diagnosticsBundle();
    },
    changePin: async (token, newPin) => {
      const valid = ChangePinRequestSchema.parse({ token, newPin });
      this.authorise(valid.token);
      const salt = randomBytes(16).toString('hex');
      this.writeMeta('technician-pin', {
        hash: hashPin(valid.newPin, salt),
        salt,
        failures: 0,
        lockedUntil: 0,
        lockouts: 0,
      });
      this.log('info', 'technician PIN changed');
    },
  };

  /** Zip of what a technician needs to diagnose remotely. Never includes identity.json (private key). */
  async diagnosticsBundle(): Promise<DiagnosticsBundle> {
    const system = await this.options.adapters.system
      .snapshot(this.options.dataDir)
      .catch((error: unknown) => ({ error: String(error) }));
    const checks = this.store.db
      .prepare(
        'SELECT checked_at, mode, role, code, status, severity, device_key, duration_ms, measurements FROM check_results ORDER BY id DESC LIMIT 1000',
      )
      .all();
    const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);
    const files: Record<string, Uint8Array> = {
      'system.json': json({
        ...system,
        appVersion: this.options.appVersion ?? 'dev',
        node: process.version,
        generatedAt: new Date(this.now()).toISOString(),
      }),
      'profile.json': json(this.profile),
      'status.json': json(await this.getStatus()),
      'last-check.json': json(this.lastReport),
      'check-results.json': json(checks),
      'faults.json': json(this.store.listFaults({ includeResolved: true })),
      'outbox.json': json({ pending: this.store.pendingCount(), rejected: this.store.rejectedCount() }),
      'log.txt': strToU8(this.logLines.map((line) => `${line.at} ${line.level} ${line.message}`).join('\n')),
    };
    const zip = zipSync(files, { level: 6 });
    const stamp = new Date(this.now()).toISOString().replace(/[:.]/g, '-');
    this.log('info', `diagnostics bundle exported (${zip.length} bytes)`);
    return {
      fileName: `siaga-diagnostics-${stamp}.zip`,
      base64: Buffer.from(zip).toString('base64'),
      bytes: zip.length,
      entries: Object.keys(files),
    };
  }
}
