// The agent's schedule and the timers that carry it out.
//
// Contract of Timers: `after` and `every` run their work only while `isRunning()` is true when the
// timer fires; a sleeper resolves after its time, at `stop`, or (if wakeable) at `wake`. `stop`
// cancels every timer and resolves every sleeper, so nothing started here outlives `Agent.stop`.
// The delivery loop sleeps wakeable while it has nothing to send, so committed events go out at once.

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
  /**
   * Between re-enumerations of the USB bus when no hotplug event arrives (events are lost on some
   * systems; a reconnect between two scans is still seen by the device's new devnum).
   */
  usbRescanIntervalMs: number;
  /** `PRAGMA quick_check` of the open store this often, so damage is noticed while running. */
  integrityCheckMs: number;
  /** While the store cannot be opened (read-only data folder), try again this often. */
  storeRetryMs: number;
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
  // An enumeration costs about a millisecond.
  usbRescanIntervalMs: 10_000,
  integrityCheckMs: 5 * 60_000,
  storeRetryMs: 30_000,
};

interface Sleeper {
  wakeable: boolean;
  resolve: () => void;
}

export class Timers {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sleepers = new Set<Sleeper>();

  constructor(private readonly isRunning: () => boolean) {}

  /** Runs `work` once after `ms`, unless the agent stopped meanwhile. */
  after(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.isRunning()) {
        work();
      }
    }, ms);
    this.timers.add(timer);
  }

  /** Runs `work` every `ms` (the next interval starts when `work` returns) until the agent stops. */
  every(ms: number, work: () => void): void {
    this.after(ms, () => {
      work();
      this.every(ms, work);
    });
  }

  /** Resolves after `ms`, at stop, or (if wakeable) at `wake`. */
  sleep(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const sleeper: Sleeper = {
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

  /** Ends the wakeable sleeps now. */
  wake(): void {
    for (const sleeper of this.sleepers) {
      if (sleeper.wakeable) {
        sleeper.resolve();
      }
    }
  }

  /** Cancels every timer and ends every sleep. */
  stop(): void {
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
    this.timers.clear();
    for (const sleeper of this.sleepers) {
      sleeper.resolve();
    }
  }
}
