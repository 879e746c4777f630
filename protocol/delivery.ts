// What every outbox of a signed link shares (a station delivering to its district, a district
// server forwarding to its upstream): the outcome of one send, the retry delay after failures,
// Retry-After, and the loop that sends batch after batch in the background.
//
// Contract of `runDelivery`: sends batch after batch while `isRunning()`, and returns soon after it
// turns false (stop ends every sleep). Between batches it sleeps: nothing to send -> `idleMs`, not
// enrolled -> `notEnrolledMs`, both wakeable (events were committed, an enrollment happened); sent
// with more left or a server wait -> that wait; failed -> the outbox's backoff. An unexpected error
// is logged and retried after `errorRetryMs`. Without a sender (no store) it idles.

export type SendOutcome =
  /** Nothing queued. */
  | { kind: 'idle' }
  | { kind: 'not-enrolled' }
  /** A batch was stored by the other end; wait `waitMs` before the next one. */
  | { kind: 'delivered'; count: number; remaining: number; waitMs: number }
  /** Nothing was stored; try again after `waitMs`. */
  | { kind: 'retry'; waitMs: number; reason: string };

export interface BackoffPolicy {
  /** First retry delay after a failure (ms); doubles per consecutive failure. */
  baseBackoffMs: number;
  /** Cap of the retry delay (ms). */
  maxBackoffMs: number;
}

/**
 * Delay before the next attempt after `failures` consecutive failures: exponential, capped, with
 * equal jitter (`random` in [0, 1)), so senders that lost the link together do not return together.
 */
export function backoffMs(failures: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(30, Math.max(0, failures - 1));
  const ceiling = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as seconds or an HTTP date, in ms from `nowMs`; null if absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === '') {
    return null;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

export interface DeliveryLoopOptions {
  isRunning: () => boolean;
  /** The current sender; it may be replaced (a corrupt store) or absent. */
  sender: () => { sendBatch(): Promise<SendOutcome> } | null;
  sleep: (ms: number, wakeable: boolean) => Promise<void>;
  schedule: { idleMs: number; notEnrolledMs: number; errorRetryMs: number };
  log: (line: string) => void;
}

export async function runDelivery(options: DeliveryLoopOptions): Promise<void> {
  const { schedule, log } = options;
  while (options.isRunning()) {
    let outcome: SendOutcome;
    try {
      const sender = options.sender();
      outcome = sender ? await sender.sendBatch() : { kind: 'idle' };
    } catch (error) {
      log(`delivery error: ${(error as Error).message}`);
      outcome = { kind: 'retry', waitMs: schedule.errorRetryMs, reason: (error as Error).message };
    }
    if (!options.isRunning()) {
      return;
    }
    switch (outcome.kind) {
      case 'idle':
        await options.sleep(schedule.idleMs, true);
        break;
      case 'not-enrolled':
        await options.sleep(schedule.notEnrolledMs, true);
        break;
      case 'delivered':
        if (outcome.remaining > 0 || outcome.waitMs > 0) {
          await options.sleep(outcome.waitMs, false);
        }
        break;
      case 'retry':
        log(`delivery retry in ${outcome.waitMs} ms: ${outcome.reason}`);
        await options.sleep(outcome.waitMs, false);
        break;
    }
  }
}
