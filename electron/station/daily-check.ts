// The daily start-up check's sign-off: the automatic phase's tiles and the operator's manual steps
// and stock counts become one `daily-check.completed` event (and `consumables.reported`), committed
// with the record the board shows, in one transaction. The outbox delivers them.
import { randomUUID } from 'node:crypto';
import type {
  Consumables,
  DailyCheckDelivery,
  DailyCheckRecord,
  DailyCheckSubmission,
  StationStatus,
} from '../station-api';
import { DailyCheckSubmissionSchema } from '../station-api';
import { META, readMeta, writeMeta } from '../agent/store/meta';
import type { Store, StoredEvent } from '../agent/store/store';

/** When the last daily check was signed off, or null if none ever was. */
export function lastDailyCheck(store: Store): { completedAt: string; eventSeq?: number } | null {
  return readMeta(store, META.lastDailyCheck);
}

/**
 * Where the daily check's event stands with the district: sent only once the district acknowledged
 * it. A record kept before its seq was (older versions) says queued while anything is, else sent.
 */
export function dailyCheckDelivery(store: Store, record: { eventSeq?: number }): DailyCheckDelivery {
  const state =
    record.eventSeq === undefined
      ? store.hasPendingOfType('daily-check.completed')
        ? 'queued'
        : 'reported'
      : store.deliveryOf(record.eventSeq);
  return state === 'reported' ? 'sent' : state === 'rejected' ? 'refused' : 'queued';
}

/**
 * Commits the sign-off of a daily check whose automatic phase produced `status`. The caller checks
 * that `submission.runId` is a daily run it started, and hands `events` to the agent for delivery.
 */
export function commitDailyCheck(
  store: Store,
  submission: DailyCheckSubmission,
  status: StationStatus,
  nowMs: number,
): { record: DailyCheckRecord; events: StoredEvent[] } {
  const valid = DailyCheckSubmissionSchema.parse(submission);
  const completedAt = new Date(nowMs).toISOString();
  // A problem at the iris step alone does not make the day unable to record.
  const manualProblem = valid.manual.some((step) => step.result === 'problem' && step.step !== 'iris');
  const record: DailyCheckRecord = {
    id: randomUUID(),
    completedAt,
    canRecord: status.canRecord && !manualProblem,
    operator: valid.operator,
    manual: valid.manual,
    consumables: valid.consumables,
    // Just committed: nothing is sent before the outbox has delivered it.
    delivery: 'queued',
  };
  const roleStatus = Object.fromEntries(status.tiles.map((tile) => [tile.role, tile.status]));
  const consumables = {
    blankCards: valid.consumables.blankCards,
    ribbons: [{ name: 'Ribbon', remaining: valid.consumables.ribbonPrints, unit: 'prints' as const }],
  };
  return store.transaction(() => {
    const events = store.appendEvents([
      {
        type: 'daily-check.completed',
        occurredAt: completedAt,
        payload: {
          operatorName: valid.operator.name,
          operatorNip: valid.operator.nip,
          steps: [
            ...status.tiles.map((tile) => ({
              id: `auto-${tile.role}`,
              status: tile.status,
              note: tile.code,
            })),
            ...valid.manual.map((step) => ({
              id: `manual-${step.step}`,
              status:
                step.result === 'ok'
                  ? ('ok' as const)
                  : step.result === 'problem'
                    ? ('fault' as const)
                    : ('unknown' as const),
              note: step.note,
            })),
          ],
          roleStatus,
          consumables,
        },
      },
      { type: 'consumables.reported', occurredAt: completedAt, payload: consumables },
    ]);
    // The first event is daily-check.completed: its delivery is what the operator is told.
    writeMeta(store, META.lastDailyCheck, { ...record, eventSeq: events[0]!.seq });
    writeMeta(store, META.consumables, { ...valid.consumables, updatedAt: completedAt });
    return { record, events };
  });
}

export function readConsumables(
  store: Store,
  thresholds: { lowBlankCards: number; lowRibbonPrints: number },
): Consumables {
  const saved = readMeta(store, META.consumables);
  return {
    blankCards: saved?.blankCards ?? null,
    ribbonPrints: saved?.ribbonPrints ?? null,
    updatedAt: saved?.updatedAt ?? null,
    lowBlankCards: thresholds.lowBlankCards,
    lowRibbonPrints: thresholds.lowRibbonPrints,
  };
}
