// Runs the escalation rules on a timer inside the server. One pass at a time; a failing pass is
// logged and the next one tries again. The timer does not keep the process alive.
import type { EscalationDeps, EscalationResult } from './run';
import { runEscalation } from './run';

export interface EscalationTimer {
  /** Runs one pass now (waits for a running one first). */
  runNow(): Promise<EscalationResult>;
  stop(): Promise<void>;
}

export function startEscalationTimer(
  deps: EscalationDeps,
  options: { now: () => number; onError: (error: unknown) => void },
): EscalationTimer {
  let running: Promise<EscalationResult> | null = null;
  const runNow = async (): Promise<EscalationResult> => {
    while (running !== null) {
      await running.catch(() => undefined);
    }
    running = runEscalation(deps, options.now());
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  const timer = setInterval(() => {
    runNow().catch(options.onError);
  }, deps.config.intervalMinutes * 60_000);
  timer.unref();
  return {
    runNow,
    async stop(): Promise<void> {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
