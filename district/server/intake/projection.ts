// What the dashboard keeps from each stored station event, beyond the intake's own projection:
// fault history, recording availability, inventory, consumable stock and forecasts. Called by intake.ts in
// the same transaction that stores the event, so the two never disagree.
import type { Event } from '../../../protocol/events';
import { isFaultEvent } from '../../../protocol/events';
import { recordConsumables } from '../consumables/stock';
import type { Db } from '../db/types';
import { recordHeartbeat } from '../figures/availability';
import { applyInventoryChange, applyInventoryReport } from '../inventory/devices';
import type { HistoryKind } from '../faults/history';
import { addHistory } from '../faults/history';
import { recordForecasts } from '../forecasts/store';
import { countReopening } from '../faults/repository';
import { reportedAnswers } from '../stations/board';

export async function projectForDashboard(
  db: Db,
  stationId: string,
  event: Event,
  /**
   * districtAt: the event's time on the district's clock (intake.ts), which availability counts in;
   * nowMs: this server's clock as it stores the event.
   */
  options: { heartbeatWindowMs: number; districtAt: string; nowMs: number },
): Promise<void> {
  if (event.type === 'heartbeat') {
    await recordHeartbeat(db, {
      stationId,
      canRecord: reportedAnswers(event.payload).recording === 'yes',
      occurredAt: options.districtAt,
      windowMs: options.heartbeatWindowMs,
      nowMs: options.nowMs,
    });
  } else if (isFaultEvent(event)) {
    const fault = event.payload;
    const [last] = await db.query<{ kind: HistoryKind }>(
      `SELECT kind FROM fault_history WHERE station_id = $1 AND fault_id = $2 AND actor IS NULL ORDER BY at DESC, id DESC LIMIT 1`,
      [stationId, fault.faultId],
    );
    const kind: HistoryKind =
      event.type === 'fault.resolved'
        ? 'resolved'
        : event.type === 'fault.opened'
          ? 'opened'
          : last?.kind === 'resolved'
            ? 'reopened'
            : 'updated';
    await addHistory(db, {
      stationId,
      faultId: fault.faultId,
      atMs: Date.parse(event.occurredAt),
      kind,
      actor: null,
      detail: {
        status: fault.status,
        severity: fault.severity,
        occurrences: fault.occurrences,
        flapping: fault.flapping,
        recurring: fault.recurring,
      },
    });
    if (kind === 'reopened') {
      await countReopening(db, stationId, fault.faultId);
    }
  } else if (event.type === 'inventory.changed') {
    await applyInventoryChange(db, stationId, event.payload, event.occurredAt);
  } else if (event.type === 'inventory.reported') {
    await applyInventoryReport(db, stationId, event.payload, event.occurredAt);
  } else if (event.type === 'daily-check.completed') {
    await recordConsumables(db, {
      eventId: event.id,
      stationId,
      occurredAt: event.occurredAt,
      consumables: event.payload.consumables,
    });
  } else if (event.type === 'consumables.reported') {
    await recordConsumables(db, {
      eventId: event.id,
      stationId,
      occurredAt: event.occurredAt,
      consumables: event.payload,
    });
  } else if (event.type === 'forecast.reported') {
    await recordForecasts(db, {
      stationId,
      eventId: event.id,
      seq: event.seq,
      reportedAt: options.districtAt,
      payload: event.payload,
    });
  }
}
