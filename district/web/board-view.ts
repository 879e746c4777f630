// What the board shows at a glance, derived from GET /api/dash/board: each station's state, the
// summary line, and the order of the kecamatan, from the server's `state` and `summary`. Pure: no
// DOM, no React.
import type { Board, BoardSummary, KecamatanStatus, StationState, StationStatus } from '../dash-api';

export function stationState(station: StationStatus): StationState {
  return station.state;
}

export function boardSummary(board: Board): BoardSummary {
  return board.summary;
}

/** Kecamatan that cannot record first (what the registry head must explain today), then the rest. */
export function kecamatanInOrder(board: Board): KecamatanStatus[] {
  const cannot = new Set([...board.summary.cannot, ...board.summary.noNews]);
  const counted = board.kecamatan.filter((kecamatan) => kecamatan.stations.length > 0);
  return [
    ...counted.filter((kecamatan) => cannot.has(kecamatan.name)),
    ...counted.filter((kecamatan) => !cannot.has(kecamatan.name)),
  ];
}

/** The CSS class of a state's badge: `ok` green, `bad` red, `news` grey-blue, `closed` neutral. */
export function stateTone(state: StationState): 'ok' | 'bad' | 'news' | 'closed' {
  switch (state) {
    case 'can-record':
      return 'ok';
    case 'cannot-record':
      return 'bad';
    case 'no-news':
      return 'news';
    default:
      return 'closed';
  }
}

/** A kecamatan's state, as the server decided it (service hours, liveness, its stations). */
export function kecamatanState(kecamatan: KecamatanStatus): StationState {
  return kecamatan.state;
}
