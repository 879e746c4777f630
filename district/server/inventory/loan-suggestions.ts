// "Cari pinjaman": from a fault that stops recording, what can fill the gap today, nearest first.
// A candidate is a working device of the fault's role that is
//   - a spare on the district's shelf (kind `spare`), or
//   - installed at another station whose office is closed all of today (`closed-today`), or
//   - installed at another station of a kecamatan where some other station can record now, so the
//     kecamatan keeps recording without it (`idle`).
// Never: a device with an open fault (an open warning is shown, not excluded), one whose role was
// not usable in its station's last heartbeat, one on loan already, the broken station's own, or a
// device of a station that cannot record itself (it waits for its own repair; its kit is unproven).
// Ranked by travel between kecamatan offices (travel.ts); accepting one creates the loan (loans.ts)
// and emails the technicians of both offices (loan-notice.ts). Everything is of the fault's own
// district (its stations, spares, calendar and offices): a loan never crosses districts.
import type { HeartbeatPayload } from '../../../protocol/events';
import { isUsable } from '../../../protocol/rules';
import type { RoleStatuses } from '../../../protocol/rules';
import type { Role, Status, Text } from '../../../protocol/verdict';
import type {
  AcceptedLoan,
  AcceptLoanRequestSchema,
  DeviceView,
  FaultHeading,
  LoanCandidate,
  LoanSourceKind,
  LoanSuggestions,
  StationState,
  Travel,
} from '../../dash-api';
import type { z } from 'zod';
import { localDay, serviceIntervals } from '../calendar/service-hours';
import { loadCalendar } from '../calendar/store';
import type { Db } from '../db/types';
import { ConflictError, InvalidInputError, NotFoundError } from '../errors';
import type { FaultRow } from '../faults/repository';
import { ACTIVE_STATES_SQL, stopsRecording } from '../faults/repository';
import type { Notifier } from '../notify/types';
import { board, reportedAnswers } from '../stations/board';
import { districtScope } from '../tenancy/scope';
import { listDevices } from './devices';
import { loanNotice } from './loan-notice';
import { createLoan, listLoans } from './loans';
import type { Offices } from './offices';
import { loadOffices } from './offices';
import type { DistanceEntry } from './travel';
import { officeKey, ROAD_FACTOR, SPEED_KMH, travelBetween } from './travel';

const DAY_MS = 86_400_000;
/** Suggestions shown at most: the nearest; a district's whole stock of one role rarely comes close. */
export const MAX_LOAN_CANDIDATES = 30;
const HISTORY_SHOWN = 5;

/** What the ranking needs to know of a station. */
export interface StationFacts {
  stationId: string;
  name: string;
  kecamatan: string;
  /** The board's state now (liveness, service hours, its own word). */
  state: StationState;
  /** Its last heartbeat's answer to "can record?", even when silent since; null: never reported. */
  lastRecording: 'yes' | 'no' | 'not-checked' | null;
  roleStatus: RoleStatuses;
  heartbeatAt: string | null;
  /** An active fault at the station stops recording. */
  blockingFault: boolean;
  /** Its office has no service hours on the district's local date today. */
  closedToday: boolean;
  /**
   * Roles of its devices out on an open loan from it. Its board state lags (until its next
   * heartbeat it still says it can record), so it never counts as keeping its kecamatan recording
   * for those roles. Absent: none.
   */
  lentRoles?: readonly string[];
}

export interface OpenDeviceFault {
  faultId: string;
  code: string;
  status: Status;
  message: Text;
  since: string;
}

export interface DeviceFacts {
  device: DeviceView;
  /** Active faults at any station that name this device (by its key there, or its serial number). */
  openFaults: OpenDeviceFault[];
}

export interface RankInput {
  fault: { stationId: string; kecamatan: string; role: string };
  stations: readonly StationFacts[];
  devices: readonly DeviceFacts[];
  map: { coordinates: Offices['coordinates']; distances: readonly DistanceEntry[] };
}

export type RankedCandidate = Omit<LoanCandidate, 'history'>;

const KIND_ORDER: Record<LoanSourceKind, number> = { spare: 0, 'closed-today': 1, idle: 2 };

/** A station whose kit cannot record now (or did not in its last word) is never stripped further. */
function cannotRecordItself(station: StationFacts): boolean {
  return station.state === 'cannot-record' || station.lastRecording === 'no' || station.blockingFault;
}

/** Why this device can be lent today, or null when it cannot. Pure. */
function sourceOf(
  facts: DeviceFacts,
  input: RankInput,
  stations: ReadonlyMap<string, StationFacts>,
): { kind: LoanSourceKind; station: StationFacts | null; stillRecording: string[] } | null {
  const { device } = facts;
  if (
    device.role !== input.fault.role ||
    device.loanId !== null ||
    device.stationId === input.fault.stationId
  ) {
    return null;
  }
  if (facts.openFaults.some((fault) => !isUsable(fault.status))) {
    return null;
  }
  if (device.status === 'spare' && device.stationId === null) {
    return { kind: 'spare', station: null, stillRecording: [] };
  }
  const station = device.stationId === null ? undefined : stations.get(device.stationId);
  if (device.status !== 'installed' || station === undefined || cannotRecordItself(station)) {
    return null;
  }
  const verdict = station.roleStatus[input.fault.role as Role];
  if (verdict !== undefined && !isUsable(verdict)) {
    return null;
  }
  if (station.closedToday) {
    return { kind: 'closed-today', station, stillRecording: [] };
  }
  const stillRecording = input.stations
    .filter(
      (other) =>
        other.kecamatan === station.kecamatan &&
        other.stationId !== station.stationId &&
        other.stationId !== input.fault.stationId &&
        other.state === 'can-record' &&
        !(other.lentRoles ?? []).includes(input.fault.role),
    )
    .map((other) => other.name);
  return stillRecording.length > 0 ? { kind: 'idle', station, stillRecording } : null;
}

/** Unknown distances last, then fewest minutes, then spare before closed before idle. */
function compareTravel(left: Travel, right: Travel): number {
  if (left.minutes === null || right.minutes === null) {
    return left.minutes === right.minutes ? 0 : left.minutes === null ? 1 : -1;
  }
  return left.minutes - right.minutes;
}

/** The candidates for the fault, nearest first. Pure: the unit tests give it a small district map. */
export function rankCandidates(input: RankInput): RankedCandidate[] {
  const stations = new Map(input.stations.map((station) => [station.stationId, station]));
  const ranked: Omit<RankedCandidate, 'rank'>[] = [];
  for (const facts of input.devices) {
    const source = sourceOf(facts, input, stations);
    if (source === null) {
      continue;
    }
    const station = source.station;
    const verdict = station?.roleStatus[input.fault.role as Role];
    ranked.push({
      kind: source.kind,
      device: facts.device,
      fromStation:
        station === null
          ? null
          : {
              stationId: station.stationId,
              name: station.name,
              kecamatan: station.kecamatan,
              state: station.state,
            },
      stillRecording: source.stillRecording,
      travel: travelBetween(
        input.fault.kecamatan,
        station?.kecamatan ?? null,
        input.map.coordinates,
        input.map.distances,
      ),
      condition: {
        warnings: facts.openFaults.map(({ faultId, code, message, since }) => ({
          faultId,
          code,
          message,
          since,
        })),
        lastVerdict:
          station === null || verdict === undefined || station.heartbeatAt === null
            ? null
            : { status: verdict, at: station.heartbeatAt },
      },
    });
  }
  ranked.sort(
    (left, right) =>
      compareTravel(left.travel, right.travel) ||
      KIND_ORDER[left.kind] - KIND_ORDER[right.kind] ||
      (left.device.serialNumber ?? left.device.id).localeCompare(
        right.device.serialNumber ?? right.device.id,
      ),
  );
  return ranked.slice(0, MAX_LOAN_CANDIDATES).map((candidate, index) => ({ ...candidate, rank: index + 1 }));
}

type FaultWithStation = FaultRow & { station_name: string; kecamatan: string; district_code: string };

/** The fault a loan is sought for: it must exist and stop recording. */
async function blockingFault(db: Db, stationId: string, faultId: string): Promise<FaultWithStation> {
  const [fault] = await db.query<FaultWithStation>(
    `SELECT f.*, s.name AS station_name, s.kecamatan, s.district_code FROM faults f JOIN stations s ON s.id = f.station_id
     WHERE f.station_id = $1 AND f.fault_id = $2`,
    [stationId, faultId],
  );
  if (fault === undefined) {
    throw new NotFoundError('no such fault');
  }
  if (!stopsRecording(fault)) {
    throw new ConflictError(
      'gangguan ini tidak menghentikan perekaman, jadi tidak dicarikan pinjaman / this fault does not stop recording',
    );
  }
  return fault;
}

/**
 * Every fact the ranking needs, read now, of the fault's district only: a loan never crosses
 * districts (each keeps its own stock and its own letters).
 */
async function gatherFacts(
  db: Db,
  nowMs: number,
  heartbeatWindowMs: number,
  district: string,
): Promise<{ stations: StationFacts[]; devices: DeviceFacts[]; offices: Offices; today: string }> {
  const calendar = await loadCalendar(db, district);
  const day = localDay(nowMs, calendar.timeZone);
  const now = await board(db, nowMs, heartbeatWindowMs, district);
  const heartbeats = new Map(
    (
      await db.query<{ id: string; last_heartbeat: string | null; heard_at: string | null }>(
        'SELECT id, last_heartbeat, heard_at FROM stations WHERE district_code = $1',
        [district],
      )
    ).map((row) => [row.id, row]),
  );
  // The district's own active faults only: a serial number another district reports (a cloned
  // "0000" too) is another district's device, and its fault says nothing of this one.
  const active = await db.query<FaultRow>(
    `SELECT f.* FROM faults f JOIN stations s ON s.id = f.station_id
     WHERE f.state IN ${ACTIVE_STATES_SQL} AND s.district_code = $1`,
    [district],
  );
  const lent = await db.query<{ from_station_id: string; role: string | null }>(
    `SELECT l.from_station_id, d.role FROM loans l JOIN devices d ON d.id = l.device_id
     WHERE l.returned_on IS NULL AND l.from_station_id IS NOT NULL AND d.district_code = $1`,
    [district],
  );
  const stations = now.kecamatan.flatMap((kecamatan) =>
    kecamatan.stations.map((station): StationFacts => {
      const row = heartbeats.get(station.stationId);
      const heartbeat =
        row === undefined || row.last_heartbeat === null
          ? null
          : (JSON.parse(row.last_heartbeat) as HeartbeatPayload);
      return {
        stationId: station.stationId,
        name: station.name,
        kecamatan: station.kecamatan,
        state: station.state,
        lastRecording: heartbeat === null ? null : reportedAnswers(heartbeat).recording,
        roleStatus: heartbeat?.roleStatus ?? {},
        heartbeatAt: row?.heard_at ?? null,
        blockingFault: active.some(
          (fault) => fault.station_id === station.stationId && stopsRecording(fault),
        ),
        closedToday:
          serviceIntervals(calendar, station.kecamatan, day.startMs, day.startMs + DAY_MS).length === 0,
        lentRoles: lent
          .filter((loan) => String(loan.from_station_id) === station.stationId && loan.role !== null)
          .map((loan) => loan.role!),
      };
    }),
  );
  // A device installed at a forwarded station is its own district server's to lend (peering/forwarded.ts).
  const forwarded = new Set(
    (
      await db.query<{ id: string }>('SELECT id FROM stations WHERE district_code = $1 AND peer_id IS NOT NULL', [
        district,
      ])
    ).map((row) => row.id),
  );
  const owned = (await listDevices(db, { scope: districtScope(district) })).filter(
    (device) => device.stationId === null || !forwarded.has(device.stationId),
  );
  const devices = owned.map((device): DeviceFacts => ({
    device,
    openFaults: active
      .filter(
        (fault) =>
          (device.deviceKey !== null &&
            fault.station_id === device.stationId &&
            fault.device_key === device.deviceKey) ||
          (device.serialNumber !== null && fault.device_serial === device.serialNumber),
      )
      .map((fault) => ({
        faultId: fault.fault_id,
        code: fault.code,
        status: fault.status as Status,
        message: JSON.parse(fault.message) as Text,
        since: fault.first_seen,
      })),
  }));
  return { stations, devices, offices: await loadOffices(db, district), today: day.date };
}

/** Earlier faults and loans of a candidate device. */
async function historyOf(db: Db, device: DeviceView, district: string): Promise<LoanCandidate['history']> {
  const faults = await db.query<{
    code: string;
    first_seen: string;
    resolved_at: string | null;
    kecamatan: string;
  }>(
    `SELECT f.code, f.first_seen, f.resolved_at, s.kecamatan FROM faults f JOIN stations s ON s.id = f.station_id
     WHERE f.state NOT IN ${ACTIVE_STATES_SQL}
       AND (($1 <> '' AND f.station_id = $2 AND f.device_key = $1) OR ($3 <> '' AND f.device_serial = $3))
       AND s.district_code = $4
     ORDER BY f.first_seen DESC`,
    [device.deviceKey ?? '', device.stationId ?? '', device.serialNumber ?? '', district],
  );
  const loans = await db.query<{
    id: string;
    reference: string;
    starts_on: string;
    returned_on: string | null;
    kecamatan: string;
  }>(
    `SELECT l.id, l.reference, l.starts_on, l.returned_on, s.kecamatan FROM loans l JOIN stations s ON s.id = l.to_station_id
     WHERE l.device_id = $1 AND s.district_code = $2 ORDER BY l.starts_on DESC, l.id DESC`,
    [device.id, district],
  );
  return {
    earlierFaults: faults.slice(0, HISTORY_SHOWN).map((fault) => ({
      code: fault.code,
      firstSeen: fault.first_seen,
      resolvedAt: fault.resolved_at,
      kecamatan: fault.kecamatan,
    })),
    earlierFaultCount: faults.length,
    loans: loans.slice(0, HISTORY_SHOWN).map((loan) => ({
      id: loan.id,
      reference: loan.reference,
      startsOn: loan.starts_on,
      returnedOn: loan.returned_on,
      toKecamatan: loan.kecamatan,
    })),
    loanCount: loans.length,
  };
}

const headingOf = (fault: FaultWithStation): FaultHeading => ({
  stationId: fault.station_id,
  stationName: fault.station_name,
  kecamatan: fault.kecamatan,
  faultId: fault.fault_id,
  role: fault.role,
  code: fault.code,
  severity: fault.severity,
});

export async function loanSuggestions(
  db: Db,
  input: { stationId: string; faultId: string; nowMs: number; heartbeatWindowMs: number },
): Promise<LoanSuggestions> {
  const fault = await blockingFault(db, input.stationId, input.faultId);
  const facts = await gatherFacts(db, input.nowMs, input.heartbeatWindowMs, fault.district_code);
  const ranked = rankCandidates({
    fault: { stationId: fault.station_id, kecamatan: fault.kecamatan, role: fault.role },
    stations: facts.stations,
    devices: facts.devices,
    map: facts.offices,
  });
  const candidates: LoanCandidate[] = [];
  for (const candidate of ranked) {
    candidates.push({ ...candidate, history: await historyOf(db, candidate.device, fault.district_code) });
  }
  const offices = new Set<string | null>([
    fault.kecamatan,
    ...candidates.map((c) => c.fromStation?.kecamatan ?? null),
  ]);
  return {
    fault: headingOf(fault),
    today: facts.today,
    candidates,
    roadFactor: ROAD_FACTOR,
    speedKmh: SPEED_KMH,
    officesWithoutCoordinates: [...offices].filter(
      (office) => !facts.offices.coordinates.has(officeKey(office)),
    ),
  };
}

/**
 * Accepts a suggestion: the device must still be a candidate now; the loan is created as any loan
 * (one open loan per device, checked under a lock), then both offices' technicians are emailed.
 * A failed email never undoes the loan: the answer says who was not reached.
 */
export async function acceptLoanSuggestion(
  db: Db,
  notifier: Notifier | null,
  input: {
    stationId: string;
    faultId: string;
    request: z.infer<typeof AcceptLoanRequestSchema>;
    createdBy: string;
    nowMs: number;
    heartbeatWindowMs: number;
    districtName: string;
    dashboardUrl: string;
  },
): Promise<AcceptedLoan> {
  const suggestions = await loanSuggestions(db, input);
  const candidate = suggestions.candidates.find((item) => item.device.id === input.request.deviceId);
  if (candidate === undefined) {
    throw new ConflictError(
      'perangkat ini tidak (lagi) termasuk saran pinjaman: sudah dipinjamkan, rusak, atau stasiunnya merekam / this device is not (or no longer) a suggestion',
    );
  }
  if (input.request.dueOn < suggestions.today) {
    throw new InvalidInputError(
      `dueOn: jatuh tempo tidak boleh sebelum hari ini (${suggestions.today}) / the due date cannot be before today`,
    );
  }
  const purpose =
    input.request.purpose === ''
      ? `Pengganti sementara untuk gangguan ${suggestions.fault.code} di Kec. ${suggestions.fault.kecamatan} / ${suggestions.fault.stationName}`
      : input.request.purpose;
  const loanId = await createLoan(db, {
    deviceId: candidate.device.id,
    toStationId: input.stationId,
    startsOn: suggestions.today,
    dueOn: input.request.dueOn,
    reference: input.request.reference,
    purpose,
    createdBy: input.createdBy,
    nowMs: input.nowMs,
  });
  const [loan] = await listLoans(db, { id: loanId });
  const [district] = await db.query<{ code: string; name: string }>(
    'SELECT d.code, d.name FROM districts d JOIN stations s ON s.district_code = d.code WHERE s.id = $1',
    [input.stationId],
  );
  const offices = await loadOffices(db, district.code);
  const sides = [candidate.fromStation?.kecamatan ?? null, suggestions.fault.kecamatan];
  const recipients = [...new Set(sides.flatMap((office) => offices.emails.get(officeKey(office)) ?? []))];
  const message = loanNotice({
    loan,
    candidate,
    fault: suggestions.fault,
    // The district's own name; the server's --district-name for the default district (named '').
    districtName: district.name === '' ? input.districtName : district.name,
    dashboardUrl: input.dashboardUrl,
  });
  const notified: string[] = [];
  const notDelivered: AcceptedLoan['notDelivered'] = [];
  for (const email of recipients) {
    try {
      if (notifier === null) {
        throw new Error('no notifier configured');
      }
      await notifier.sendEmail({ to: email, ...message });
      notified.push(email);
    } catch (error) {
      notDelivered.push({
        email,
        reason: error instanceof Error ? error.message.slice(0, 300) : String(error),
      });
    }
  }
  return {
    loan,
    notified,
    notDelivered,
    officesWithoutEmail: [...new Set(sides)].filter(
      (office) => (offices.emails.get(officeKey(office)) ?? []).length === 0,
    ),
  };
}
