// Province and national views: for each province (national) or district (province), how many
// kecamatan can record now, the oldest open faults, the districts whose faults wait longest,
// availability this month and consumables running out. Aggregated in SQL (one row per kecamatan,
// per district or per fault listed, never per station); only the service-hours rule runs in JS, once
// per kecamatan, with the board's own rule (stations/board.ts kecamatanState).
import type {
  AreaRollup,
  FaultState,
  KecamatanState,
  OldFault,
  Rollup,
  TimeZoneName,
  WaitingDistrict,
} from '../../dash-api';
import { ROLLUP_LIST_SIZE } from '../../dash-api';
import { isOpenAt, OFFSET_MINUTES } from '../calendar/service-hours';
import type { Calendar } from '../calendar/service-hours';
import { loadCalendars } from '../calendar/store';
import { DEFAULT_THRESHOLDS } from '../consumables/stock';
import type { Db, SqlValue } from '../db/types';
import { monthRange } from '../figures/report';
import { ACTIVE_STATES_SQL, hoursBetween } from '../faults/repository';
import { kecamatanState } from '../stations/board';
import type { Scope } from './scope';
import { DEFAULT_DISTRICT, scopeCondition } from './scope';

type Count = number | string | null;

interface DistrictRow {
  code: string;
  name: string;
  province_code: string;
  time_zone: string;
}

/** The empty figures of one area. */
function emptyArea(code: string, name: string, timeZone: TimeZoneName | null): AreaRollup {
  return {
    code,
    name,
    timeZone,
    districts: 0,
    kecamatan: 0,
    canRecord: 0,
    cannotRecord: 0,
    noNews: 0,
    closed: 0,
    stations: 0,
    openFaults: 0,
    oldestFaultAt: null,
    availabilityPercent: null,
    consumablesLow: 0,
  };
}

/** Per district: the figures of its own, before they are summed into areas. */
interface DistrictFigures {
  kecamatan: Record<KecamatanState, number>;
  stations: number;
  openFaults: number;
  oldestFaultAt: string | null;
  unableHours: number;
  stationHours: number;
  consumablesLow: number;
}

/**
 * The view of `scope` (national: areas are provinces; a province: areas are its districts).
 * `windowMs`: a station silent longer than this has no news (the board's window).
 */
export async function rollup(
  db: Db,
  input: { scope: Scope & { level: 'national' | 'province' }; nowMs: number; windowMs: number },
): Promise<Rollup> {
  const { scope, nowMs } = input;
  const districtParams: SqlValue[] = [];
  // The default district (a district's own server, migration 401) only once it has stations: a
  // service of many districts that never used it does not show an empty nameless one.
  const districts = await db.query<DistrictRow>(
    `SELECT code, name, province_code, time_zone FROM districts
     WHERE (code <> '${DEFAULT_DISTRICT}' OR EXISTS (SELECT 1 FROM stations WHERE district_code = '${DEFAULT_DISTRICT}'))${scopeCondition(scope, 'code', districtParams)}
     ORDER BY code`,
    districtParams,
  );
  const perDistrict = new Map<string, DistrictFigures>(
    districts.map((district) => [
      district.code,
      {
        kecamatan: { 'can-record': 0, 'cannot-record': 0, 'no-news': 0, closed: 0 },
        stations: 0,
        openFaults: 0,
        oldestFaultAt: null,
        unableHours: 0,
        stationHours: 0,
        consumablesLow: 0,
      },
    ]),
  );
  const calendars = await loadCalendars(db, scope);

  // The month of the availability figures: the scope's local month (WIB when its districts differ:
  // a month boundary hour either way).
  const zones = new Set(districts.map((district) => district.time_zone));
  const zone = (zones.size === 1 ? [...zones][0] : 'WIB') as TimeZoneName;
  const month = monthRange(nowMs, 0, OFFSET_MINUTES[zone] ?? OFFSET_MINUTES.WIB);
  const fromIso = new Date(month.fromMs).toISOString();
  const toIso = new Date(Math.min(month.toMs, nowMs)).toISOString();

  // Kecamatan now: one row per kecamatan with its live stations that can record and its silent
  // ones; in the same pass over the stations (the covering index stations_district), the hours
  // its enrolled stations existed this month and those they have been silent (no heartbeat within
  // the window): from the last heartbeat, or from enrollment when never heard, to now (as
  // figures/availability.ts counts it, less the window's few minutes).
  // heard_at is the receive time of a live heartbeat (never set without one: intake, migration 105).
  const cutoff = new Date(nowMs - input.windowMs).toISOString();
  // $4 is the month's end again, alone in the casts: PostgreSQL deduces one type per parameter.
  const kecamatanParams: SqlValue[] = [cutoff, fromIso, toIso, toIso];
  const silentStart = `(CASE WHEN s.heard_at IS NULL
      THEN (CASE WHEN s.enrolled_at > $2 THEN s.enrolled_at ELSE $2 END)
      ELSE (CASE WHEN s.heard_at > $2 THEN s.heard_at ELSE $2 END) END)`;
  const enrolledStart = '(CASE WHEN s.enrolled_at > $2 THEN s.enrolled_at ELSE $2 END)';
  const kecamatanRows = await db.query<{
    district_code: string;
    kecamatan: string;
    stations: Count;
    able: Count;
    silent: Count;
    silent_hours: Count;
    station_hours: Count;
  }>(
    `SELECT s.district_code, s.kecamatan, COUNT(*) AS stations,
       SUM(CASE WHEN s.heard_at >= $1 AND a.can_record = 1 THEN 1 ELSE 0 END) AS able,
       SUM(CASE WHEN s.heard_at IS NULL OR s.heard_at < $1 THEN 1 ELSE 0 END) AS silent,
       SUM(CASE WHEN s.heard_at IS NULL OR s.heard_at < $1 THEN ${hoursBetween(db, silentStart, '$4')} ELSE 0 END) AS silent_hours,
       SUM(CASE WHEN s.enrolled_at < $3 THEN ${hoursBetween(db, enrolledStart, '$4')} ELSE 0 END) AS station_hours
     FROM stations s LEFT JOIN station_availability a ON a.station_id = s.id
     WHERE s.enrolled_at IS NOT NULL${scopeCondition(scope, 's.district_code', kecamatanParams)}
     GROUP BY s.district_code, s.kecamatan`,
    kecamatanParams,
  );
  // Most offices keep their district's hours: one answer per district unless the kecamatan has its own.
  const districtOpen = new Map<string, boolean>();
  const openNow = (district: string, calendar: Calendar, kecamatan: string): boolean => {
    if (calendar.kecamatan.has(kecamatan) || calendar.closedDays.has(kecamatan)) {
      return isOpenAt(calendar, kecamatan, nowMs);
    }
    const known = districtOpen.get(district);
    if (known !== undefined) {
      return known;
    }
    const open = isOpenAt(calendar, kecamatan, nowMs);
    districtOpen.set(district, open);
    return open;
  };
  const silentHours = new Map<string, number>();
  const stationHours = new Map<string, number>();
  for (const row of kecamatanRows) {
    silentHours.set(
      row.district_code,
      (silentHours.get(row.district_code) ?? 0) + Number(row.silent_hours ?? 0),
    );
    stationHours.set(
      row.district_code,
      (stationHours.get(row.district_code) ?? 0) + Number(row.station_hours ?? 0),
    );
    const figures = perDistrict.get(row.district_code);
    const calendar = calendars.get(row.district_code);
    if (figures === undefined || calendar === undefined) {
      continue;
    }
    const state = kecamatanState({
      open: openNow(row.district_code, calendar, row.kecamatan),
      anyCanRecord: Number(row.able) > 0,
      anyNoNews: Number(row.silent) > 0,
    });
    figures.kecamatan[state] += 1;
    figures.stations += Number(row.stations);
  }

  // Open faults per district: how many, and since when the oldest waits.
  const faultParams: SqlValue[] = [];
  const faultScope = scopeCondition(scope, 's.district_code', faultParams);
  for (const row of await db.query<{ district_code: string; open_faults: Count; oldest: string }>(
    `SELECT s.district_code, COUNT(*) AS open_faults, MIN(f.first_seen) AS oldest
     FROM faults f JOIN stations s ON s.id = f.station_id
     WHERE f.state IN ${ACTIVE_STATES_SQL}${faultScope}
     GROUP BY s.district_code`,
    faultParams,
  )) {
    const figures = perDistrict.get(row.district_code);
    if (figures !== undefined) {
      figures.openFaults = Number(row.open_faults);
      figures.oldestFaultAt = row.oldest;
    }
  }

  // Availability this month: hours of "cannot record" and "silent" spans inside the month, and of
  // silence now, against the hours the enrolled stations existed in it.
  const spanParams: SqlValue[] = [fromIso, toIso];
  const spanStart = '(CASE WHEN p.started_at > $1 THEN p.started_at ELSE $1 END)';
  const spanEnd = '(CASE WHEN p.ended_at IS NULL OR p.ended_at > $2 THEN $2 ELSE p.ended_at END)';
  for (const row of await db.query<{ district_code: string; hours: Count }>(
    `SELECT s.district_code, SUM(${hoursBetween(db, spanStart, spanEnd)}) AS hours
     FROM availability_spans p JOIN stations s ON s.id = p.station_id
     WHERE p.started_at < $2 AND (p.ended_at IS NULL OR p.ended_at > $1)${scopeCondition(scope, 's.district_code', spanParams)}
     GROUP BY s.district_code`,
    spanParams,
  )) {
    const figures = perDistrict.get(row.district_code);
    if (figures !== undefined) {
      figures.unableHours = Math.max(0, Number(row.hours ?? 0));
    }
  }
  for (const [district, figures] of perDistrict) {
    figures.unableHours += Math.max(0, silentHours.get(district) ?? 0);
    figures.stationHours = Math.max(0, stationHours.get(district) ?? 0);
  }

  // Consumables: stations whose latest report has blank cards at or below the low mark (stock.ts).
  const stockParams: SqlValue[] = [DEFAULT_THRESHOLDS.minBlankCards];
  for (const row of await db.query<{ district_code: string; low: Count }>(
    `SELECT s.district_code, COUNT(*) AS low
     FROM consumable_reports r JOIN stations s ON s.id = r.station_id
     WHERE r.blank_cards <= $1
       AND r.at = (SELECT MAX(l.at) FROM consumable_reports l WHERE l.station_id = r.station_id)${scopeCondition(scope, 's.district_code', stockParams)}
     GROUP BY s.district_code`,
    stockParams,
  )) {
    const figures = perDistrict.get(row.district_code);
    if (figures !== undefined) {
      figures.consumablesLow = Number(row.low);
    }
  }

  // Areas: provinces (national) or the districts themselves (province).
  const provinces =
    scope.level === 'national'
      ? await db.query<{ code: string; name: string }>('SELECT code, name FROM provinces ORDER BY code')
      : await db.query<{ code: string; name: string }>('SELECT code, name FROM provinces WHERE code = $1', [
          scope.code,
        ]);
  const areaOf = (district: DistrictRow): string =>
    scope.level === 'national' ? district.province_code : district.code;
  const areas = new Map<string, { area: AreaRollup; unable: number; hours: number; zones: Set<string> }>();
  const areaNames =
    scope.level === 'national'
      ? provinces
          .filter(
            (province) =>
              province.code !== DEFAULT_DISTRICT ||
              districts.some((district) => district.province_code === province.code),
          )
          .map((province) => [province.code, province.name] as const)
      : districts.map((district) => [district.code, district.name] as const);
  for (const [code, name] of areaNames) {
    areas.set(code, { area: emptyArea(code, name, null), unable: 0, hours: 0, zones: new Set() });
  }
  const totals = { area: emptyArea('', '', null), unable: 0, hours: 0, zones: new Set<string>() };
  for (const district of districts) {
    const figures = perDistrict.get(district.code);
    const entry = areas.get(areaOf(district));
    if (figures === undefined || entry === undefined) {
      continue;
    }
    for (const target of [entry, totals]) {
      add(target.area, figures);
      target.unable += figures.unableHours;
      target.hours += figures.stationHours;
      target.zones.add(district.time_zone);
    }
  }
  const finish = (entry: typeof totals): AreaRollup => ({
    ...entry.area,
    timeZone: entry.zones.size === 1 ? ([...entry.zones][0] as TimeZoneName) : null,
    availabilityPercent:
      entry.hours <= 0 ? null : Math.round(Math.max(0, 100 * (1 - entry.unable / entry.hours)) * 10) / 10,
  });
  const province = provinces[0];
  return {
    generatedAt: new Date(nowMs).toISOString(),
    level: scope.level,
    code: scope.level === 'national' ? '' : scope.code,
    name: scope.level === 'national' ? 'Nasional' : (province?.name ?? scope.code),
    totals: finish(totals),
    areas: [...areas.values()]
      .map(finish)
      .sort(
        (left, right) =>
          right.cannotRecord + right.noNews - (left.cannotRecord + left.noNews) ||
          left.code.localeCompare(right.code),
      ),
    oldestFaults: await oldestFaults(db, scope, nowMs),
    longestWaiting: longestWaiting(districts, perDistrict, nowMs),
  };
}

function add(area: AreaRollup, figures: DistrictFigures): void {
  area.districts += 1;
  area.canRecord += figures.kecamatan['can-record'];
  area.cannotRecord += figures.kecamatan['cannot-record'];
  area.noNews += figures.kecamatan['no-news'];
  area.closed += figures.kecamatan.closed;
  area.kecamatan +=
    figures.kecamatan['can-record'] +
    figures.kecamatan['cannot-record'] +
    figures.kecamatan['no-news'] +
    figures.kecamatan.closed;
  area.stations += figures.stations;
  area.openFaults += figures.openFaults;
  if (
    figures.oldestFaultAt !== null &&
    (area.oldestFaultAt === null || figures.oldestFaultAt < area.oldestFaultAt)
  ) {
    area.oldestFaultAt = figures.oldestFaultAt;
  }
  area.consumablesLow += figures.consumablesLow;
}

const hoursSince = (iso: string, nowMs: number): number =>
  Math.round(Math.max(0, (nowMs - Date.parse(iso)) / 3_600_000) * 10) / 10;

async function oldestFaults(db: Db, scope: Scope, nowMs: number): Promise<OldFault[]> {
  const params: SqlValue[] = [];
  const rows = await db.query<{
    station_id: string;
    fault_id: string;
    role: string;
    code: string;
    severity: string;
    state: FaultState;
    first_seen: string;
    station_name: string;
    kecamatan: string;
    district_code: string;
    district_name: string;
  }>(
    `SELECT f.station_id, f.fault_id, f.role, f.code, f.severity, f.state, f.first_seen,
       s.name AS station_name, s.kecamatan, s.district_code, d.name AS district_name
     FROM faults f JOIN stations s ON s.id = f.station_id JOIN districts d ON d.code = s.district_code
     WHERE f.state IN ${ACTIVE_STATES_SQL}${scopeCondition(scope, 's.district_code', params)}
     ORDER BY f.first_seen, f.station_id, f.fault_id LIMIT ${ROLLUP_LIST_SIZE}`,
    params,
  );
  return rows.map((row) => ({
    stationId: row.station_id,
    stationName: row.station_name,
    kecamatan: row.kecamatan,
    faultId: row.fault_id,
    role: row.role,
    code: row.code,
    severity: row.severity,
    state: row.state,
    districtCode: row.district_code,
    districtName: row.district_name,
    firstSeen: row.first_seen,
    ageHours: hoursSince(row.first_seen, nowMs),
  }));
}

function longestWaiting(
  districts: readonly DistrictRow[],
  perDistrict: ReadonlyMap<string, DistrictFigures>,
  nowMs: number,
): WaitingDistrict[] {
  return districts
    .flatMap((district): WaitingDistrict[] => {
      const figures = perDistrict.get(district.code);
      return figures?.oldestFaultAt === null || figures === undefined
        ? []
        : [
            {
              code: district.code,
              name: district.name,
              provinceCode: district.province_code,
              openFaults: figures.openFaults,
              oldestFaultAt: figures.oldestFaultAt,
              oldestAgeHours: hoursSince(figures.oldestFaultAt, nowMs),
            },
          ];
    })
    .sort(
      (left, right) =>
        left.oldestFaultAt.localeCompare(right.oldestFaultAt) || left.code.localeCompare(right.code),
    )
    .slice(0, ROLLUP_LIST_SIZE);
}
