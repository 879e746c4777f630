// The agent's check queue: one check at a time, in request order.
//
// Contract: `request` resolves when its check (and its commit) is done, with the report, or with null
// when the agent was stopped before it started or the check failed (logged). A request made while a
// check waits to start joins that check instead of queueing another: active wins over passive, and
// its extra verdicts replace the waiting ones of the same role. `settled` resolves once every check
// requested so far has finished.
import type { Verdict } from '../../../protocol/verdict';
import type { CheckReport } from '../types';

export type CheckMode = 'passive' | 'active';

export interface CompletedCheck {
  runId: string;
  report: CheckReport;
}

export interface CheckQueueOptions {
  isRunning: () => boolean;
  /** Runs and commits one check; null when the agent stopped meanwhile. Throws when the check failed. */
  runOnce: (runId: string, mode: CheckMode, extraVerdicts: Verdict[]) => Promise<CheckReport | null>;
  onStarted: (runId: string, mode: CheckMode) => void;
  /** `report` is null when the check failed or the agent stopped during it. */
  onFinished: (runId: string, report: CheckReport | null) => void;
  log: (line: string) => void;
}

interface QueuedCheck {
  mode: CheckMode;
  extraVerdicts: Verdict[];
  done: Promise<CompletedCheck | null>;
}

export class CheckQueue {
  private chain: Promise<unknown> = Promise.resolve();
  /** The check requested but not started yet; later requests join it. */
  private queued: QueuedCheck | null = null;
  private count = 0;
  private runningNow = false;

  constructor(private readonly options: CheckQueueOptions) {}

  /** Whether a check is running now. */
  get checking(): boolean {
    return this.runningNow;
  }

  request(mode: CheckMode, extra: Verdict[]): Promise<CompletedCheck | null> {
    if (this.queued) {
      const queued = this.queued;
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
    entry.done = this.chain.then(async () => {
      if (this.queued === entry) {
        this.queued = null;
      }
      if (!this.options.isRunning()) {
        return null;
      }
      const runId = `check-${++this.count}`;
      this.runningNow = true;
      this.options.onStarted(runId, entry.mode);
      let report: CheckReport | null = null;
      try {
        report = await this.options.runOnce(runId, entry.mode, entry.extraVerdicts);
      } catch (error) {
        this.options.log(`check failed: ${(error as Error).stack ?? String(error)}`);
      } finally {
        this.runningNow = false;
      }
      this.options.onFinished(runId, report);
      return report ? { runId, report } : null;
    });
    this.queued = entry;
    this.chain = entry.done;
    return entry.done;
  }

  settled(): Promise<unknown> {
    return this.chain;
  }
}
