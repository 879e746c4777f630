import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck } from '../../../electron/agent/check';
import { loadCatalog } from '../../../electron/agent/catalog';
import { createSimulatedStation, SCENARIOS } from '../../../electron/agent/simulate';
import { parseProfile } from '../../../electron/agent/profile';
import { knownCodes, describe as describeCode } from '../../../electron/agent/messages';
import type { Verdict } from '../../../protocol/verdict';
import { ROLES, VerdictSchema } from '../../../protocol/verdict';

const catalog = loadCatalog();

async function check(
  scenario: string,
  overrides: Partial<ReturnType<typeof createSimulatedStation>['profile']> = {},
) {
  const station = createSimulatedStation(scenario);
  const profile = { ...station.profile, ...overrides };
  return runCheck({ adapters: station.adapters, profile, catalog, dataDir: '/tmp', mode: 'active' });
}

type Station = ReturnType<typeof createSimulatedStation>;
const checkStation = (station: Station, profile = station.profile, mode: 'active' | 'passive' = 'active') =>
  runCheck({ adapters: station.adapters, profile, catalog, dataDir: '/tmp', mode });

const byRole = (verdicts: Verdict[], role: string) => verdicts.find((verdict) => verdict.role === role);

test('healthy kit: every expected role ok, can record and print, nothing unknown', async () => {
  const report = await check('healthy');
  for (const verdict of report.verdicts) {
    VerdictSchema.parse(verdict);
  }
  const roles = report.verdicts.filter((verdict) => verdict.role !== null).map((verdict) => verdict.role);
  assert.deepEqual(new Set(roles), new Set(ROLES.filter((role) => role !== 'card-reader')));
  for (const verdict of report.verdicts.filter((candidate) => candidate.role !== null)) {
    assert.equal(verdict.status, 'ok', `${verdict.role}: ${verdict.code}`);
  }
  assert.equal(report.canRecord, true);
  assert.equal(report.canPrint, true);
  assert.equal(byRole(report.verdicts, 'fingerprint')?.device?.serialNumber, 'G1502339');
  assert.equal(byRole(report.verdicts, 'ups')?.measurements.batteryVoltage, 2.27);
});

const expectations: Record<
  string,
  { role: string | null; status: string; code: string; canRecord?: boolean; canPrint?: boolean }
> = {
  'fingerprint-missing': {
    role: 'fingerprint',
    status: 'fault',
    code: 'FINGERPRINT_MISSING',
    canRecord: false,
  },
  'iris-missing': { role: 'iris', status: 'fault', code: 'IRIS_MISSING', canRecord: false },
  'camera-missing': { role: 'camera', status: 'fault', code: 'CAMERA_MISSING', canRecord: false },
  'signature-missing': { role: 'signature', status: 'fault', code: 'SIGNATURE_MISSING', canRecord: false },
  'loose-cable': { role: 'fingerprint', status: 'warning', code: 'FINGERPRINT_LOOSE_CABLE', canRecord: true },
  'ribbon-out': { role: 'card-printer', status: 'fault', code: 'CARD_PRINTER_RIBBON_OUT', canPrint: false },
  'ribbon-low': { role: 'card-printer', status: 'warning', code: 'CARD_PRINTER_RIBBON_LOW', canPrint: true },
  'cards-out': { role: 'card-printer', status: 'fault', code: 'CARD_PRINTER_CARDS_OUT', canPrint: false },
  'printer-cover-open': { role: 'card-printer', status: 'fault', code: 'CARD_PRINTER_COVER_OPEN' },
  'paper-jam': { role: 'document-printer', status: 'fault', code: 'DOCUMENT_PRINTER_JAM', canRecord: true },
  'ups-on-battery': { role: 'ups', status: 'warning', code: 'UPS_ON_BATTERY', canRecord: true },
  'ups-battery-low': { role: 'ups', status: 'fault', code: 'UPS_BATTERY_LOW' },
  'ups-failed': { role: 'ups', status: 'fault', code: 'UPS_FAILED' },
  'ups-silent': { role: 'ups', status: 'fault', code: 'UPS_NOT_RESPONDING' },
  'ups-garbage': { role: 'ups', status: 'warning', code: 'UPS_BAD_REPLY' },
  'ups-busy': { role: 'ups', status: 'in-use', code: 'UPS_IN_USE', canRecord: true },
  'card-printer-unreachable': {
    role: 'card-printer',
    status: 'fault',
    code: 'CARD_PRINTER_SPOOLER_UNREACHABLE',
    canPrint: false,
  },
  // The simulated card printer is a queue on the spooler: a hang there is the spooler's (README).
  'card-printer-hang': {
    role: 'card-printer',
    status: 'fault',
    code: 'CARD_PRINTER_SPOOLER_UNREACHABLE',
    canPrint: false,
  },
  'central-unreachable': { role: 'network', status: 'fault', code: 'CENTRAL_UNREACHABLE', canRecord: false },
  'district-unreachable': {
    role: 'network',
    status: 'warning',
    code: 'DISTRICT_UNREACHABLE',
    canRecord: true,
  },
  'network-slow': { role: 'network', status: 'warning', code: 'NETWORK_SLOW' },
  'disk-low': { role: 'pc', status: 'warning', code: 'PC_DISK_LOW' },
  'unknown-device': { role: null, status: 'unknown', code: 'USB_DEVICE_UNKNOWN', canRecord: true },
};

test('every scenario has an expectation here', () => {
  assert.deepEqual(
    Object.keys(SCENARIOS)
      .filter((name) => name !== 'healthy' && name !== 'kecamatan-down')
      .sort(),
    Object.keys(expectations).sort(),
  );
});

for (const [scenario, expected] of Object.entries(expectations)) {
  test(`scenario ${scenario} -> ${expected.code}`, async () => {
    const report = await check(
      scenario,
      // A device that never answers costs its whole timeout: short ones keep the test quick.
      scenario === 'ups-silent' || scenario === 'card-printer-hang'
        ? { timeouts: { ...createSimulatedStation().profile.timeouts, serialMs: 200, printerMs: 200 } }
        : {},
    );
    const verdict = report.verdicts.find((candidate) => candidate.code === expected.code);
    assert.ok(
      verdict,
      `no ${expected.code} in ${report.verdicts.map((candidate) => candidate.code).join(', ')}`,
    );
    assert.equal(verdict.role, expected.role);
    assert.equal(verdict.status, expected.status);
    assert.notEqual(verdict.message.id, verdict.code, 'has an Indonesian message');
    assert.notEqual(verdict.nextStep.en, '', 'has a next step');
    if (expected.canRecord !== undefined) {
      assert.equal(report.canRecord, expected.canRecord);
    }
    if (expected.canPrint !== undefined) {
      assert.equal(report.canPrint, expected.canPrint);
    }
  });
}

test('a hung device gets its verdict at its own timeout and does not delay the others', async () => {
  const station = createSimulatedStation('ups-silent');
  const profile = { ...station.profile, timeouts: { ...station.profile.timeouts, serialMs: 400 } };
  const ready: Record<string, number> = {};
  const started = performance.now();
  const report = await runCheck({
    adapters: station.adapters,
    profile,
    catalog,
    dataDir: '/tmp',
    mode: 'active',
    onVerdict: (verdict) => {
      ready[verdict.role!] = performance.now() - started;
    },
  });
  assert.equal(byRole(report.verdicts, 'ups')?.code, 'UPS_NOT_RESPONDING');
  assert.ok(ready.ups! >= 390 && ready.ups! < 400 + 300, `ups verdict at ${ready.ups} ms`);
  assert.ok(ready.fingerprint! < 200, `fingerprint verdict waited for the UPS: ${ready.fingerprint} ms`);
});

test('an adapter that ignores its timeout is cut off by the runner and becomes a verdict', async () => {
  const station = createSimulatedStation('healthy');
  station.adapters.printers.ipp = { getStatus: () => new Promise(() => undefined) };
  const profile = { ...station.profile, timeouts: { ...station.profile.timeouts, printerMs: 150 } };
  const started = performance.now();
  const report = await checkStation(station, profile, 'active');
  assert.ok(performance.now() - started < 1000);
  assert.equal(byRole(report.verdicts, 'card-printer')?.code, 'CARD_PRINTER_NOT_RESPONDING');
  assert.equal(byRole(report.verdicts, 'card-printer')?.status, 'fault');
});

test('an adapter that throws becomes an unknown verdict, not a crash', async () => {
  const station = createSimulatedStation('healthy');
  station.adapters.system = { snapshot: () => Promise.reject(new Error('statfs EACCES')) };
  const report = await checkStation(station);
  const pc = byRole(report.verdicts, 'pc');
  assert.equal(pc?.status, 'unknown');
  assert.equal(pc?.code, 'PC_CHECK_ERROR');
  assert.match(String(pc?.measurements.error), /EACCES/);
});

test('external vendor diagnostics run only in active mode and fail on pattern mismatch', async () => {
  const station = createSimulatedStation('healthy');
  station.adapters.commands = {
    run: async () => ({ exitCode: 0, timedOut: false, stdout: 'SENSOR DIRTY\n', stderr: '', elapsedMs: 3 }),
  };
  const profile = parseProfile({
    ...station.profile,
    roles: {
      ...station.profile.roles,
      fingerprint: {
        ...station.profile.roles.fingerprint,
        external: [{ name: 'vendor-test', command: 'fpdiag', okPattern: '^SENSOR OK' }],
      },
    },
  });
  const active = await checkStation(station, profile, 'active');
  assert.equal(byRole(active.verdicts, 'fingerprint')?.code, 'FINGERPRINT_EXTERNAL_FAILED');
  const passive = await checkStation(station, profile, 'passive');
  assert.equal(byRole(passive.verdicts, 'fingerprint')?.code, 'FINGERPRINT_OK');
});

test('every message template has both languages and both texts', () => {
  for (const code of knownCodes()) {
    const text = describeCode(code.replace('*', 'UPS'), 'ups', {});
    assert.ok(text.message.id && text.message.en && text.nextStep.id && text.nextStep.en, code);
    assert.doesNotMatch(text.message.id + text.message.en, /\{device\}/);
  }
});

test('a PC that cannot enumerate USB at all gets unknown verdicts, not a storm of MISSING faults', async () => {
  const station = createSimulatedStation('healthy');
  station.adapters.usb = {
    list: async () => [],
    lastError: 'USB enumeration failed: /sys/bus/usb/devices/ not found',
  };
  const report = await checkStation(station);
  const fingerprint = byRole(report.verdicts, 'fingerprint');
  assert.equal(fingerprint?.status, 'unknown');
  assert.equal(fingerprint?.code, 'FINGERPRINT_CHECK_ERROR');
  assert.match(String(fingerprint?.measurements.error), /not found/);
  assert.equal(report.verdicts.filter((verdict) => verdict.code.endsWith('_MISSING')).length, 0);
});

test('a USB enumeration that hangs is an error for every USB role, not a list of missing devices', async () => {
  const station = createSimulatedStation('healthy');
  station.adapters.usb = { list: () => new Promise(() => undefined) };
  const profile = { ...station.profile, timeouts: { ...station.profile.timeouts, usbMs: 150 } };
  const report = await checkStation(station, profile);
  assert.equal(byRole(report.verdicts, 'fingerprint')?.code, 'FINGERPRINT_CHECK_ERROR');
  assert.equal(report.verdicts.filter((verdict) => verdict.code.endsWith('_MISSING')).length, 0);
  const enumeration = report.verdicts.find((verdict) => verdict.code === 'USB_ENUMERATION_FAILED');
  assert.match(String(enumeration?.measurements.error), /no result in 150 ms/);
});
