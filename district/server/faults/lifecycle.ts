// The district's side of a fault's life. The station opens, updates and resolves it (intake.ts);
// staff acknowledge it, put it in repair (assignee, note), ask the station to re-run its checks,
// close it once the station's own checks verified the repair, or reopen it.
//   open -> acknowledged -> in-repair -> resolved (station) -> closed;  resolved|closed -> open (reopened)
import type { FaultAction, FaultDetail, FaultState, HistoryKind } from '../../dash-api';
import type { Db } from '../db/types';
import { ConflictError, NotFoundError } from '../errors';
import { forwardedOwner, refuseForwarded } from '../peering/forwarded';
import { hasPendingCommand, requestRerunChecks } from '../stations/commands';
import { addHistory, faultHistory } from './history';
import {
  faultState,
  faultStopsRecording,
  findFault,
  markAcknowledged,
  markClosed,
  markInRepair,
  markReopened,
} from './repository';

export type { FaultAction, FaultDetail, FaultDevice, FaultState, FaultView } from '../../dash-api';

/** A staff action the fault's state does not allow (409). */
export class TransitionError extends ConflictError {}

export async function faultDetail(
  db: Db,
  stationId: string,
  faultId: string,
  nowMs: number,
): Promise<FaultDetail | null> {
  const fault = await findFault(db, stationId, faultId, nowMs);
  if (fault === null) {
    return null;
  }
  return {
    ...fault,
    history: await faultHistory(db, stationId, faultId),
    verificationPending: await hasPendingCommand(db, stationId, faultId),
    blocksRecording: await faultStopsRecording(db, stationId, faultId),
    forwardedFrom: (await forwardedOwner(db, 'station', stationId))?.districtName ?? null,
  };
}

const ALLOWED_FROM: Record<FaultAction['type'], readonly FaultState[]> = {
  acknowledge: ['open'],
  repair: ['open', 'acknowledged', 'in-repair'],
  verify: ['open', 'acknowledged', 'in-repair', 'resolved'],
  close: ['resolved'],
  reopen: ['resolved', 'closed'],
};

/**
 * Applies a staff action to a fault; throws NotFoundError when there is no such fault,
 * TransitionError when the fault's state does not allow the action, and ForwardedRefusal when the
 * fault is a forwarding district's (its own server owns it: peering/forwarded.ts).
 */
export async function applyFaultAction(
  db: Db,
  input: { stationId: string; faultId: string; action: FaultAction; username: string; nowMs: number },
): Promise<FaultDetail> {
  const { stationId, faultId, action, username, nowMs } = input;
  const at = new Date(nowMs).toISOString();
  const key = { stationId, faultId };
  await db.transaction(async (transaction) => {
    await refuseForwarded(transaction, 'station', stationId);
    const state = await faultState(transaction, stationId, faultId);
    if (state === null) {
      throw new NotFoundError('no such fault');
    }
    if (!ALLOWED_FROM[action.type].includes(state)) {
      throw new TransitionError(`cannot ${action.type} a fault that is ${state}`);
    }
    const record = (kind: HistoryKind, detail?: Record<string, unknown>): Promise<void> =>
      addHistory(transaction, { stationId, faultId, atMs: nowMs, kind, actor: username, detail });
    if (action.type === 'acknowledge') {
      await markAcknowledged(transaction, key, { username, at });
      await record('acknowledged');
    } else if (action.type === 'repair') {
      await markInRepair(transaction, key, { assignee: action.assignee, note: action.note, username, at });
      await record('in-repair', { assignee: action.assignee, note: action.note });
    } else if (action.type === 'verify') {
      await requestRerunChecks(transaction, { stationId, faultId, requestedBy: username, nowMs });
      await record('verification-requested');
    } else if (action.type === 'close') {
      await markClosed(transaction, key, { username, at });
      await record('closed', { note: action.note });
    } else {
      await markReopened(transaction, key);
      await record('reopened', { note: action.note });
    }
  });
  const detail = await faultDetail(db, stationId, faultId, nowMs);
  return detail!;
}
