// Watches the USB bus: re-enumerates on a timer (hotplug events are missed on some systems, and a
// fake sysfs tree sends none) and on every connect/disconnect event, diffs each enumeration against
// the previous one, and keeps a per-device history from which a loose cable can be told.
//
// A reconnect is seen even when it falls between two enumerations: the kernel gives a device a new
// device number (devnum, `address`) each time it enumerates it, so a device present in both scans
// under another devnum went away and came back (a detach and an attach, at the later scan). The one
// exception is a reset of a whole bus (a host controller recovering, a resume from sleep): when
// every device of a bus that was present in both scans changed its devnum at once (and there are at
// least two of them), that is the bus, not a cable, and nobody's reconnect count moves. A lone
// device's devnum change cannot be told from a reset and counts as one reconnect; the loose-cable
// verdict needs several (the profile's reconnectsForLooseCable, default 3) inside the window.
import type { UsbChange, UsbDeviceHistory, UsbDeviceInfo, UsbSource } from './types';
import type { UsbEventSource } from './usb-source';

export interface UsbMonitorOptions {
  /** Period of the re-enumeration, ms. Default 5000. */
  intervalMs?: number;
  /** Length of the sliding window of recentTransitions, ms. Default 10 minutes. */
  windowMs?: number;
  /**
   * Clock in ms; tests pass their own. Default: monotonic (performance.now), because the window is
   * a duration: a wall clock set back (NTP correcting a fast clock) would keep old reconnects in
   * the window for as long as it moved, and one set forward would drop fresh ones.
   */
  now?: () => number;
}

export type UsbChangeListener = (change: UsbChange) => void;

/** Histories of devices that went away are kept for reconnect counts, but not without bound. */
const MAX_HISTORIES = 512;

const noop = () => {};

export class UsbMonitor {
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly listeners = new Set<UsbChangeListener>();
  private readonly histories = new Map<string, UsbDeviceHistory>();
  private snapshot = new Map<string, UsbDeviceInfo>();
  private baselineTaken = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  /** The end of the refresh chain: each enumeration starts after the previous one finished. */
  private tail: Promise<void> = Promise.resolve();
  /** A timer or event refresh is queued and has not started: further requests join it. */
  private refreshQueued = false;
  private readonly onEvent = () => this.requestRefresh();
  /** Why the last enumeration failed; undefined after a successful one. */
  lastError?: string;
  /** Whole-bus resets seen (every device of a bus renumbered at once), not counted as reconnects. */
  busResets = 0;

  constructor(
    private readonly source: UsbSource & { readonly lastError?: string },
    private readonly events?: UsbEventSource,
    options: UsbMonitorOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 5000;
    this.windowMs = options.windowMs ?? 10 * 60_000;
    this.now = options.now ?? (() => performance.now());
  }

  /** Subscribes to attach/detach changes; returns the unsubscribe function. */
  onChange(listener: UsbChangeListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Starts the timer and the event listeners, and enumerates once now. Idempotent. */
  start(): void {
    if (this.timer !== undefined) {
      return;
    }
    this.timer = setInterval(() => this.requestRefresh(), this.intervalMs);
    this.events?.addEventListener('connect', this.onEvent);
    this.events?.addEventListener('disconnect', this.onEvent);
    this.requestRefresh();
  }

  /**
   * Removes the timer, the event listeners and every onChange subscriber. An enumeration already
   * running finishes and updates the history, but nobody is told.
   */
  stop(): void {
    if (this.timer !== undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    this.events?.removeEventListener('connect', this.onEvent);
    this.events?.removeEventListener('disconnect', this.onEvent);
    this.listeners.clear();
  }

  /**
   * One enumeration and diff. Calls are serialized: overlapping calls each run their own
   * enumeration, one after the other. Resolves with the devices present afterwards; when the
   * enumeration fails the previous snapshot is kept (and returned) rather than read as "all gone".
   */
  refresh(): Promise<UsbDeviceInfo[]> {
    const run = this.tail.then(() => this.enumerate());
    this.tail = run.then(noop, noop);
    return run;
  }

  /** A copy of the device's history with the window applied; undefined for a key never seen. */
  history(key: string): UsbDeviceHistory | undefined {
    const entry = this.histories.get(key);
    if (!entry) {
      return undefined;
    }
    this.prune(entry, this.now());
    return { ...entry, recentTransitions: [...entry.recentTransitions] };
  }

  /** The devices of the last successful enumeration. */
  devices(): UsbDeviceInfo[] {
    return [...this.snapshot.values()];
  }

  private requestRefresh(): void {
    if (this.refreshQueued) {
      return;
    }
    this.refreshQueued = true;
    this.refresh().catch(noop);
  }

  private async enumerate(): Promise<UsbDeviceInfo[]> {
    this.refreshQueued = false;
    let listed: UsbDeviceInfo[];
    try {
      listed = await this.source.list();
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
      return this.devices();
    }
    if (this.source.lastError !== undefined) {
      this.lastError = this.source.lastError;
      return this.devices();
    }
    this.lastError = undefined;
    const time = this.now();
    const next = new Map(listed.map((device) => [device.key, device]));
    const changes: UsbChange[] = [];
    for (const [key, device] of this.snapshot) {
      if (!next.has(key)) {
        changes.push({ type: 'detached', device });
        this.transition(key, time, false);
      }
    }
    for (const [key, device] of next) {
      const previous = this.histories.get(key);
      if (!this.snapshot.has(key)) {
        if (this.baselineTaken || previous) {
          changes.push({ type: 'attached', device });
          this.transition(key, time, true);
        } else {
          this.histories.set(key, {
            key,
            reconnects: 0,
            recentTransitions: [],
            present: true,
            lastSeen: time,
          });
        }
      }
      const entry = this.histories.get(key);
      if (entry) {
        entry.lastSeen = time;
      }
    }
    for (const [key, device] of this.renumbered(next)) {
      changes.push({ type: 'detached', device: this.snapshot.get(key)! }, { type: 'attached', device });
      this.transition(key, time, false);
      this.transition(key, time, true);
    }
    this.snapshot = next;
    this.baselineTaken = true;
    this.boundHistories();
    for (const change of changes) {
      for (const listener of [...this.listeners]) {
        try {
          listener(change);
        } catch {
          // A failing subscriber must not stop the others nor the monitor.
        }
      }
    }
    return listed;
  }

  /**
   * Devices present in both enumerations under a new devnum (re-enumerated between the scans),
   * less those of a bus where every device present in both was renumbered (a bus reset).
   * Root hubs (no port chain) keep devnum 1 through a reset and are left out of the comparison.
   */
  private renumbered(next: Map<string, UsbDeviceInfo>): [string, UsbDeviceInfo][] {
    const perBus = new Map<number | undefined, { kept: number; renumbered: [string, UsbDeviceInfo][] }>();
    for (const [key, device] of next) {
      const before = this.snapshot.get(key);
      if (!before || before.address === undefined || device.address === undefined || !device.ports?.length) {
        continue;
      }
      const bus = perBus.get(device.bus) ?? { kept: 0, renumbered: [] };
      perBus.set(device.bus, bus);
      bus.kept += 1;
      if (before.address !== device.address || before.bus !== device.bus) {
        bus.renumbered.push([key, device]);
      }
    }
    const found: [string, UsbDeviceInfo][] = [];
    for (const bus of perBus.values()) {
      if (bus.kept >= 2 && bus.renumbered.length === bus.kept) {
        this.busResets += 1;
      } else {
        found.push(...bus.renumbered);
      }
    }
    return found;
  }

  private transition(key: string, time: number, present: boolean): void {
    let entry = this.histories.get(key);
    if (!entry) {
      entry = { key, reconnects: 0, recentTransitions: [], present, lastSeen: time };
      this.histories.set(key, entry);
    } else if (present && !entry.present) {
      entry.reconnects += 1;
    }
    entry.present = present;
    entry.recentTransitions.push(time);
    this.prune(entry, time);
  }

  private prune(entry: UsbDeviceHistory, time: number): void {
    const oldest = time - this.windowMs;
    const firstKept = entry.recentTransitions.findIndex((stamp) => stamp > oldest);
    entry.recentTransitions.splice(0, firstKept === -1 ? entry.recentTransitions.length : firstKept);
  }

  private boundHistories(): void {
    if (this.histories.size <= MAX_HISTORIES) {
      return;
    }
    const absent = [...this.histories.values()]
      .filter((entry) => !entry.present)
      .sort((left, right) => left.lastSeen - right.lastSeen);
    for (const entry of absent.slice(0, this.histories.size - MAX_HISTORIES)) {
      this.histories.delete(entry.key);
    }
  }
}
