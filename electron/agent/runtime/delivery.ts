// Delivery of the outbox to the district in the background: the shared loop of protocol/delivery.ts
// on the station's schedule. Nothing to send -> a heartbeat interval, not enrolled -> an enrollment
// poll (both woken early when events are committed); an unexpected error -> 10 confirm delays.
import { runDelivery as runDeliveryLoop } from '../../../protocol/delivery';
import type { Outbox } from '../outbox';
import type { Schedule } from './schedule';

export interface DeliveryOptions {
  isRunning: () => boolean;
  /** The current outbox; it is replaced when a corrupt store is. */
  outbox: () => Outbox | null;
  sleep: (ms: number, wakeable: boolean) => Promise<void>;
  schedule: Pick<Schedule, 'heartbeatIntervalMs' | 'enrollmentPollMs' | 'confirmDelayMs'>;
  log: (line: string) => void;
}

export function runDelivery(options: DeliveryOptions): Promise<void> {
  return runDeliveryLoop({
    isRunning: options.isRunning,
    sender: options.outbox,
    sleep: options.sleep,
    schedule: {
      idleMs: options.schedule.heartbeatIntervalMs,
      notEnrolledMs: options.schedule.enrollmentPollMs,
      errorRetryMs: options.schedule.confirmDelayMs * 10,
    },
    log: options.log,
  });
}
