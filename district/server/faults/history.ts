// Every transition of a fault, from the station (opened, updated, resolved, reopened) and from the
// district (acknowledged, in repair, verification requested, closed, reopened), in one table.
import type { HistoryEntry, HistoryKind } from '../../dash-api';
import type { Db } from '../db/types';
import { newId } from '../db/ids';

export type { HistoryEntry, HistoryKind } from '../../dash-api';

export async function addHistory(
  db: Db,
  entry: {
    stationId: string;
    faultId: string;
    atMs: number;
    kind: HistoryKind;
    actor: string | null;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  await db.run(
    'INSERT INTO fault_history (id, station_id, fault_id, at, kind, actor, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [
      newId(entry.atMs),
      entry.stationId,
      entry.faultId,
      new Date(entry.atMs).toISOString(),
      entry.kind,
      entry.actor,
      JSON.stringify(entry.detail ?? {}),
    ],
  );
}

export async function faultHistory(db: Db, stationId: string, faultId: string): Promise<HistoryEntry[]> {
  const rows = await db.query<{ at: string; kind: HistoryKind; actor: string | null; detail: string }>(
    'SELECT at, kind, actor, detail FROM fault_history WHERE station_id = $1 AND fault_id = $2 ORDER BY at, id',
    [stationId, faultId],
  );
  return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as Record<string, unknown> }));
}
