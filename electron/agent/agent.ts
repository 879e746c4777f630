// The station agent's run loop: checks at startup, on hotplug, passive checks periodically, active
// checks only when allowed (never while recording), a heartbeat, pruning, and delivery.
//
// Order of work after each check: its results are stored, the fault lifecycle is evaluated, the new
// lifecycle state and its events are committed in one transaction, and only then is the new state
// adopted in memory and the outbox woken. A failed write (disk full) leaves memory as it was, so the
// same transitions are found again by the next check; nothing detected is dropped.
// A full disk, a corrupt database and a data folder that cannot be written are themselves faults of
// the `pc` role (PC_STORAGE_FULL, PC_DATABASE_CORRUPT, PC_DATA_FOLDER_READONLY), opened without
// debounce as soon as they can be written. The agent does not stop for them: without a store it
// keeps checking (the kiosk shows the problem) and retries the store every `storeRetryMs`; the
// store is quick-checked every `integrityCheckMs`. A data folder other accounts can read is a
// check verdict of the `pc` role (PC_DATA_FOLDER_OPEN), so it resolves once fixed.
//
// The district answers each batch with its state of the station's faults (kept by the outbox for the
// kiosk) and sometimes a `rerun-checks` command: a person at the district asked to verify a repair,
// so the agent checks at once (active when allowed) and keeps re-checking while a fault is on its
// way to resolving. The heartbeat makes sure there is a batch, hence a reply, every interval.
//
// Agent is the facade that wires the parts: agent-check-queue (one check at a time, merged requests),
// agent-district (replies), agent-schedule (schedule, timers, sleepers), agent-heartbeat (what the
// station says about itself), agent-storage (store, storage faults, pruning), agent-delivery (outbox
// loop, identity). The fault lifecycle itself is faults.ts.
import { randomInt } from 'node:crypto';
import type { EventType } from '../../protocol/events';
import { newEventId } from '../../protocol/events';
import type { Role, Verdict } from '../../protocol/verdict';
import type { Adapters } from './adapters';
import type { CheckMode, CompletedCheck } from './runtime/check-queue';
import { CheckQueue } from './runtime/check-queue';
import { runDelivery } from './runtime/delivery';
import { DistrictReplies } from './runtime/district-replies';
import { heartbeatDraft, stationStartedDraft } from './runtime/heartbeat';
import { InventoryReporter } from './runtime/inventory';
import type { Schedule } from './runtime/schedule';
import { DEFAULT_SCHEDULE, Timers } from './runtime/schedule';
import { ForecastRunner } from './forecast/runner';
import type { SelfFault } from './runtime/storage';
import { AgentStorage, eventRefusedFault } from './runtime/storage';
import { OBSERVED_VERDICT_TTL_MS, ObservedVerdicts } from './runtime/observed-verdicts';
import type { Catalog } from './catalog';
import type { CheckContext } from './check';
import type { FaultPolicy, TrackedFault } from './faults';
import { DEFAULT_FAULT_POLICY, evaluate, hasPending, openImmediately } from './faults';
import type { DeliveryPolicy } from './outbox';
import { Outbox } from './outbox';
import type { Enrollment } from './identity';
import { IdentityCache } from './identity';
import type { Profile } from './profile';
import type { PrunePolicy, Store, StoredEvent } from './store/store';
import type { CheckReport } from './types';

export type { CheckMode, CompletedCheck, Schedule };
export { DEFAULT_SCHEDULE, OBSERVED_VERDICT_TTL_MS };

export type RunCheck = (context: CheckContext) => Promise<CheckReport>;

export interface AgentOptions {
  dataDir: string;
  profile: Profile;
  catalog: Catalog;
  adapters: Adapters;
  runCheck: RunCheck;
  appVersion: string;
  schedule?: Partial<Schedule>;
  faultPolicy?: Partial<FaultPolicy>;
  deliveryPolicy?: Partial<DeliveryPolicy>;
  prunePolicy?: Partial<PrunePolicy>;
  /** Whether an active check may run now (default: not while the operator is recording). */
  activeAllowed?: () => boolean;
  /** Subscribes to USB attach/detach; returns the unsubscribe function. */
  hotplug?: (listener: () => void) => () => void;
  fetch?: typeof fetch;
  /** Local clock (ms). */
  now?: () => number;
  /** Store option for tests: PRAGMA max_page_count. */
  maxPageCount?: number;
  /** Forecasts are recomputed after a check at most this often (ms; default an hour). */
  forecastIntervalMs?: number;
  log?: (line: string) => void;
}

export interface AgentStatus {
  running: boolean;
  lastReport: CheckReport | null;
  lastCheckAt: string | null;
  outboxPending: number;
  deliveryFailures: number;
  deliveryError: string | null;
  clockOffsetMs: number | null;
  storageError: string | null;
  enrolled: boolean;
  /** Enrolled with --insecure: reports travel over plain HTTP to another PC. */
  districtLinkInsecure: boolean;
}

export interface CheckRequestOptions {
  /** Verdicts measured elsewhere (the kiosk's camera analysis), merged into their role. */
  extraVerdicts?: Verdict[];
}

/** What the agent tells in-process listeners (the kiosk's StationService). */
export type AgentEvent =
  | { type: 'check-started'; runId: string; mode: CheckMode }
  | { type: 'check-progress'; runId: string; verdict: Verdict; done: number; total: number }
  /** `report` is null when the check failed (logged). */
  | { type: 'check-finished'; runId: string; report: CheckReport | null }
  /** Fault events were committed. */
  | { type: 'faults-changed' }
  /** The district's state of these faults changed (store meta, see outbox.ts). */
  | { type: 'district-changed'; faultIds: string[] }
  /** The district acknowledged a batch of events (they left the outbox). */
  | { type: 'delivered'; count: number }
  | { type: 'log'; line: string };

export class Agent {
  readonly schedule: Schedule;
  readonly faultPolicy: FaultPolicy;
  private profileInUse: Profile;
  private tracks = new Map<string, TrackedFault>();
  private outbox: Outbox | null = null;
  private running = false;
  private recording = false;
  private lastReport: CheckReport | null = null;
  private lastActiveAt = -Infinity;
  private readonly listeners = new Set<(event: AgentEvent) => void>();
  private deliveryLoop: Promise<void> | null = null;
  private unsubscribeHotplug: (() => void) | null = null;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly timers: Timers;
  private readonly checks: CheckQueue;
  private readonly district: DistrictReplies;
  private readonly storage: AgentStorage;
  private readonly identity: IdentityCache;
  private readonly inventory = new InventoryReporter();
  private readonly observed: ObservedVerdicts;
  private readonly forecasts: ForecastRunner;

  constructor(private readonly options: AgentOptions) {
    this.schedule = { ...DEFAULT_SCHEDULE, ...options.schedule };
    this.faultPolicy = { ...DEFAULT_FAULT_POLICY, ...options.faultPolicy };
    this.now = options.now ?? Date.now;
    this.profileInUse = options.profile;
    this.observed = new ObservedVerdicts(this.now);
    this.log = (line) => {
      options.log?.(line);
      this.emit({ type: 'log', line });
    };
    this.timers = new Timers(() => this.running);
    this.forecasts = new ForecastRunner({
      now: this.now,
      intervalMs: options.forecastIntervalMs,
      log: this.log,
    });
    this.checks = new CheckQueue({
      isRunning: () => this.running,
      runOnce: (runId, mode, extraVerdicts) => this.checkOnce(runId, mode, extraVerdicts),
      onStarted: (runId, mode) => this.emit({ type: 'check-started', runId, mode }),
      onFinished: (runId, report) => this.emit({ type: 'check-finished', runId, report }),
      log: this.log,
    });
    this.district = new DistrictReplies({
      passesToResolve: this.faultPolicy.passesToResolve,
      checkNow: () => this.timers.after(0, () => void this.requestCheck(this.verifyMode())),
      faultsChanged: (faultIds) => this.emit({ type: 'district-changed', faultIds }),
      log: this.log,
    });
    this.identity = new IdentityCache(options.dataDir, this.schedule.enrollmentPollMs, this.log);
    this.storage = new AgentStorage({
      dataDir: options.dataDir,
      maxPageCount: options.maxPageCount,
      prunePolicy: options.prunePolicy,
      recurringWindowMs: this.faultPolicy.recurringWindowMs,
      now: this.now,
      onOpen: (store) => this.adoptStore(store),
      log: this.log,
    });
  }

  get profile(): Profile {
    return this.profileInUse;
  }

  /** A new baseline (technician): the next check expects these roles. */
  setProfile(profile: Profile): void {
    this.profileInUse = profile;
  }

  get adapters(): Adapters {
    return this.options.adapters;
  }

  get catalog(): Catalog {
    return this.options.catalog;
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get appVersion(): string {
    return this.options.appVersion;
  }

  /** Whether a check is running now. */
  get checking(): boolean {
    return this.checks.checking;
  }

  /** Listens to checks, fault and district changes, and log lines; returns the unsubscribe function. */
  subscribe(listener: (event: AgentEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: AgentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed window) must not stop the agent.
      }
    }
  }

  /** Opens the store, records the start, runs the startup check and starts the schedule. */
  async start(): Promise<void> {
    if (this.running) {
      return;
    }
    this.running = true;
    const opened = this.storage.open();
    this.append([stationStartedDraft(this.options.appVersion, this.profileInUse)]);
    this.deliveryLoop = runDelivery({
      isRunning: () => this.running,
      outbox: () => this.outbox,
      sleep: (ms, wakeable) => this.timers.sleep(ms, wakeable),
      schedule: this.schedule,
      log: this.log,
    });
    if (this.options.hotplug) {
      this.unsubscribeHotplug = this.options.hotplug(() => this.notifyHotplug());
    }
    await this.requestCheck(this.activeAllowed() ? 'active' : 'passive');
    this.timers.every(this.schedule.passiveIntervalMs, () => {
      const activeDue =
        (this.district.activeOwed || this.now() - this.lastActiveAt >= this.schedule.activeIntervalMs) &&
        this.activeAllowed();
      void this.requestCheck(activeDue ? 'active' : 'passive');
    });
    this.timers.every(this.schedule.heartbeatIntervalMs, () => this.heartbeat());
    this.timers.every(this.schedule.pruneIntervalMs, () => this.storage.prune());
    this.timers.every(this.schedule.integrityCheckMs, () => {
      if (!this.storage.verify()) {
        void this.requestCheck('passive');
      }
    });
    if (!opened) {
      this.retryStore();
    }
    this.heartbeat();
  }

  /** Stops timers, lets a running check and send finish, and closes the store. */
  async stop(): Promise<void> {
    if (!this.running) {
      return;
    }
    this.running = false;
    this.unsubscribeHotplug?.();
    this.timers.stop();
    await this.checks.settled();
    await this.deliveryLoop;
    this.storage.close();
  }

  /** The operator is recording (or stopped): active checks wait while recording. */
  setRecording(recording: boolean): void {
    this.recording = recording;
  }

  /** A USB device came or went: check soon, passively. */
  notifyHotplug(): void {
    if (!this.running) {
      return;
    }
    this.timers.after(this.schedule.hotplugSettleMs, () => void this.requestCheck('passive'));
  }

  /** Events committed outside the agent (the kiosk's daily check): send them now. */
  notifyCommitted(events: readonly StoredEvent[]): void {
    this.afterCommit(events);
  }

  /** The station was just enrolled: look for the identity now and send what is queued. */
  notifyEnrolled(): void {
    this.identity.pollNow();
    this.timers.wake();
  }

  /**
   * Runs a check (after the one in progress, if any; requests made meanwhile are merged, active
   * winning, extra verdicts of later requests replacing earlier ones of the same role). Resolves
   * when the check and its commit are done: with its report, or null when the agent is stopped or
   * the check failed.
   */
  requestCheck(mode: CheckMode, options: CheckRequestOptions = {}): Promise<CompletedCheck | null> {
    return this.checks.request(mode, options.extraVerdicts ?? []);
  }

  /** Where and as whom the station is enrolled (identity.json without its key); null before enrollment. */
  get enrollment(): Enrollment | null {
    const identity = this.identity.get();
    if (identity === null) {
      return null;
    }
    const { privateKey: _privateKey, ...enrollment } = identity;
    return enrollment;
  }

  /** Why the store cannot be opened (the data folder cannot be written), or null. */
  get unwritable(): string | null {
    return this.storage.unwritable;
  }

  /**
   * A verdict measured outside the agent (the kiosk's camera frame analysis): kept as its role's
   * latest, included in every check while `ttlMs` has not passed (a stale failure then counts as
   * unknown), and checked at once so the fault lifecycle sees it now. Resolves when that check is done.
   */
  async reportVerdict(verdict: Verdict, ttlMs = OBSERVED_VERDICT_TTL_MS): Promise<void> {
    this.observed.report(verdict, ttlMs, this.storage.store);
    if (this.running) {
      await this.requestCheck('passive');
    }
  }

  /** The latest reported verdict of `role` while it counts (with its age), if any. */
  observedVerdict(role: Role): Verdict | undefined {
    return this.observed.fresh(role);
  }

  status(): AgentStatus {
    let outboxPending = 0;
    try {
      outboxPending = this.storage.store?.pendingCount() ?? 0;
    } catch {
      // An unreadable store counts as empty here; its error is reported by the next write.
    }
    return {
      running: this.running,
      lastReport: this.lastReport,
      lastCheckAt: this.lastReport
        ? new Date(Date.parse(this.lastReport.startedAt) + this.lastReport.durationMs).toISOString()
        : null,
      outboxPending,
      deliveryFailures: this.outbox?.failures ?? 0,
      deliveryError: this.outbox?.lastError ?? null,
      clockOffsetMs: this.outbox?.clockOffsetMs ?? null,
      storageError: this.storage.storageError,
      enrolled: this.identity.get() !== null,
      districtLinkInsecure: this.identity.get()?.insecure === true,
    };
  }

  /** The store, for in-process readers (StationApi, tests). */
  get currentStore(): Store | null {
    return this.storage.store;
  }

  /** Retries opening the store until it opens; then records the start and commits the fault. */
  private retryStore(): void {
    this.timers.after(this.schedule.storeRetryMs, () => {
      if (!this.storage.open()) {
        this.retryStore();
        return;
      }
      this.append([stationStartedDraft(this.options.appVersion, this.profileInUse)]);
      void this.requestCheck('passive');
    });
  }

  private activeAllowed(): boolean {
    return this.options.activeAllowed ? this.options.activeAllowed() : !this.recording;
  }

  private verifyMode(): CheckMode {
    return this.activeAllowed() ? 'active' : 'passive';
  }

  /** A store was opened: the fault lifecycle and the outbox continue from what it holds. */
  private adoptStore(store: Store): void {
    this.tracks = store.loadTracks();
    this.observed.load(store);
    this.outbox = new Outbox(store, () => this.identity.get(), {
      policy: this.options.deliveryPolicy,
      fetch: this.options.fetch,
      now: this.now,
      onCommands: (commands) => this.district.onCommands(commands),
      onDistrictFaults: (faultIds) => this.district.onDistrictFaults(faultIds),
      onParked: (event, reason) => this.eventParked(event, reason),
      onDelivered: (count) => this.emit({ type: 'delivered', count }),
    });
  }

  private async checkOnce(
    runId: string,
    mode: CheckMode,
    requestVerdicts: Verdict[],
  ): Promise<CheckReport | null> {
    // A request's own verdicts are newer than the kept observation of their role.
    const folder = this.storage.folderVerdict();
    const extraVerdicts = [
      ...this.observed
        .forCheck()
        .filter((verdict) => !requestVerdicts.some((extra) => extra.role === verdict.role)),
      ...requestVerdicts,
      ...(folder ? [folder] : []),
    ];
    const report = await this.options.runCheck({
      adapters: this.options.adapters,
      profile: this.profileInUse,
      catalog: this.options.catalog,
      dataDir: this.options.dataDir,
      mode,
      now: this.now,
      extraVerdicts: extraVerdicts.length > 0 ? extraVerdicts : undefined,
      onVerdict: (verdict, done, total) => this.emit({ type: 'check-progress', runId, verdict, done, total }),
    });
    if (!this.running) {
      return null;
    }
    this.lastReport = report;
    if (mode === 'active') {
      this.lastActiveAt = this.now();
      this.district.activeCheckDone();
    }
    // Fault events first: if the disk is nearly full, they matter more than the check history.
    this.storage.write((store) => {
      const nowMs = Date.parse(report.startedAt) || this.now();
      this.storage.commitSelfFaults((fault) => this.commitSelfFault(store, fault, nowMs));
      const result = evaluate(this.tracks, report.verdicts, nowMs, this.faultPolicy, () => this.newFaultId());
      const events = store.commitFaults(
        result.changed,
        result.transitions,
        new Date(this.now()).toISOString(),
      );
      this.adopt(result.changed);
      this.afterCommit(events);
    });
    this.reportInventory(report);
    this.storage.write((store) => store.recordCheck(report));
    this.storage.write((store) =>
      this.afterCommit(
        this.forecasts.afterCheck(store, {
          report,
          profile: this.profileInUse,
          clockOffsetMs: this.outbox?.clockOffsetMs ?? null,
        }),
      ),
    );
    if (hasPending(this.tracks.values())) {
      this.timers.after(this.schedule.confirmDelayMs, () => void this.requestCheck('passive'));
    } else if (this.district.continueVerifying(this.tracks.values())) {
      // Verifying a repair: keep checking while an open fault passes, until it resolves.
      this.timers.after(this.schedule.confirmDelayMs, () => void this.requestCheck(this.verifyMode()));
    }
    return report;
  }

  /** The device inventory after the first check of a start, then whenever a check finds it changed. */
  private reportInventory(report: CheckReport): void {
    const draft = this.inventory.draft(report);
    if (!draft) {
      return;
    }
    this.storage.write((store) => {
      const occurredAt = new Date(this.now()).toISOString();
      const events = store.appendEvents([{ type: draft.type, payload: draft.payload, occurredAt }]);
      this.inventory.committed(draft.text);
      this.afterCommit(events);
    });
  }

  /** The district refused an event for good: a fault of the station itself, opened at once. */
  private eventParked(event: StoredEvent, reason: string): void {
    this.log(`event ${event.id} (${event.type}, seq ${event.seq}) parked: ${reason}`);
    this.storage.raise(eventRefusedFault(event, reason, this.now()));
    this.storage.write((store) =>
      this.storage.commitSelfFaults((fault) => this.commitSelfFault(store, fault, this.now())),
    );
  }

  private commitSelfFault(store: Store, fault: SelfFault, nowMs: number): void {
    const result = openImmediately(this.tracks, fault, nowMs, this.faultPolicy, this.newFaultId());
    const events = store.commitFaults(result.changed, result.transitions, new Date(this.now()).toISOString());
    this.adopt(result.changed);
    this.afterCommit(events);
  }

  private adopt(changed: readonly TrackedFault[]): void {
    for (const track of changed) {
      this.tracks.set(track.key, track);
    }
  }

  private afterCommit(events: readonly StoredEvent[]): void {
    for (const event of events) {
      this.log(`committed ${event.type} seq ${event.seq} ${event.faultId ?? ''}`.trimEnd());
    }
    if (events.length > 0) {
      this.timers.wake();
    }
    if (events.some((event) => event.type.startsWith('fault.'))) {
      this.emit({ type: 'faults-changed' });
    }
  }

  private append(drafts: { type: EventType; payload: unknown }[]): void {
    this.storage.write((store) => {
      const occurredAt = new Date(this.now()).toISOString();
      this.afterCommit(store.appendEvents(drafts.map((draft) => ({ ...draft, occurredAt }))));
    });
  }

  private heartbeat(): void {
    const report = this.lastReport;
    this.storage.write((store) => {
      // One queued heartbeat says enough while offline; it is state, not history.
      if (store.hasPendingOfType('heartbeat')) {
        return;
      }
      const openFaultIds = store.listFaults().map((fault) => fault.faultId);
      this.append([heartbeatDraft(report, this.status(), this.options.appVersion, openFaultIds)]);
    });
  }

  private newFaultId(): string {
    return `f-${newEventId(Math.max(0, Math.min(this.now(), 2 ** 48 - 1)), () => randomInt(2 ** 32) / 2 ** 32)}`;
  }
}
