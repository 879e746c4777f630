// The daily start-up check's sign-off: the automatic phase's tiles and the operator's manual steps
// and stock counts become one `daily-check.completed` event (and `consumables.reported`), committed
// with the record the board shows, in one transaction. The outbox delivers them.
import { randomUUID } from 'node:crypto';
import type { Consumables, DailyCheckRecord, DailyCheckSubmission, StationStatus } from '../station-api';
import { DailyCheckSubmissionSchema } from '../station-api';
import { META, readMeta, writeMeta } from '../agent/store/meta';
import type { Store } from '../agent/store/store';

/**
 * How long the sign-off waits for the district to acknowledge the daily check before it says
 * "queued, will be sent": a district that answers does so in well under a second; the operator
 * should not wait longer than this for a screen that cannot change the result.
 */
export const DAILY_CHECK_SEND_WAIT_MS = 3000;
const SEND_POLL_MS = 50;

/** Resolves true as soon as `done()` holds, false when `timeoutMs` passes first. */
export async function waitUntil(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() >= deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, SEND_POLL_MS));
  }
  return true;
}

/** When the last daily check was signed off, or null if none ever was. */
export function lastDailyCheck(store: Store): { completedAt: string } | null {
  return readMeta(store, META.lastDailyCheck);
}

/**
 * Commits the sign-off of a daily check whose automatic phase produced `status`. The caller checks
 * that `submission.runId` is a daily run it started. The record says `reported: false` (queued)
 * until the district acknowledges `eventIds` (the caller waits a little for that, see
 * StationService.submitDailyCheck): an operator is told "sent" only when it was.
 */
export function commitDailyCheck(
  store: Store,
  submission: DailyCheckSubmission,
  status: StationStatus,
  nowMs: number,
): { record: DailyCheckRecord; eventIds: string[] } {
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
    reported: false,
  };
  const roleStatus = Object.fromEntries(status.tiles.map((tile) => [tile.role, tile.status]));
  const consumables = {
    blankCards: valid.consumables.blankCards,
    ribbons: [{ name: 'Ribbon', remaining: valid.consumables.ribbonPrints, unit: 'prints' as const }],
  };
  const eventIds = store.transaction(() => {
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
    writeMeta(store, META.lastDailyCheck, record);
    writeMeta(store, META.consumables, { ...valid.consumables, updatedAt: completedAt });
    return events.map((event) => event.id);
  });
  return { record, eventIds };
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
