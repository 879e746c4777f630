// The station agent's run loop: checks at startup, on hotplug, passive checks periodically, active
// checks only when allowed (never while recording), a heartbeat, pruning, and delivery.
//
// Order of work after each check: its results are stored, the fault lifecycle is evaluated, the new
// lifecycle state and its events are committed in one transaction, and only then is the new state
// adopted in memory and the outbox woken. A failed write (disk full) leaves memory as it was, so the
// same transitions are found again by the next check; nothing detected is dropped.
// A full disk and a corrupt database are themselves faults of the `pc` role (PC_STORAGE_FULL,
// PC_DATABASE_CORRUPT), opened without debounce as soon as they can be written.
//
// The district answers each batch with its state of the station's faults (kept by the outbox for the
// kiosk) and sometimes a `rerun-checks` command: a person at the district asked to verify a repair,
// so the agent checks at once (active when allowed) and keeps re-checking while a fault is on its
// way to resolving. The heartbeat makes sure there is a batch, hence a reply, every interval.
import { randomInt } from 'node:crypto';
import os from 'node:os';
import type { EventType } from '../../protocol/events';
import { newEventId } from '../../protocol/events';
import type { Command } from '../../protocol/requests';
import type { Role, Verdict } from '../../protocol/verdict';
import type { Adapters } from './adapters';
import type { Catalog } from './catalog';
import type { CheckContext } from './check';
import type { FaultPolicy, TrackedFault } from './faults';
import { DEFAULT_FAULT_POLICY, evaluate, hasPending, openImmediately } from './faults';
import type { Identity } from './identity';
import { loadIdentity } from './identity';
import type { DeliveryPolicy, SendOutcome } from './outbox';
import { Outbox, pruneDistrictFaults } from './outbox';
import type { Profile } from './profile';
import type { PrunePolicy, StoredEvent } from './store/store';
import { DEFAULT_PRUNE_POLICY, isCorruptionError, isFullError, Store } from './store/store';
import type { CheckReport } from './types';

export interface Schedule {
  /** Between passive (never disturbing) background checks. */
  passiveIntervalMs: number;
  /** Between active checks (the daily check), run only when `activeAllowed` says so. */
  activeIntervalMs: number;
  heartbeatIntervalMs: number;
  /** A fault waiting for debounce is re-checked this soon. */
  confirmDelayMs: number;
  /** After a USB change, wait this long for enumeration to settle before checking. */
  hotplugSettleMs: number;
  pruneIntervalMs: number;
  /** While not enrolled, look for an identity file this often. */
  enrollmentPollMs: number;
}

export const DEFAULT_SCHEDULE: Schedule = {
  passiveIntervalMs: 60_000,
  activeIntervalMs: 24 * 60 * 60_000,
  // The district's board counts on a heartbeat a minute; its replies carry fault states and commands.
  heartbeatIntervalMs: 60_000,
  confirmDelayMs: 500,
  hotplugSettleMs: 200,
  pruneIntervalMs: 60 * 60_000,
  enrollmentPollMs: 10_000,
};

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
}

export type CheckMode = 'passive' | 'active';

export interface CheckRequestOptions {
  /** Verdicts measured elsewhere (the kiosk's camera analysis), merged into their role. */
  extraVerdicts?: Verdict[];
}

export interface CompletedCheck {
  runId: string;
  report: CheckReport;
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
  | { type: 'log'; line: string };

interface QueuedCheck {
  mode: CheckMode;
  extraVerdicts: Verdict[];
  done: Promise<CompletedCheck | null>;
}

export class Agent {
  readonly schedule: Schedule;
  readonly faultPolicy: FaultPolicy;
  private store: Store | null = null;
  private outbox: Outbox | null = null;
  private profileInUse: Profile;
  private tracks = new Map<string, TrackedFault>();
  private identityCache: Identity | null = null;
  private identityCheckedAt = -Infinity;
  private running = false;
  private recording = false;
  private lastReport: CheckReport | null = null;
  private lastActiveAt = -Infinity;
  /** An active check is owed (the district asked) and waits until one is allowed. */
  private activeOwed = false;
  /** Follow-up checks left to confirm a repair the district asked to verify. */
  private verifyChecksLeft = 0;
  private readonly seenCommands: string[] = [];
  private checkCount = 0;
  private checkRunning = false;
  private readonly listeners = new Set<(event: AgentEvent) => void>();
  private storageError: string | null = null;
  /** Faults the agent found in itself, waiting to be committed. */
  private selfFaults: (Verdict & { role: Role })[] = [];
  private checkChain: Promise<unknown> = Promise.resolve();
  /** The check requested but not started yet; later requests join it. */
  private queuedCheck: QueuedCheck | null = null;
  private deliveryLoop: Promise<void> | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<{ wakeable: boolean; resolve: () => void }>();
  private unsubscribeHotplug: (() => void) | null = null;
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: AgentOptions) {
    this.schedule = { ...DEFAULT_SCHEDULE, ...options.schedule };
    this.faultPolicy = { ...DEFAULT_FAULT_POLICY, ...options.faultPolicy };
    this.now = options.now ?? Date.now;
    this.profileInUse = options.profile;
    this.log = (line) => {
      options.log?.(line);
      this.emit({ type: 'log', line });
    };
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
    return this.checkRunning;
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
    this.openStore();
    this.append([
      {
        type: 'station.started',
        payload: {
          appVersion: this.options.appVersion,
          platform: `${process.platform} ${os.release()}`.slice(0, 100),
          hostname: os.hostname().slice(0, 255),
          expectedRoles: Object.keys(this.profileInUse.roles) as Role[],
        },
      },
    ]);
    this.deliveryLoop = this.deliver();
    if (this.options.hotplug) {
      this.unsubscribeHotplug = this.options.hotplug(() => this.notifyHotplug());
    }
    await this.requestCheck(this.activeAllowed() ? 'active' : 'passive');
    this.every(this.schedule.passiveIntervalMs, () => {
      const activeDue =
        (this.activeOwed || this.now() - this.lastActiveAt >= this.schedule.activeIntervalMs) &&
        this.activeAllowed();
      void this.requestCheck(activeDue ? 'active' : 'passive');
    });
    this.every(this.schedule.heartbeatIntervalMs, () => this.heartbeat());
    this.every(this.schedule.pruneIntervalMs, () => this.prune());
    this.heartbeat();
  }

  /** Stops timers, lets a running check and send finish, and closes the store. */
  async stop(): Promise<void> {
    if (!this.running) {
      return;
    }
    this.running = false;
    this.unsubscribeHotplug?.();
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const sleeper of this.sleepers) {
      sleeper.resolve();
    }
    await this.checkChain;
    await this.deliveryLoop;
    this.store?.close();
    this.store = null;
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
    this.after(this.schedule.hotplugSettleMs, () => void this.requestCheck('passive'));
  }

  /** The station was just enrolled: look for the identity now and send what is queued. */
  notifyEnrolled(): void {
    this.identityCheckedAt = -Infinity;
    this.wakeDelivery();
  }

  /**
   * Runs a check (after the one in progress, if any; requests made meanwhile are merged, active
   * winning, extra verdicts of later requests replacing earlier ones of the same role). Resolves
   * when the check and its commit are done: with its report, or null when the agent is stopped or
   * the check failed.
   */
  requestCheck(mode: CheckMode, options: CheckRequestOptions = {}): Promise<CompletedCheck | null> {
    const extra = options.extraVerdicts ?? [];
    if (this.queuedCheck) {
      const queued = this.queuedCheck;
      if (mode === 'active') {
        queued.mode = 'active';
      }
      queued.extraVerdicts = [
        ...queued.extraVerdicts.filter((verdict) => !extra.some((each) => each.role === verdict.role)),
        ...extra,
      ];
      return queued.done;
    }
    const entry: QueuedCheck = { mode, extraVerdicts: extra, done: Promise.resolve(null) };
    entry.done = this.checkChain.then(async () => {
      if (this.queuedCheck === entry) {
        this.queuedCheck = null;
      }
      if (!this.running) {
        return null;
      }
      const runId = `check-${++this.checkCount}`;
      this.checkRunning = true;
      this.emit({ type: 'check-started', runId, mode: entry.mode });
      let report: CheckReport | null = null;
      try {
        report = await this.checkOnce(runId, entry.mode, entry.extraVerdicts);
      } catch (error) {
        this.log(`check failed: ${(error as Error).stack ?? String(error)}`);
      } finally {
        this.checkRunning = false;
      }
      this.emit({ type: 'check-finished', runId, report });
      return report ? { runId, report } : null;
    });
    this.queuedCheck = entry;
    this.checkChain = entry.done;
    return entry.done;
  }

  status(): AgentStatus {
    return {
      running: this.running,
      lastReport: this.lastReport,
      lastCheckAt: this.lastReport
        ? new Date(Date.parse(this.lastReport.startedAt) + this.lastReport.durationMs).toISOString()
        : null,
      outboxPending: this.safely(() => this.store?.pendingCount() ?? 0, 0),
      deliveryFailures: this.outbox?.failures ?? 0,
      deliveryError: this.outbox?.lastError ?? null,
      clockOffsetMs: this.outbox?.clockOffsetMs ?? null,
      storageError: this.storageError,
      enrolled: this.identity() !== null,
    };
  }

  /** The store, for in-process readers (StationApi, tests). */
  get currentStore(): Store | null {
    return this.store;
  }

  private activeAllowed(): boolean {
    return this.options.activeAllowed ? this.options.activeAllowed() : !this.recording;
  }

  private async checkOnce(
    runId: string,
    mode: CheckMode,
    extraVerdicts: Verdict[],
  ): Promise<CheckReport | null> {
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
      this.activeOwed = false;
    }
    // Fault events first: if the disk is nearly full, they matter more than the check history.
    this.withStore((store) => {
      const nowMs = Date.parse(report.startedAt) || this.now();
      this.commitSelfFaults(store, nowMs);
      const result = evaluate(this.tracks, report.verdicts, nowMs, this.faultPolicy, () => this.newFaultId());
      const events = store.commitFaults(
        result.changed,
        result.transitions,
        new Date(this.now()).toISOString(),
      );
      this.adopt(result.changed);
      this.afterCommit(events);
    });
    this.withStore((store) => store.recordCheck(report));
    if (hasPending(this.tracks.values())) {
      this.after(this.schedule.confirmDelayMs, () => void this.requestCheck('passive'));
    } else if (this.verifyChecksLeft > 0) {
      // Verifying a repair: keep checking while an open fault passes, until it resolves.
      this.verifyChecksLeft = hasResolving(this.tracks.values()) ? this.verifyChecksLeft - 1 : 0;
      if (this.verifyChecksLeft > 0) {
        this.after(this.schedule.confirmDelayMs, () => void this.requestCheck(this.verifyMode()));
      }
    }
    return report;
  }

  /** Work the district asked for in its reply. Each command is done once, even if sent again. */
  private onCommands(commands: readonly Command[]): void {
    for (const command of commands) {
      if (this.seenCommands.includes(command.id)) {
        continue;
      }
      this.seenCommands.push(command.id);
      if (this.seenCommands.length > 100) {
        this.seenCommands.shift();
      }
      if (command.type === 'rerun-checks') {
        // A person at the district asked: an active check is justified, once recording allows it.
        this.log(`district asked to re-run the checks (${command.id})`);
        this.activeOwed = true;
        this.verifyChecksLeft = this.faultPolicy.passesToResolve + 1;
        this.after(0, () => void this.requestCheck(this.verifyMode()));
      }
    }
  }

  private verifyMode(): CheckMode {
    return this.activeAllowed() ? 'active' : 'passive';
  }

  private commitSelfFaults(store: Store, nowMs: number): void {
    while (this.selfFaults.length > 0) {
      const verdict = this.selfFaults[0]!;
      const result = openImmediately(this.tracks, verdict, nowMs, this.faultPolicy, this.newFaultId());
      const events = store.commitFaults(
        result.changed,
        result.transitions,
        new Date(this.now()).toISOString(),
      );
      this.adopt(result.changed);
      this.afterCommit(events);
      this.selfFaults.shift();
    }
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
      this.wakeDelivery();
    }
    if (events.some((event) => event.type.startsWith('fault.'))) {
      this.emit({ type: 'faults-changed' });
    }
  }

  private append(drafts: { type: EventType; payload: unknown }[]): void {
    this.withStore((store) => {
      const occurredAt = new Date(this.now()).toISOString();
      this.afterCommit(store.appendEvents(drafts.map((draft) => ({ ...draft, occurredAt }))));
    });
  }

  private heartbeat(): void {
    const report = this.lastReport;
    this.withStore((store) => {
      // One queued heartbeat says enough while offline; it is state, not history.
      if (store.hasPendingOfType('heartbeat')) {
        return;
      }
      const status = this.status();
      this.append([
        {
          type: 'heartbeat',
          payload: {
            roleStatus: report?.roleStatus ?? {},
            canRecord: report?.canRecord ?? false,
            canPrint: report?.canPrint ?? false,
            appVersion: this.options.appVersion,
            queueDepth: status.outboxPending,
            lastCheckAt: status.lastCheckAt,
            clockOffsetMs: status.clockOffsetMs,
          },
        },
      ]);
    });
  }

  private prune(): void {
    this.withStore((store) => {
      const { summarised } = store.prune(
        { ...DEFAULT_PRUNE_POLICY, ...this.options.prunePolicy },
        this.now(),
        this.faultPolicy.recurringWindowMs,
      );
      if (summarised > 0) {
        this.log(`summarised ${summarised} old check results`);
      }
      pruneDistrictFaults(store);
    });
  }

  /** On a full disk, free pages by summarising check history (never queued events); best effort. */
  private emergencyPrune(store: Store): void {
    const policy = { ...DEFAULT_PRUNE_POLICY, ...this.options.prunePolicy };
    try {
      const keep = Math.floor(Math.min(policy.maxRawResults, store.checkResultCount()) / 2);
      const { summarised } = store.prune(
        { ...policy, maxRawResults: keep },
        this.now(),
        this.faultPolicy.recurringWindowMs,
      );
      this.log(`disk full: summarised ${summarised} check results to make room`);
    } catch (error) {
      this.log(`disk full: could not make room: ${(error as Error).message}`);
    }
  }

  /**
   * Runs a write against the store. A full disk is remembered (and reported once writable); a
   * corrupt file is replaced and reported. Either way the agent keeps running.
   */
  private withStore(work: (store: Store) => void): void {
    const store = this.store;
    if (!store) {
      return;
    }
    try {
      work(store);
      if (this.storageError !== null) {
        this.log(`storage writable again after: ${this.storageError}`);
        this.storageError = null;
      }
    } catch (error) {
      if (isCorruptionError(error)) {
        this.log(`store corrupt, replacing it: ${(error as Error).message}`);
        this.safely(() => store.close(), undefined);
        this.openStore();
        return;
      }
      if (isFullError(error)) {
        if (this.storageError === null) {
          this.log(`store write failed, disk full: ${(error as Error).message}`);
          this.selfFaults.push(
            this.selfVerdict(
              'PC_STORAGE_FULL',
              'major',
              (error as Error).message,
              'Penyimpanan penuh: kejadian belum bisa dicatat',
              'Storage full: events cannot be recorded yet',
            ),
          );
        }
        this.storageError = (error as Error).message;
        this.emergencyPrune(store);
        return;
      }
      throw error;
    }
  }

  private openStore(): void {
    const store = Store.open(this.options.dataDir, {
      maxPageCount: this.options.maxPageCount,
      now: this.now,
    });
    this.store = store;
    this.tracks = store.loadTracks();
    this.outbox = new Outbox(store, () => this.identity(), {
      policy: this.options.deliveryPolicy,
      fetch: this.options.fetch,
      now: this.now,
      onCommands: (commands) => this.onCommands(commands),
      onDistrictFaults: (faultIds) => this.emit({ type: 'district-changed', faultIds }),
    });
    if (store.recovered) {
      const note = store.recovered;
      this.log(
        `database was corrupt (${note.reason}); moved to ${note.movedTo}; ${note.salvagedEvents} queued events salvaged`,
      );
      this.selfFaults.push(
        this.selfVerdict(
          'PC_DATABASE_CORRUPT',
          'major',
          `${note.reason}; moved to ${note.movedTo}; salvaged ${note.salvagedEvents} queued events`,
          'Basis data stasiun rusak dan diganti baru',
          'The station database was corrupt and was replaced',
        ),
      );
    }
  }

  private selfVerdict(
    code: string,
    severity: Verdict['severity'],
    detail: string,
    messageId: string,
    messageEn: string,
  ): Verdict & { role: Role } {
    return {
      role: 'pc',
      status: 'fault',
      code,
      severity,
      message: { id: messageId, en: messageEn },
      nextStep: { id: 'Hubungi teknisi kabupaten.', en: 'Call the district technician.' },
      measurements: { detail },
      checkedAt: new Date(this.now()).toISOString(),
      durationMs: 0,
    };
  }

  private identity(): Identity | null {
    if (
      this.identityCache === null &&
      performance.now() - this.identityCheckedAt >= this.schedule.enrollmentPollMs
    ) {
      this.identityCheckedAt = performance.now();
      try {
        this.identityCache = loadIdentity(this.options.dataDir);
      } catch (error) {
        this.log(`identity unreadable: ${(error as Error).message}`);
      }
    }
    return this.identityCache;
  }

  private async deliver(): Promise<void> {
    while (this.running) {
      let outcome: SendOutcome;
      try {
        outcome = this.outbox ? await this.outbox.sendBatch() : { kind: 'idle' };
      } catch (error) {
        this.log(`delivery error: ${(error as Error).message}`);
        outcome = {
          kind: 'retry',
          waitMs: this.schedule.confirmDelayMs * 10,
          reason: (error as Error).message,
        };
      }
      if (!this.running) {
        return;
      }
      switch (outcome.kind) {
        case 'idle':
          await this.sleep(this.schedule.heartbeatIntervalMs, true);
          break;
        case 'not-enrolled':
          await this.sleep(this.schedule.enrollmentPollMs, true);
          break;
        case 'delivered':
          if (outcome.remaining > 0 || outcome.waitMs > 0) {
            await this.sleep(outcome.waitMs, false);
          }
          break;
        case 'retry':
          this.log(`delivery retry in ${outcome.waitMs} ms: ${outcome.reason}`);
          await this.sleep(outcome.waitMs, false);
          break;
      }
    }
  }

  private wakeDelivery(): void {
    for (const sleeper of this.sleepers) {
      if (sleeper.wakeable) {
        sleeper.resolve();
      }
    }
  }

  /** Resolves after `ms`, at stop, or (if wakeable) when new events are committed. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = {
        wakeable,
        resolve: () => {
          clearTimeout(timer);
          this.sleepers.delete(sleeper);
          resolve();
        },
      };
      const timer = setTimeout(sleeper.resolve, ms);
      this.sleepers.add(sleeper);
    });
  }

  private after(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.running) {
        work();
      }
    }, ms);
    this.timers.add(timer);
  }

  private every(ms: number, work: () => void): void {
    this.after(ms, () => {
      work();
      this.every(ms, work);
    });
  }

  private newFaultId(): string {
    return `f-${newEventId(Math.max(0, Math.min(this.now(), 2 ** 48 - 1)), () => randomInt(2 ** 32) / 2 ** 32)}`;
  }

  private safely<T>(work: () => T, fallback: T): T {
    try {
      return work();
    } catch {
      return fallback;
    }
  }
}

/** Whether an open fault is passing now, that is on its way to resolving. */
function hasResolving(tracks: Iterable<TrackedFault>): boolean {
  for (const track of tracks) {
    if (track.phase === 'open' && track.passStreak > 0) {
      return true;
    }
  }
  return false;
}
