// What the kiosk shows: the open faults with where the district stands on each, and the board
// (one tile per expected role) built from the agent's last check, the camera's own verdict and the
// open faults.
import type { DistrictState, DistrictView, FaultView, RoleTile, StationStatus } from '../station-api';
import type { DistrictFault } from '../../protocol/requests';
import type { FaultPayload } from '../../protocol/events';
import type { Role, Verdict } from '../../protocol/verdict';
import { roleName } from '../../protocol/i18n';
import { describe as describeCode } from '../agent/messages';
import { readDistrictFault } from '../agent/outbox';
import type { Profile } from '../agent/profile';
import { checkedRoles, expectedRoles } from '../agent/profile';
import { dailyCheckDelivery, lastDailyCheck } from './daily-check';
import type { FaultRecord, Store } from '../agent/store/store';
import type { CheckReport } from '../agent/types';

/** The district's state as the operator reads it: "technician assigned" once a name is given. */
export function fromDistrict(fault: DistrictFault): DistrictView {
  const state: DistrictState =
    fault.state === 'open'
      ? 'reported'
      : fault.state === 'in-repair'
        ? fault.assignee
          ? 'technician-assigned'
          : 'in-repair'
        : fault.state;
  return {
    state,
    updatedAt: fault.updatedAt,
    ...(fault.note ? { note: fault.note } : {}),
    ...(fault.acknowledgedBy ? { acknowledgedBy: fault.acknowledgedBy } : {}),
    ...(fault.assignee ? { assignee: fault.assignee } : {}),
  };
}

/** What the district said of the fault; before it said anything, whether it was sent. */
export function districtView(store: Store, fault: FaultRecord): DistrictView {
  const answer = readDistrictFault(store, fault.faultId);
  if (answer) {
    return fromDistrict(answer);
  }
  return {
    state:
      fault.delivery === 'queued' ? 'queued' : fault.delivery === 'reported' ? 'reported' : 'not-reported',
  };
}

/** A repaired (resolved) fault stays listed this long; longer, up to a week, until the district verified it. */
const REPAIRED_LISTED_MS = 24 * 60 * 60_000;
const REPAIRED_AWAITING_MS = 7 * 24 * 60 * 60_000;

/** The open faults, then the recently repaired ones, each with where the district stands on it. */
export function listedFaults(store: Store, nowMs: number): FaultView[] {
  const views: FaultView[] = [];
  for (const record of store.listFaults({ includeResolved: true })) {
    const district = districtView(store, record);
    if (record.resolvedAt !== null) {
      const ageMs = nowMs - Date.parse(record.resolvedAt);
      const listed =
        ageMs < REPAIRED_LISTED_MS || (ageMs < REPAIRED_AWAITING_MS && district.state !== 'closed');
      if (!listed) {
        continue;
      }
    }
    const payload = record.payload as FaultPayload;
    views.push({
      id: record.faultId,
      role: record.role as Role,
      code: record.code,
      severity: payload.severity,
      message: payload.message,
      nextStep: describeCode(record.code, record.role as Role).nextStep,
      openedAt: record.openedAt,
      closedAt: record.resolvedAt,
      flapping: payload.flapping,
      recurring: payload.recurring,
      district,
    });
  }
  return views;
}

export interface StatusInput {
  profile: Profile;
  /** The agent's last check; it includes the camera's frame verdict while that counts (Agent.reportVerdict). */
  report: CheckReport | null;
  /** Open faults first (listedFaults); the tile of a role shows its open one. */
  faults: FaultView[];
  /** Null while the store cannot be opened (data folder not writable). */
  store: Store | null;
  storageProblem?: StationStatus['storageProblem'];
  checking: boolean;
  enrolled: boolean;
  outboxPending: number;
  language: StationStatus['language'];
  kiosk: boolean;
  now: number;
}

export function buildStatus(input: StatusInput): StationStatus {
  const { report, faults, profile } = input;
  const expected = expectedRoles(profile);
  const byRole = new Map<Role, Verdict>();
  for (const verdict of report?.verdicts ?? []) {
    if (verdict.role) {
      byRole.set(verdict.role, verdict);
    }
  }
  // A role checked without being expected (the PC) gets a tile only when something is wrong with it.
  const roles = checkedRoles(profile).filter(
    (role) => expected.includes(role) || (byRole.get(role)?.status ?? 'ok') !== 'ok',
  );
  const tiles: RoleTile[] = roles.map((role) => {
    const verdict = byRole.get(role);
    const fault = faults.find((candidate) => candidate.role === role && candidate.closedAt === null);
    return {
      role,
      name: roleName(role),
      status: verdict?.status ?? 'unknown',
      code: verdict?.code ?? 'NOT_CHECKED',
      message: verdict?.message ?? { id: 'Belum diperiksa.', en: 'Not checked yet.' },
      nextStep: verdict?.nextStep ?? { id: 'Tunggu pemeriksaan.', en: 'Wait for the check.' },
      checkedAt: verdict?.checkedAt ?? null,
      fault: fault
        ? {
            id: fault.id,
            openedAt: fault.openedAt,
            flapping: fault.flapping,
            recurring: fault.recurring,
            district: fault.district,
          }
        : undefined,
    };
  });
  const daily = input.store ? lastDailyCheck(input.store) : null;
  const today = new Date(input.now).toISOString().slice(0, 10);
  return {
    station: { name: profile.station?.name ?? 'Siaga', kecamatan: profile.station?.kecamatan },
    // The report's answers by the shared rule (protocol/rules.ts): the heartbeat carries the same.
    canRecord: report?.recording === 'yes',
    canPrint: report?.printing === 'yes',
    recording: report?.recording ?? 'not-checked',
    printing: report?.printing ?? 'not-checked',
    tiles,
    others: (report?.verdicts ?? [])
      .filter((verdict) => verdict.role === null)
      .map((verdict) => ({ code: verdict.code, message: verdict.message, deviceKey: verdict.device?.key })),
    lastCheckAt: report ? new Date(Date.parse(report.startedAt) + report.durationMs).toISOString() : null,
    checking: input.checking,
    dailyCheck: {
      doneToday: daily !== null && daily.completedAt.slice(0, 10) === today,
      lastCompletedAt: daily?.completedAt ?? null,
      delivery: daily && input.store ? dailyCheckDelivery(input.store, daily) : null,
    },
    enrolled: input.enrolled,
    outboxPending: input.outboxPending,
    language: input.language,
    kiosk: input.kiosk,
    ...(input.storageProblem ? { storageProblem: input.storageProblem } : {}),
  };
}
