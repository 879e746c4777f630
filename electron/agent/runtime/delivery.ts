// Delivery of the outbox to the district in the background.
//
// Contract of `runDelivery`: sends batch after batch while `isRunning()`, and returns soon after it
// turns false (stop ends every sleep). Between batches it sleeps: nothing to send -> a heartbeat
// interval, not enrolled -> an enrollment poll, both woken early when events are committed; sent
// with more left or a server wait -> that wait; failed -> the outbox's backoff. An unexpected error
// is logged and retried after 10 confirm delays. Without an outbox (no store) it idles.
import type { Outbox, SendOutcome } from '../outbox';
import type { Schedule } from './schedule';

export interface DeliveryOptions {
  isRunning: () => boolean;
  /** The current outbox; it is replaced when a corrupt store is. */
  outbox: () => Outbox | null;
  sleep: (ms: number, wakeable: boolean) => Promise<void>;
  schedule: Pick<Schedule, 'heartbeatIntervalMs' | 'enrollmentPollMs' | 'confirmDelayMs'>;
  log: (line: string) => void;
}

export async function runDelivery(options: DeliveryOptions): Promise<void> {
  const { schedule, log } = options;
  while (options.isRunning()) {
    let outcome: SendOutcome;
    try {
      const outbox = options.outbox();
      outcome = outbox ? await outbox.sendBatch() : { kind: 'idle' };
    } catch (error) {
      log(`delivery error: ${(error as Error).message}`);
      outcome = {
        kind: 'retry',
        waitMs: schedule.confirmDelayMs * 10,
        reason: (error as Error).message,
      };
    }
    if (!options.isRunning()) {
      return;
    }
    switch (outcome.kind) {
      case 'idle':
        await options.sleep(schedule.heartbeatIntervalMs, true);
        break;
      case 'not-enrolled':
        await options.sleep(schedule.enrollmentPollMs, true);
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
