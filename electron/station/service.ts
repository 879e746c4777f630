// StationApi over the running station Agent: the agent owns the check loop, the store, the fault
// lifecycle and delivery to the district; this facade turns them into what the kiosk shows and
// asks for. main.ts exposes it over IPC; the tests expose it over HTTP. Node only.
import path from 'node:path';
import type {
  CameraReport,
  CheckHistoryEntry,
  CheckRunResult,
  Consumables,
  DailyCheckDelivery,
  DailyCheckRecord,
  DailyCheckSubmission,
  DiagnosticsBundle,
  EnrollRequest,
  FaultView,
  LogLine,
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
  DailyCheckSubmissionSchema,
  EnrollRequestSchema,
  RunCheckRequestSchema,
  SerialCommandSchema,
} from '../station-api';
import type { Verdict } from '../../protocol/verdict';
import type { Agent, AgentEvent } from '../agent/agent';
import { adoptStation, roleOfDevice } from '../agent/baseline';
import { checkedRoles } from '../agent/profile';
import { CAMERA_VERDICT_TTL_MS, CameraVerdicts } from './camera-verdicts';
import { commitDailyCheck, dailyCheckDelivery, readConsumables } from './daily-check';
import { buildDiagnosticsBundle } from './diagnostics';
import { readSettings, updateSettings } from './settings';
import { META } from '../agent/store/meta';
import { describe as describeCode } from '../agent/messages';
import { TechnicianLock } from './pin';
import { buildStatus, listedFaults } from './status';
import type { Store } from '../agent/store/store';
import { writeFileAtomic } from '../agent/store/store';
import { readForecasts } from '../agent/forecast/runner';

export { PIN_ATTEMPTS, PIN_LOCKOUT_MS } from './pin';

export interface StationServiceOptions {
  agent: Agent;
  /** PIN used until a technician sets one (packaging documents how to set it at install). */
  initialPin?: string;
  kiosk?: boolean;
  now?: () => number;
  /** Enrollment with the district (enroll.ts); absent in tests without a district. */
  enroll?: (districtUrl: string, code: string) => Promise<{ stationId: string }>;
}

/** Technician log lines kept in memory. */
const LOG_LINES = 500;
/** How long a daily sign-off waits for the district's acknowledgement before saying "queued" (ms). */
export const DELIVERY_WAIT_MS = 2_000;
const DELIVERY_POLL_MS = 25;

export class StationService implements StationApi {
  private readonly agent: Agent;
  private readonly now: () => number;
  private readonly listeners = new Set<(event: StationEvent) => void>();
  private readonly logLines: LogLine[] = [];
  private readonly camera: CameraVerdicts;
  private readonly lock: TechnicianLock;
  /** Runs started as the automatic phase of a daily check, waiting for their sign-off. */
  private readonly dailyRuns = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(private readonly options: StationServiceOptions) {
    this.agent = options.agent;
    this.now = options.now ?? Date.now;
    this.camera = new CameraVerdicts(this.now);
    this.lock = new TechnicianLock({
      store: () => this.store(),
      initialPin: options.initialPin,
      now: this.now,
      log: (level, message) => this.log(level, message),
    });
    this.unsubscribe = this.agent.subscribe((event) => this.onAgentEvent(event));
  }

  /** Stops listening to the agent (the agent itself is stopped by its owner). */
  stop(): void {
    this.unsubscribe();
    this.listeners.clear();
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

  private emitStatus(): void {
    if (this.listeners.size === 0) {
      return;
    }
    this.getStatus()
      .then((status) => this.emit({ type: 'status', status }))
      .catch((error: unknown) => this.log('error', `status failed: ${(error as Error).message}`));
  }

  private log(level: LogLine['level'], message: string): void {
    const line: LogLine = { at: new Date(this.now()).toISOString(), level, message };
    this.logLines.push(line);
    if (this.logLines.length > LOG_LINES) {
      this.logLines.shift();
    }
    this.emit({ type: 'log', line });
  }

  private onAgentEvent(event: AgentEvent): void {
    switch (event.type) {
      case 'check-started':
        this.emit({
          type: 'check-started',
          runId: event.runId,
          mode: event.mode,
          roles: checkedRoles(this.agent.profile),
        });
        this.emitStatus();
        break;
      case 'check-progress':
        this.emit({
          type: 'check-progress',
          runId: event.runId,
          done: event.done,
          total: event.total,
          role: event.verdict.role,
          status: event.verdict.status,
        });
        break;
      case 'check-finished':
        if (event.report) {
          const report = event.report;
          this.log(
            'info',
            `${report.mode} check in ${report.durationMs} ms: ${report.canRecord ? 'can record' : 'cannot record'}`,
          );
          this.emit({
            type: 'check-finished',
            runId: event.runId,
            canRecord: report.canRecord,
            durationMs: report.durationMs,
          });
        }
        this.emitStatus();
        break;
      case 'faults-changed':
        this.emit({ type: 'faults-changed' });
        break;
      case 'delivered':
        // The daily check's "sent to the district" may have become true.
        this.emitStatus();
        break;
      case 'district-changed':
        this.log('info', `district updated ${event.faultIds.length} fault(s)`);
        this.emit({ type: 'faults-changed' });
        this.emitStatus();
        break;
      case 'log':
        // Commit lines are for `siaga agent --verbose`; the technician log shows the rest.
        if (!event.line.startsWith('committed')) {
          this.log(/fail|error|corrupt|full/i.test(event.line) ? 'warn' : 'info', event.line);
        }
        break;
    }
  }

  private store(): Store {
    const store = this.agent.currentStore;
    if (!store) {
      throw new Error('the station agent is not running');
    }
    return store;
  }

  // ---- settings -----------------------------------------------------------------------------

  async getSettings(): Promise<Settings> {
    return readSettings(this.store(), this.agent.profile, this.agent.enrollment);
  }

  async updateSettings(patch: SettingsPatch): Promise<Settings> {
    updateSettings(this.store(), patch);
    this.emitStatus();
    return this.getSettings();
  }

  // ---- checks, faults and status --------------------------------------------------------------

  /** Runs a check through the agent (joining one that is queued); the agent adds the camera's verdict. */
  async runCheck(request: RunCheckRequest = {}): Promise<CheckRunResult> {
    const { mode, roles } = RunCheckRequestSchema.parse(request);
    const done = await this.agent.requestCheck(mode);
    if (!done) {
      throw new Error('the check did not run: the station agent is stopped or the check failed');
    }
    const { runId, report } = done;
    return {
      runId,
      startedAt: report.startedAt,
      durationMs: report.durationMs,
      recording: report.recording,
      printing: report.printing,
      canRecord: report.canRecord,
      canPrint: report.canPrint,
      verdicts: roles
        ? report.verdicts.filter((verdict) => verdict.role === null || roles.includes(verdict.role))
        : report.verdicts,
    };
  }

  async listFaults(): Promise<FaultView[]> {
    return listedFaults(this.store(), this.now());
  }

  /** Answers without a store too (data folder not writable), with that problem as a banner. */
  async getStatus(): Promise<StationStatus> {
    const store = this.agent.currentStore;
    const status = this.agent.status();
    const unwritable = this.agent.unwritable;
    return buildStatus({
      profile: this.agent.profile,
      report: status.lastReport,
      faults: store ? listedFaults(store, this.now()) : [],
      store,
      storageProblem: unwritable === null ? undefined : describeCode('PC_DATA_FOLDER_READONLY', 'pc'),
      checking: this.agent.checking,
      enrolled: status.enrolled,
      outboxPending: status.outboxPending,
      language: store
        ? readSettings(store, this.agent.profile, this.agent.enrollment).language
        : META.uiSettings.fallback.language,
      kiosk: this.options.kiosk ?? false,
      now: this.now(),
    });
  }

  // ---- daily check and consumables ------------------------------------------------------------

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
    const store = this.store();
    const { record, events } = commitDailyCheck(store, valid, await this.getStatus(), this.now());
    this.dailyRuns.delete(valid.runId);
    this.log('info', `daily check signed off by NIP ${record.operator.nip}`);
    this.agent.notifyCommitted(events);
    const delivery = await this.awaitDelivery(store, events[0]!.seq);
    this.emitStatus();
    return { ...record, delivery };
  }

  /**
   * The delivery state of the event `seq` once the district acknowledged it, or after
   * DELIVERY_WAIT_MS; at once while the district is known to fail (the outbox is backing off).
   */
  private async awaitDelivery(store: Store, seq: number): Promise<DailyCheckDelivery> {
    const deadline = performance.now() + DELIVERY_WAIT_MS;
    const failing = this.agent.status().deliveryFailures > 0 || !this.agent.status().enrolled;
    let delivery = dailyCheckDelivery(store, { eventSeq: seq });
    while (delivery === 'queued' && !failing && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, DELIVERY_POLL_MS));
      if (this.agent.status().deliveryFailures > 0) {
        break;
      }
      delivery = dailyCheckDelivery(store, { eventSeq: seq });
    }
    return delivery;
  }

  async getConsumables(): Promise<Consumables> {
    return readConsumables(this.store(), await this.getSettings());
  }

  async reportCamera(report: CameraReport): Promise<Verdict> {
    const verdict = this.camera.record(report, this.store());
    this.log(
      verdict.status === 'ok' ? 'info' : 'warn',
      `camera: ${verdict.code} ${JSON.stringify(report.measurements)}`,
    );
    // The agent checks at once with it (the fault lifecycle sees it); the kiosk need not wait.
    void this.agent.reportVerdict(verdict, CAMERA_VERDICT_TTL_MS);
    this.emitStatus();
    return verdict;
  }

  // ---- technician -------------------------------------------------------------------------------

  async unlockTechnician(pin: string): Promise<UnlockResult> {
    return this.lock.unlock(pin);
  }

  async lockTechnician(token: string): Promise<void> {
    this.lock.lock(token);
  }

  /** Whether a technician session is live (not part of StationApi: the shell asks, not the page). */
  technicianActive(): boolean {
    return this.lock.active;
  }

  readonly technician: StationApi['technician'] = {
    usbTree: async (token) => {
      this.lock.authorise(token);
      const devices = await this.agent.adapters.usb.list();
      return devices.map((device): UsbDeviceView => ({
        ...device,
        role: roleOfDevice(device, this.agent.profile, this.agent.catalog),
      }));
    },
    history: async (token, role, limit = 50) => {
      this.lock.authorise(token);
      const rows = this.store()
        .db.prepare(
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
      this.lock.authorise(token);
      return [...this.logLines];
    },
    forecasts: async (token) => {
      this.lock.authorise(token);
      return readForecasts(this.store());
    },
    serial: async (command: SerialCommand): Promise<SerialReply> => {
      const valid = SerialCommandSchema.parse(command);
      this.lock.authorise(valid.token);
      const result = await this.agent.adapters.serial.query({
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
      this.lock.authorise(token);
      return this.runCheck({ mode: 'active', roles });
    },
    adoptBaseline: async (token) => {
      this.lock.authorise(token);
      const { profile, adopted } = await adoptStation({
        profile: this.agent.profile,
        devices: await this.agent.adapters.usb.list(),
        catalog: this.agent.catalog,
        serial: this.agent.adapters.serial,
        dataDir: this.agent.dataDir,
      });
      writeFileAtomic(path.join(this.agent.dataDir, 'profile.json'), `${JSON.stringify(profile, null, 2)}\n`);
      this.agent.setProfile(profile);
      this.log('info', `baseline adopted for ${adopted.join(', ')}`);
      return { roles: adopted };
    },
    enroll: async (request: EnrollRequest) => {
      const valid = EnrollRequestSchema.parse(request);
      this.lock.authorise(valid.token);
      if (!this.options.enroll) {
        return { ok: false, message: 'Enrollment is not available in this build.' };
      }
      try {
        const { stationId } = await this.options.enroll(valid.districtUrl, valid.code);
        this.agent.notifyEnrolled();
        this.log('info', `enrolled as ${stationId} at ${valid.districtUrl}`);
        return { ok: true, message: `Enrolled as ${stationId}` };
      } catch (error) {
        this.log('error', `enrollment failed: ${(error as Error).message}`);
        return { ok: false, message: (error as Error).message };
      }
    },
    exportDiagnostics: async (token): Promise<DiagnosticsBundle> => {
      this.lock.authorise(token);
      return this.diagnosticsBundle();
    },
    changePin: async (token, newPin) => {
      this.lock.changePin(token, newPin);
    },
  };

  /** Zip of what a technician needs to diagnose remotely. Never includes identity.json (private key). */
  async diagnosticsBundle(): Promise<DiagnosticsBundle> {
    const bundle = await buildDiagnosticsBundle({
      adapters: this.agent.adapters,
      dataDir: this.agent.dataDir,
      appVersion: this.agent.appVersion,
      profile: this.agent.profile,
      store: this.store(),
      status: await this.getStatus(),
      lastReport: this.agent.status().lastReport,
      log: this.logLines,
      now: this.now(),
    });
    this.log('info', `diagnostics bundle exported (${bundle.bytes} bytes)`);
    return bundle;
  }
}
