// Event drafts as the station's store appends them (Store.appendEvents), for tests that fill an
// outbox without running checks.
import type { RoleStatus } from '../../protocol/events';

/** A heartbeat written at `occurredAt` (ISO-8601); `queueDepth` tells the drafts of a batch apart. */
export function heartbeatDraft(occurredAt: string, queueDepth: number, roleStatus: RoleStatus = {}) {
  return {
    type: 'heartbeat' as const,
    occurredAt,
    payload: {
      roleStatus,
      canRecord: true,
      canPrint: true,
      appVersion: '0.1.0',
      queueDepth,
      lastCheckAt: null,
    },
  };
}
