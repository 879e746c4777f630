// The one home of the rules every surface applies to verdicts: which statuses count as usable,
// whether the station can record and print, how severe each code is and which colour each status
// wears. The kiosk, the CLI, the heartbeat and the district all ask here, so they cannot disagree.
// Plain functions without zod, so the kiosk UI and the dashboard can use them (README "Decisions").
import { PRINTING_ROLES, RECORDING_ROLES } from './roles';
import type { Role } from './roles';
import type { Severity, Status } from './verdict';

export { PRINTING_ROLES, RECORDING_ROLES } from './roles';

/**
 * A device is usable when it works (ok), works with a warning (a replaced unit, a low ribbon), or
 * is busy with an operator (in use). `unknown` is not usable: the station cannot promise what it
 * could not check.
 */
export const USABLE_STATUSES: readonly Status[] = ['ok', 'warning', 'in-use'];

export function isUsable(status: Status | undefined): boolean {
  return status !== undefined && USABLE_STATUSES.includes(status);
}

/**
 * The answer to "can the station record / print?": `not-checked` when the profile expects none of
 * the roles it takes (a station without a card printer) or no check has judged them yet.
 */
export const ANSWERS = ['yes', 'no', 'not-checked'] as const;
export type Answer = (typeof ANSWERS)[number];

export type RoleStatuses = Partial<Record<Role, Status>>;

/** Every expected role of `needed` usable: yes; one judged and not usable (fault or unknown): no. */
function answerFor(needed: readonly Role[], roleStatus: RoleStatuses, expected: readonly Role[]): Answer {
  const roles = needed.filter((role) => expected.includes(role));
  if (roles.length === 0 || roles.every((role) => roleStatus[role] === undefined)) {
    return 'not-checked';
  }
  return roles.every((role) => isUsable(roleStatus[role])) ? 'yes' : 'no';
}

/** Whether the station can record a resident: every expected recording role usable. */
export function canRecord(roleStatus: RoleStatuses, expected: readonly Role[]): Answer {
  return answerFor(RECORDING_ROLES, roleStatus, expected);
}

/** Whether the station can print an e-KTP: every expected printing role usable. */
export function canPrint(roleStatus: RoleStatuses, expected: readonly Role[]): Answer {
  return answerFor(PRINTING_ROLES, roleStatus, expected);
}

/** What a role being down stops: recording, printing, or neither. */
export function blocks(role: Role): 'recording' | 'printing' | null {
  return RECORDING_ROLES.includes(role) ? 'recording' : PRINTING_ROLES.includes(role) ? 'printing' : null;
}

/** How bad a role's fault is: a recording role down stops recording, the printer or UPS stops part of the work. */
const FAULT_SEVERITY: Partial<Record<Role, Severity>> = {
  camera: 'critical',
  fingerprint: 'critical',
  iris: 'critical',
  signature: 'critical',
  network: 'critical',
  'card-printer': 'major',
  ups: 'major',
};

/** Codes whose severity is not their status's and role's default, each with its reason. */
const CODE_SEVERITY: Readonly<Record<string, Severity>> = {
  // The PC runs on a battery that is about to end: recording stops within minutes.
  UPS_BATTERY_LOW: 'critical',
  // Mains is gone, or the battery will not carry the PC through the next cut.
  UPS_ON_BATTERY: 'major',
  UPS_BATTERY_DEAD: 'major',
  UPS_BATTERY_REPLACE: 'major',
  // Recording goes on, but the district hears nothing from the station.
  DISTRICT_UNREACHABLE: 'major',
  // The station's own records: lost or exposed data matters more than a slow disk.
  PC_DATA_FOLDER_READONLY: 'critical',
  PC_DATA_FOLDER_OPEN: 'major',
  PC_DATABASE_CORRUPT: 'major',
  PC_STORAGE_FULL: 'major',
};

/** Code suffixes with their own severity, for every role. */
const SUFFIX_SEVERITY: readonly (readonly [suffix: string, severity: Severity])[] = [
  // A loose cable drops the device in the middle of a recording.
  ['_LOOSE_CABLE', 'major'],
];

/**
 * The severity of a verdict with `code` and `status` for `role`, from one table: the code's own
 * entry, else a fault of the role's weight, a warning or unknown `minor`, ok and in use `info`.
 */
export function severityOf(code: string, status: Status, role: Role | null): Severity {
  const own = CODE_SEVERITY[code] ?? SUFFIX_SEVERITY.find(([suffix]) => code.endsWith(suffix))?.[1];
  if (own !== undefined) {
    return own;
  }
  switch (status) {
    case 'fault':
      return (role && FAULT_SEVERITY[role]) ?? 'minor';
    case 'warning':
    case 'unknown':
      return 'minor';
    default:
      return 'info';
  }
}

const STATUS_RANK: Readonly<Record<Status, number>> = { ok: 0, 'in-use': 1, unknown: 2, warning: 3, fault: 4 };

/** How bad a status is, for "the worst of" and for sorting: fault > warning > unknown > in use > ok. */
export function statusRank(status: Status): number {
  return STATUS_RANK[status];
}

/** The colour family of a status on every surface: usable is ok (green), in use too. */
export type Tone = 'ok' | 'warning' | 'fault' | 'neutral';

const TONE: Readonly<Record<Status, Tone>> = {
  ok: 'ok',
  'in-use': 'ok',
  warning: 'warning',
  fault: 'fault',
  unknown: 'neutral',
};

export function statusTone(status: Status): Tone {
  return TONE[status];
}

/** The colour of an answer: yes ok, no fault, not checked neutral. */
export function answerTone(answer: Answer): Tone {
  return answer === 'yes' ? 'ok' : answer === 'no' ? 'fault' : 'neutral';
}
