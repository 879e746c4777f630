// The one home of the rules (protocol/rules.ts), each both ways: a usable device never stops
// recording (no false alarm), a missing or unknown one always does (no missed fault).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Role, Status } from '../../../protocol/verdict';
import { ROLES, STATUSES, worstOf } from '../../../protocol/verdict';
import {
  blocks,
  canPrint,
  canRecord,
  isUsable,
  RECORDING_ROLES,
  severityOf,
  statusRank,
  statusTone,
} from '../../../protocol/rules';
import { HeartbeatPayloadSchema } from '../../../protocol/events';

const KIT: readonly Role[] = [
  'camera',
  'fingerprint',
  'iris',
  'signature',
  'network',
  'card-printer',
  'ups',
  'pc',
];
const healthy = (): Partial<Record<Role, Status>> => Object.fromEntries(KIT.map((role) => [role, 'ok']));

test('usable: ok, warning and in use are; fault and unknown are not', () => {
  assert.deepEqual(
    STATUSES.filter((status) => isUsable(status)),
    ['ok', 'warning', 'in-use'],
  );
  assert.equal(isUsable(undefined), false);
});

test('a spare scanner with UNIT_REPLACED (a warning) still records; a missing fingerprint does not', () => {
  assert.equal(canRecord({ ...healthy(), fingerprint: 'warning' }, KIT), 'yes');
  assert.equal(severityOf('FINGERPRINT_UNIT_REPLACED', 'warning', 'fingerprint'), 'minor');
  assert.equal(canRecord({ ...healthy(), fingerprint: 'fault' }, KIT), 'no');
  assert.equal(severityOf('FINGERPRINT_MISSING', 'fault', 'fingerprint'), 'critical');
});

test('in use counts as usable; unknown does not (the station cannot promise what it could not check)', () => {
  assert.equal(canRecord({ ...healthy(), camera: 'in-use' }, KIT), 'yes');
  assert.equal(canPrint({ ...healthy(), 'card-printer': 'in-use' }, KIT), 'yes');
  assert.equal(canRecord({ ...healthy(), iris: 'unknown' }, KIT), 'no');
  assert.equal(canPrint({ ...healthy(), 'card-printer': 'unknown' }, KIT), 'no');
});

test('every recording role blocks recording when down, and no other role does', () => {
  for (const role of KIT) {
    const answer = canRecord({ ...healthy(), [role]: 'fault' }, KIT);
    assert.equal(answer, RECORDING_ROLES.includes(role) ? 'no' : 'yes', role);
    assert.equal(blocks(role) === 'recording', RECORDING_ROLES.includes(role), role);
  }
  // A role the profile does not expect decides nothing.
  const withoutIris = KIT.filter((role) => role !== 'iris');
  assert.equal(canRecord({ ...healthy(), iris: 'fault' }, withoutIris), 'yes');
});

test('a profile without a card printer says printing is not checked, never no', () => {
  const noPrinter = KIT.filter((role) => role !== 'card-printer');
  assert.equal(canPrint(healthy(), noPrinter), 'not-checked');
  assert.equal(canPrint({ ...healthy(), 'card-printer': 'fault' }, noPrinter), 'not-checked');
  assert.equal(canPrint({ ...healthy(), 'card-printer': 'fault' }, KIT), 'no');
  assert.equal(canPrint(healthy(), KIT), 'yes');
  // Before any check: nothing judged yet.
  assert.equal(canRecord({}, KIT), 'not-checked');
  assert.equal(canRecord(healthy(), []), 'not-checked');
});

test('severity from one table: a camera fault is critical wherever it comes from; exceptions by code', () => {
  for (const code of ['CAMERA_MISSING', 'CAMERA_BLACK_FRAME', 'CAMERA_FROZEN']) {
    assert.equal(severityOf(code, 'fault', 'camera'), 'critical', code);
  }
  assert.equal(severityOf('CAMERA_BLURRED', 'warning', 'camera'), 'minor');
  assert.equal(severityOf('CARD_PRINTER_RIBBON_OUT', 'fault', 'card-printer'), 'major');
  assert.equal(severityOf('DOCUMENT_PRINTER_JAM', 'fault', 'document-printer'), 'minor');
  assert.equal(severityOf('UPS_BATTERY_LOW', 'fault', 'ups'), 'critical');
  assert.equal(severityOf('UPS_ON_BATTERY', 'warning', 'ups'), 'major');
  assert.equal(severityOf('FINGERPRINT_LOOSE_CABLE', 'warning', 'fingerprint'), 'major');
  assert.equal(severityOf('DISTRICT_UNREACHABLE', 'warning', 'network'), 'major');
  assert.equal(severityOf('CENTRAL_UNREACHABLE', 'fault', 'network'), 'critical');
  assert.equal(severityOf('FINGERPRINT_OK', 'ok', 'fingerprint'), 'info');
  assert.equal(severityOf('UPS_IN_USE', 'in-use', 'ups'), 'info');
  assert.equal(severityOf('USB_ENUMERATION_FAILED', 'unknown', null), 'minor');
});

test('colours: in use is green like ok everywhere; unknown is neutral; the rank orders the worst first', () => {
  assert.equal(statusTone('in-use'), 'ok');
  assert.equal(statusTone('ok'), 'ok');
  assert.equal(statusTone('warning'), 'warning');
  assert.equal(statusTone('fault'), 'fault');
  assert.equal(statusTone('unknown'), 'neutral');
  const sorted = [...STATUSES].sort((left, right) => statusRank(right) - statusRank(left));
  assert.deepEqual(sorted, ['fault', 'warning', 'unknown', 'in-use', 'ok']);
  assert.equal(worstOf([{ status: 'in-use' as Status }, { status: 'unknown' as Status }]).status, 'unknown');
  assert.ok(ROLES.every((role) => blocks(role) !== undefined));
});

test('the heartbeat carries the answers as optional fields: an older station still validates', () => {
  const older = {
    roleStatus: { fingerprint: 'ok' },
    canRecord: true,
    canPrint: false,
    appVersion: '0.1.0',
    queueDepth: 0,
    lastCheckAt: null,
  };
  assert.ok(HeartbeatPayloadSchema.safeParse(older).success);
  assert.ok(
    HeartbeatPayloadSchema.safeParse({ ...older, recording: 'yes', printing: 'not-checked' }).success,
  );
  assert.equal(HeartbeatPayloadSchema.safeParse({ ...older, printing: 'maybe' }).success, false);
});
