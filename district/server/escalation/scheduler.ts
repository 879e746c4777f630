// Runs the escalation rules on a timer inside the server. One pass at a time, in this process and
// across every process on one PostgreSQL (an advisory lock, db/locks.ts): a pass reads the
// messages not sent yet and sends them, so two passes at once would send each twice. A timer that
// finds another process's pass running skips its turn; a pass asked for by a person waits for it.
// A failing pass is logged and the next one tries again. The timer does not keep the process alive.
import type { Scope } from '../../dash-api';
import { withAdvisoryLock } from '../db/locks';
import type { EscalationDeps, EscalationResult } from './run';
import { runEscalation } from './run';

export interface EscalationTimer {
  /** Runs one pass now over the scope's districts (default: all); waits for a running one first, here or in another process. */
  runNow(scope?: Scope): Promise<EscalationResult>;
  stop(): Promise<void>;
}

/**
 * One pass while no other process runs one. `wait: false` answers null at once when another
 * process is running a pass; `wait: true` waits for it to end. The time is read once the lock is held.
 */
export async function runEscalationExclusive(
  deps: EscalationDeps,
  now: () => number,
  options: { wait: boolean; scope?: Scope },
): Promise<EscalationResult | null> {
  const outcome = await withAdvisoryLock(deps.db, 'escalation', { wait: options.wait }, (stillHeld) =>
    runEscalation(deps, now(), options.scope, stillHeld),
  );
  return outcome.ran ? outcome.value : null;
}

export function startEscalationTimer(
  deps: EscalationDeps,
  options: { now: () => number; onError: (error: unknown) => void },
): EscalationTimer {
  let running: Promise<EscalationResult | null> | null = null;
  const runHere = async (wait: boolean, scope?: Scope): Promise<EscalationResult | null> => {
    while (running !== null) {
      await running.catch(() => undefined);
    }
    running = runEscalationExclusive(deps, options.now, { wait, scope });
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  const timer = setInterval(() => {
    runHere(false).catch(options.onError);
  }, deps.config.intervalMinutes * 60_000);
  timer.unref();
  return {
    async runNow(scope?: Scope): Promise<EscalationResult> {
      const result = await runHere(true, scope);
      if (result === null) {
        throw new Error('a waiting escalation pass cannot be skipped');
      }
      return result;
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
