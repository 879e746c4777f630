// The board: every station grouped by kecamatan. Can it record today (every recording role ok and
// the station heard from within its heartbeat window)? Can it print? When was it last heard from?
// Which faults are open, on which device, since when, and what is the district doing about them?
import type { HeartbeatPayload } from '../../../protocol/events';
import type { Role, Status } from '../../../protocol/verdict';
import { PRINTING_ROLES, RECORDING_ROLES } from '../../../protocol/verdict';
import { BOARD_FAULTS_PER_STATION } from '../../dash-api';
import type { Board, FaultView, PublicBoard, StationProblem, StationStatus } from '../../dash-api';
import type { Db } from '../db/types';
import { activeFaults, listedFault } from '../faults/repository';

export type { Board, KecamatanStatus, PublicBoard, StationProblem, StationStatus } from '../../dash-api';

type Row = Record<string, string | number | null>;

const SEVERITY_RANK: Record<string, number> = { critical: 0, major: 1, minor: 2, info: 3 };
const HEALTHY: readonly Status[] = ['ok', 'in-use', 'warning'];

export async function board(db: Db, nowMs: number, heartbeatWindowMs: number): Promise<Board> {
  const stations = await db.query<Row>(
    'SELECT id, name, kecamatan, enrolled_at, last_seen_at, last_heartbeat, last_heartbeat_at, app_version FROM stations ORDER BY kecamatan, name, id',
  );
  const faultsByStation = new Map<string, FaultView[]>();
  for (const fault of await activeFaults(db, nowMs)) {
    const list = faultsByStation.get(fault.stationId) ?? [];
    list.push(listedFault(fault));
    faultsByStation.set(fault.stationId, list);
  }
  const byKecamatan = new Map<string, StationStatus[]>();
  for (const row of stations) {
    const faults = faultsByStation.get(String(row.id)) ?? [];
    const shown = mostSevere(faults, BOARD_FAULTS_PER_STATION);
    const status = {
      ...stationStatus(row, shown, nowMs, heartbeatWindowMs),
      activeFaults: faults.length,
      hiddenFaults: faults.length - shown.length,
    };
    const list = byKecamatan.get(status.kecamatan) ?? [];
    list.push(status);
    byKecamatan.set(status.kecamatan, list);
  }
  return {
    generatedAt: new Date(nowMs).toISOString(),
    heartbeatWindowMs,
    kecamatan: [...byKecamatan].map(([name, list]) => ({
      name,
      canRecord: list.some((station) => station.canRecord),
      canPrint: list.some((station) => station.canPrint),
      stationsAbleToRecord: list.filter((station) => station.canRecord).length,
      stations: list,
    })),
  };
}

function stationStatus(row: Row, faults: FaultView[], nowMs: number, windowMs: number): StationStatus {
  const heartbeat =
    row.last_heartbeat === null ? null : (JSON.parse(String(row.last_heartbeat)) as HeartbeatPayload);
  const heartbeatAtMs = row.last_heartbeat_at === null ? null : Date.parse(String(row.last_heartbeat_at));
  const silent = heartbeatAtMs === null || nowMs - heartbeatAtMs > windowMs;
  const roleStatus = heartbeat?.roleStatus ?? {};
  const problems: StationProblem[] = [];
  const blocking = (role: string): StationProblem['blocks'] =>
    RECORDING_ROLES.includes(role as Role)
      ? 'recording'
      : PRINTING_ROLES.includes(role as Role)
        ? 'printing'
        : null;
  for (const [role, status] of Object.entries(roleStatus) as [Role, Status][]) {
    if (!HEALTHY.includes(status)) {
      const fault = faults.find((candidate) => candidate.role === role) ?? null;
      problems.push({ role, status, blocks: blocking(role), fault });
    }
  }
  for (const fault of faults) {
    if (!problems.some((problem) => problem.fault === fault)) {
      problems.push({
        role: fault.role,
        status: roleStatus[fault.role as Role] ?? 'fault',
        blocks: null,
        fault,
      });
    }
  }
  problems.sort(
    (left, right) =>
      rank(left.blocks) - rank(right.blocks) ||
      (SEVERITY_RANK[left.fault?.severity ?? 'info'] ?? 3) -
        (SEVERITY_RANK[right.fault?.severity ?? 'info'] ?? 3),
  );
  return {
    stationId: String(row.id),
    name: String(row.name),
    kecamatan: String(row.kecamatan),
    enrolled: row.enrolled_at !== null,
    lastHeardAt: row.last_seen_at === null ? null : String(row.last_seen_at),
    silent,
    canRecord: !silent && heartbeat !== null && heartbeat.canRecord,
    canPrint: !silent && heartbeat !== null && heartbeat.canPrint,
    appVersion: row.app_version === null ? null : String(row.app_version),
    queueDepth: heartbeat?.queueDepth ?? null,
    problems,
    activeFaults: faults.length,
    hiddenFaults: 0,
  };
}

/**
 * The board's cap on one station's faults (a station reporting hundreds must not bury the others
 * or bloat the answer): the `count` most severe, oldest first among equals. The intake stores all.
 */
function mostSevere(faults: FaultView[], count: number): FaultView[] {
  if (faults.length <= count) {
    return faults;
  }
  return [...faults]
    .sort((left, right) => (SEVERITY_RANK[left.severity] ?? 3) - (SEVERITY_RANK[right.severity] ?? 3))
    .slice(0, count);
}

const rank = (blocks: StationProblem['blocks']): number =>
  blocks === 'recording' ? 0 : blocks === 'printing' ? 1 : 2;

export function publicBoard(full: Board): PublicBoard {
  return {
    generatedAt: full.generatedAt,
    kecamatan: full.kecamatan.map((kecamatan) => ({ name: kecamatan.name, canRecord: kecamatan.canRecord })),
  };
}
