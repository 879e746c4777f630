// The board: every enrolled station grouped by kecamatan. Can it record now (every recording role
// ok and a heartbeat received within the window, by the district's clock)? Silent: "no news" within
// the office's service hours, "closed" outside them. Can it print? When was it last heard from?
// Which faults are open, on which device, since when, and what is the district doing about them?
// Stations never enrolled are listed apart ("not active yet") and counted nowhere. Forecasts (the
// station's, and the district's own on blank cards) are amber warnings beside all this: they never
// change a station's state.
import type { HeartbeatPayload } from '../../../protocol/events';
import type { Role, Status } from '../../../protocol/verdict';
import type { Answer } from '../../../protocol/rules';
import { blocks, isUsable } from '../../../protocol/rules';
import type {
  Board,
  BoardSummary,
  FaultView,
  InactiveStation,
  KecamatanState,
  KecamatanStatus,
  PublicBoard,
  PublicKecamatan,
  StationProblem,
  StationState,
  StationStatus,
} from '../../dash-api';
import {
  BOARD_DISTRICT_FORECASTS,
  BOARD_FAULTS_PER_STATION,
  BOARD_FORECASTS_PER_STATION,
} from '../../dash-api';
import type { ForecastView } from '../../dash-api';
import { isOpenAt, nextOpening } from '../calendar/service-hours';
import { loadCalendar } from '../calendar/store';
import type { Db } from '../db/types';
import { stockReport } from '../consumables/stock';
import { activeFaults, listedFault } from '../faults/repository';
import { cardForecasts } from '../forecasts/cards';
import { listedForecast, stationForecasts } from '../forecasts/store';
import { DEFAULT_DISTRICT, districtScope } from '../tenancy/scope';

export type { Board, KecamatanStatus, PublicBoard, StationProblem, StationStatus } from '../../dash-api';

type Row = Record<string, string | number | null>;

const SEVERITY_RANK: Record<string, number> = { critical: 0, major: 1, minor: 2, info: 3 };

/** The station's own answers (protocol/rules.ts); from a station that predates them, its booleans. */
export function reportedAnswers(heartbeat: HeartbeatPayload): { recording: Answer; printing: Answer } {
  return {
    recording: heartbeat.recording ?? (heartbeat.canRecord ? 'yes' : 'no'),
    printing: heartbeat.printing ?? (heartbeat.canPrint ? 'yes' : 'no'),
  };
}

/** One district's board (default: the default district of a district's own server). */
export async function board(
  db: Db,
  nowMs: number,
  heartbeatWindowMs: number,
  district: string = DEFAULT_DISTRICT,
): Promise<Board> {
  const calendar = await loadCalendar(db, district);
  const stations = await db.query<Row>(
    `SELECT id, name, kecamatan, created_at, enrolled_at, heard_at, measured_clock_offset_ms, last_heartbeat,
     last_heartbeat_at, app_version FROM stations WHERE district_code = $1 ORDER BY kecamatan, name, id`,
    [district],
  );
  const faultsByStation = new Map<string, FaultView[]>();
  for (const fault of await activeFaults(db, nowMs, districtScope(district))) {
    const list = faultsByStation.get(fault.stationId) ?? [];
    list.push(listedFault(fault));
    faultsByStation.set(fault.stationId, list);
  }
  // Forecasts are warnings beside the faults: they never change a station's state.
  const forecastsByStation = new Map<string, ForecastView[]>();
  for (const forecast of await stationForecasts(db, nowMs, null, districtScope(district))) {
    const list = forecastsByStation.get(forecast.stationId) ?? [];
    list.push(forecast);
    forecastsByStation.set(forecast.stationId, list);
  }
  const byKecamatan = new Map<string, StationStatus[]>();
  const notActive: InactiveStation[] = [];
  for (const row of stations) {
    if (row.enrolled_at === null) {
      notActive.push({
        stationId: String(row.id),
        name: String(row.name),
        kecamatan: String(row.kecamatan),
        createdAt: String(row.created_at),
      });
      continue;
    }
    const faults = faultsByStation.get(String(row.id)) ?? [];
    const shown = mostSevere(faults, BOARD_FAULTS_PER_STATION);
    const open = isOpenAt(calendar, String(row.kecamatan), nowMs);
    const status = {
      ...stationStatus(row, shown, nowMs, heartbeatWindowMs, open),
      activeFaults: faults.length,
      hiddenFaults: faults.length - shown.length,
      ...shownForecasts(forecastsByStation.get(String(row.id)) ?? []),
    };
    const list = byKecamatan.get(status.kecamatan) ?? [];
    list.push(status);
    byKecamatan.set(status.kecamatan, list);
  }
  const kecamatan = [...byKecamatan].map(([name, list]): KecamatanStatus => {
    const open = isOpenAt(calendar, name, nowMs);
    const opening = nextOpening(calendar, name, nowMs);
    const state = kecamatanState({
      open,
      anyCanRecord: list.some((station) => station.state === 'can-record'),
      anyNoNews: list.some((station) => station.state === 'no-news'),
    });
    // "No news since ..." dates the silence: a station of the same kecamatan that spoke a minute
    // ago (to say it cannot record) must not make the silent one look recent.
    const heard = list
      .filter((station) => state !== 'no-news' || station.state === 'no-news')
      .flatMap((station) => (station.lastHeardAt === null ? [] : [station.lastHeardAt]))
      .sort();
    return {
      name,
      state,
      canRecord: list.some((station) => station.canRecord),
      canPrint: list.some((station) => station.canPrint),
      stationsAbleToRecord: list.filter((station) => station.canRecord).length,
      open,
      nextOpening: opening === null ? null : new Date(opening).toISOString(),
      lastHeardAt: heard.length === 0 ? null : heard[heard.length - 1],
      stations: list,
    };
  });
  const generatedAt = new Date(nowMs).toISOString();
  const districtForecasts = cardForecasts(
    await stockReport(db, nowMs, undefined, districtScope(district)),
    nowMs,
  );
  return {
    generatedAt,
    heartbeatWindowMs,
    timeZone: calendar.timeZone,
    summary: summarize(kecamatan, generatedAt),
    kecamatan,
    notActive,
    districtForecasts: districtForecasts.slice(0, BOARD_DISTRICT_FORECASTS).map(listedForecast),
    hiddenDistrictForecasts: Math.max(0, districtForecasts.length - BOARD_DISTRICT_FORECASTS),
  };
}

/** A station's forecasts on the board: the most urgent few (already sorted), their texts cut. */
function shownForecasts(all: ForecastView[]): { forecasts: ForecastView[]; hiddenForecasts: number } {
  return {
    forecasts: all.slice(0, BOARD_FORECASTS_PER_STATION).map(listedForecast),
    hiddenForecasts: Math.max(0, all.length - BOARD_FORECASTS_PER_STATION),
  };
}

/**
 * A kecamatan's state (the board, the province and national views): closed outside its office's
 * service hours; else it can record while any station there can; else "no news" while any is silent.
 */
export function kecamatanState(input: { open: boolean; anyCanRecord: boolean; anyNoNews: boolean }): KecamatanState {
  return !input.open ? 'closed' : input.anyCanRecord ? 'can-record' : input.anyNoNews ? 'no-news' : 'cannot-record';
}

function summarize(kecamatan: readonly KecamatanStatus[], dataAt: string): BoardSummary {
  const named = (state: KecamatanState): string[] =>
    kecamatan
      .filter((candidate) => candidate.state === state)
      .map((candidate) => candidate.name)
      .sort((left, right) => left.localeCompare(right));
  return {
    canRecord: kecamatan.filter((candidate) => candidate.state === 'can-record').length,
    total: kecamatan.length,
    cannot: named('cannot-record'),
    noNews: named('no-news'),
    closed: named('closed'),
    dataAt,
  };
}

function stationStatus(
  row: Row,
  faults: FaultView[],
  nowMs: number,
  windowMs: number,
  open: boolean,
): StationStatus {
  const heartbeat =
    row.last_heartbeat === null ? null : (JSON.parse(String(row.last_heartbeat)) as HeartbeatPayload);
  // The district's receive time: a station's clock never decides whether it is alive.
  const heardAtMs = row.heard_at === null ? null : Date.parse(String(row.heard_at));
  const silent = heardAtMs === null || heartbeat === null || nowMs - heardAtMs > windowMs;
  // Liveness and service hours are the district's; whether the kit can record is the station's word.
  const answers: { recording: Answer; printing: Answer } = silent
    ? { recording: 'not-checked', printing: 'not-checked' }
    : reportedAnswers(heartbeat);
  const state: StationState = silent
    ? open
      ? 'no-news'
      : 'closed'
    : answers.recording === 'yes'
      ? 'can-record'
      : 'cannot-record';
  const roleStatus = heartbeat?.roleStatus ?? {};
  const problems: StationProblem[] = [];
  for (const [role, status] of Object.entries(roleStatus) as [Role, Status][]) {
    if (!isUsable(status)) {
      const fault = faults.find((candidate) => candidate.role === role) ?? null;
      problems.push({ role, status, blocks: blocks(role), fault });
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
    state,
    lastHeardAt: row.heard_at === null ? null : String(row.heard_at),
    lastHeartbeatAt: row.last_heartbeat_at === null ? null : String(row.last_heartbeat_at),
    clockOffsetMs: row.measured_clock_offset_ms === null ? null : Number(row.measured_clock_offset_ms),
    silent,
    canRecord: state === 'can-record',
    canPrint: answers.printing === 'yes',
    ...answers,
    appVersion: row.app_version === null ? null : String(row.app_version),
    queueDepth: heartbeat?.queueDepth ?? null,
    problems,
    activeFaults: faults.length,
    hiddenFaults: 0,
    forecasts: [],
    hiddenForecasts: 0,
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

/** The board without stations or devices: what residents may see. */
export function publicBoard(full: Board): PublicBoard {
  return {
    generatedAt: full.generatedAt,
    timeZone: full.timeZone,
    summary: full.summary,
    kecamatan: full.kecamatan.map((kecamatan): PublicKecamatan => ({
      name: kecamatan.name,
      state: kecamatan.state,
      canRecord: kecamatan.canRecord,
      nextOpening: kecamatan.nextOpening,
      lastHeardAt: kecamatan.lastHeardAt,
    })),
  };
}
