// What the station says about itself when nothing in particular happened: `station.started` once
// per start and the periodic `heartbeat` (state, not history: the agent queues at most one).
// Pure builders; the agent appends them to the outbox.
import os from 'node:os';
import type { HeartbeatPayload, StationStartedPayload } from '../../../protocol/events';
import type { Profile } from '../profile';
import { expectedRoles } from '../profile';
import type { CheckReport } from '../types';

/** The parts of the agent's status a heartbeat carries. */
export interface HeartbeatStatus {
  outboxPending: number;
  lastCheckAt: string | null;
  clockOffsetMs: number | null;
}

/** At most this many open fault ids in one heartbeat (the protocol's cap). */
const MAX_OPEN_FAULT_IDS = 1000;

export function stationStartedDraft(
  appVersion: string,
  profile: Profile,
): { type: 'station.started'; payload: StationStartedPayload } {
  return {
    type: 'station.started',
    payload: {
      appVersion,
      platform: `${process.platform} ${os.release()}`.slice(0, 100),
      hostname: os.hostname().slice(0, 255),
      expectedRoles: expectedRoles(profile),
    },
  };
}

/** `report` is the last check's, null before the first (then nothing can record or print). */
export function heartbeatDraft(
  report: CheckReport | null,
  status: HeartbeatStatus,
  appVersion: string,
  openFaultIds?: readonly string[],
): { type: 'heartbeat'; payload: HeartbeatPayload } {
  return {
    type: 'heartbeat',
    payload: {
      roleStatus: report?.roleStatus ?? {},
      // The very answers the kiosk shows (StationStatus takes them from the same report).
      canRecord: report?.canRecord ?? false,
      canPrint: report?.canPrint ?? false,
      recording: report?.recording ?? 'not-checked',
      printing: report?.printing ?? 'not-checked',
      appVersion,
      queueDepth: status.outboxPending,
      lastCheckAt: status.lastCheckAt,
      clockOffsetMs: status.clockOffsetMs,
      // Over the cap the list is left out rather than cut: a cut list would close open faults.
      ...(openFaultIds && openFaultIds.length <= MAX_OPEN_FAULT_IDS ? { openFaultIds: [...openFaultIds] } : {}),
    },
  };
}
