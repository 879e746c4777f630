// What the board shows at a glance, derived from GET /api/dash/board: each station's state, the
// summary line, and the order of the kecamatan. The server sends `state` and `summary`; an older
// server that does not is read from `enrolled`, `silent` and `canRecord`. Pure: no DOM, no React.
import type { Board, BoardSummary, KecamatanStatus, StationState, StationStatus } from '../dash-api';

export function stationState(station: StationStatus): StationState {
  if (station.state !== undefined) {
    return station.state;
  }
  if (!station.enrolled) {
    return 'not-active';
  }
  if (station.silent) {
    return 'no-news';
  }
  return station.canRecord ? 'can-record' : 'cannot-record';
}

/** The stations that count: every one but those not active yet. */
export function activeStations(kecamatan: KecamatanStatus): StationStatus[] {
  return kecamatan.stations.filter((station) => stationState(station) !== 'not-active');
}

/** Kecamatan with at least one active station (the others appear only in the "not active yet" list). */
export function countedKecamatan(board: Board): KecamatanStatus[] {
  return board.kecamatan.filter((kecamatan) => activeStations(kecamatan).length > 0);
}

/**
 * A kecamatan is closed when every active station there is closed (outside service hours): it is
 * then neither able nor unable to record, and the summary leaves it out of "cannot".
 */
export function kecamatanClosed(kecamatan: KecamatanStatus): boolean {
  const active = activeStations(kecamatan);
  return active.length > 0 && active.every((station) => stationState(station) === 'closed');
}

export function boardSummary(board: Board): BoardSummary {
  if (board.summary !== undefined) {
    return board.summary;
  }
  const counted = countedKecamatan(board);
  return {
    canRecord: counted.filter((kecamatan) => kecamatan.canRecord).length,
    total: counted.length,
    cannot: counted
      .filter((kecamatan) => !kecamatan.canRecord && !kecamatanClosed(kecamatan))
      .map((kecamatan) => kecamatan.name),
    dataAt: board.generatedAt,
  };
}

/** Kecamatan that cannot record first (what the registry head must explain today), then the rest. */
export function kecamatanInOrder(board: Board): KecamatanStatus[] {
  const cannot = new Set(boardSummary(board).cannot);
  const counted = countedKecamatan(board);
  return [
    ...counted.filter((kecamatan) => cannot.has(kecamatan.name)),
    ...counted.filter((kecamatan) => !cannot.has(kecamatan.name)),
  ];
}

/** Stations added but never enrolled, in every kecamatan: listed apart, counted nowhere. */
export function notActiveStations(board: Board): StationStatus[] {
  return board.kecamatan.flatMap((kecamatan) =>
    kecamatan.stations.filter((station) => stationState(station) === 'not-active'),
  );
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

/** A kecamatan's state: able if one station can record, closed if all are, no news if all are silent. */
export function kecamatanState(kecamatan: KecamatanStatus): StationState {
  if (kecamatan.canRecord) {
    return 'can-record';
  }
  if (kecamatanClosed(kecamatan)) {
    return 'closed';
  }
  const active = activeStations(kecamatan);
  return active.length > 0 && active.every((station) => stationState(station) === 'no-news')
    ? 'no-news'
    : 'cannot-record';
}
