// Odd devices a real kit produces, on a fake sysfs tree read by the real usb library, through the
// `siaga` command as a technician runs it: a gadget with 4 KB descriptor strings next to the kit,
// a profile whose serial number was copied with a space, two scanners of the same model, a serial
// with a control character, a hub. Needs root and unshare (tests fail without).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Verdict } from '../../../protocol/verdict';
import { type FakeSysfs, runInFakeSysfs, useFakeSysfsFiles } from '../../helpers/fake-sysfs';
import { STATION_KIT, type KitDevice } from '../../helpers/usb-fixtures';

const CLI = 'electron/cli.ts';
const [, FINGERPRINT] = STATION_KIT as [KitDevice, KitDevice];
const HUB = STATION_KIT.find((kit) => kit.device.deviceClass === 0x09)!;
const FOUR_KB = 'X'.repeat(4096);

const { folder, tree } = useFakeSysfsFiles('usb-odd');

function fingerprintProfile(directory: string, serialNumber: string): string {
  const file = path.join(directory, 'profile.json');
  writeFileSync(
    file,
    JSON.stringify({ version: 1, roles: { fingerprint: { usb: { vendorId: '080b', productId: '0010', serialNumber } } } }),
  );
  return file;
}

async function check(root: FakeSysfs, profile: string): Promise<{ code: number | null; verdicts: Verdict[] }> {
  const result = await runInFakeSysfs(CLI, {
    root: root.root,
    args: ['check', '--profile', profile, '--json', '--passive'],
    env: { SIAGA_DATA_DIR: folder() },
    timeoutMs: 60_000,
  });
  assert.ok(result.code === 0 || result.code === 1, `siaga check failed (${result.code}):\n${result.stderr.slice(-3000)}`);
  const report = JSON.parse(result.stdout) as { verdicts: Verdict[] };
  return { code: result.code, verdicts: report.verdicts };
}

const byCode = (verdicts: Verdict[], code: string) => verdicts.find((verdict) => verdict.code === code);

test('siaga agent: a gadget with 4 KB descriptor strings does not stop the checks; the missing scanner still opens its fault', async () => {
  const sysfs = tree();
  sysfs.add({
    bus: 1,
    ports: [5],
    address: 9,
    vendorId: 0x1234,
    productId: 0x5678,
    manufacturer: FOUR_KB,
    product: `Gadget ${FOUR_KB}`,
    serial: FOUR_KB,
  });
  const dataDir = folder();
  const profile = fingerprintProfile(dataDir, FINGERPRINT.device.serial!);
  const config = path.join(dataDir, 'agent-config.json');
  writeFileSync(config, JSON.stringify({ schedule: { passiveIntervalMs: 300, confirmDelayMs: 100 } }));
  let child: ChildProcess | undefined;
  const finished = runInFakeSysfs(CLI, {
    root: sysfs.root,
    args: ['agent', '--data-dir', dataDir, '--profile', profile, '--config', config, '--verbose'],
    timeoutMs: 60_000,
    onSpawn: (spawned) => {
      child = spawned;
    },
  });
  let faults: { code: string; payload: { status: string; severity: string } }[] = [];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    await delay(500);
    const listed = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'faults', '--json'], {
      env: { ...process.env, SIAGA_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    // Exit code 1: something is at fault.
    if ((listed.status === 0 || listed.status === 1) && listed.stdout.trim().startsWith('{')) {
      faults = (JSON.parse(listed.stdout) as { faults: typeof faults }).faults;
      if (faults.some((fault) => fault.code === 'FINGERPRINT_MISSING')) {
        break;
      }
    }
  }
  child?.kill('SIGTERM');
  const result = await finished;
  assert.equal(result.code, 0, result.stderr.slice(-3000));
  assert.doesNotMatch(result.stderr, /check failed/, 'every check finished');
  const missing = faults.find((fault) => fault.code === 'FINGERPRINT_MISSING');
  assert.ok(missing, `FINGERPRINT_MISSING opened: ${JSON.stringify(faults)}\n${result.stderr.slice(-2000)}`);
  assert.equal(missing.payload.status, 'fault');
  assert.equal(missing.payload.severity, 'critical');
  assert.match(result.stderr, /committed inventory\.reported/, 'the inventory, gadget included, is queued for the district');
});

test('siaga check: a profile serial copied with a trailing space still names the baseline unit (no "unit replaced")', async () => {
  const sysfs = tree();
  sysfs.add({ ...FINGERPRINT.device, address: 3 });
  const { code, verdicts } = await check(sysfs, fingerprintProfile(folder(), `${FINGERPRINT.device.serial!} `));
  const fingerprint = verdicts.find((verdict) => verdict.role === 'fingerprint');
  assert.equal(fingerprint?.code, 'FINGERPRINT_OK', JSON.stringify(fingerprint));
  assert.equal(fingerprint?.status, 'ok');
  assert.match(fingerprint.nextStep.en, /Nothing to do/);
  assert.equal(code, 0);
});

test('siaga check: two scanners of the same model, a serial with a control character, a hub: the baseline unit is OK, the spare shown, no alarm', async () => {
  const sysfs = tree();
  // The baseline scanner reports its serial with a stray control character (firmware quirk).
  sysfs.add({ ...FINGERPRINT.device, address: 3, serial: `GRD-\u00010042` });
  sysfs.add({ ...FINGERPRINT.device, ports: [6], address: 7, serial: 'GRD-0099' });
  sysfs.add({ ...HUB.device, address: 4 });
  const { code, verdicts } = await check(sysfs, fingerprintProfile(folder(), 'GRD-0042'));
  const fingerprint = verdicts.find((verdict) => verdict.role === 'fingerprint');
  assert.equal(fingerprint?.code, 'FINGERPRINT_OK', JSON.stringify(fingerprint));
  assert.equal(fingerprint?.device?.serialNumber, 'GRD-0042');
  const spare = byCode(verdicts, 'USB_DEVICE_UNEXPECTED');
  assert.equal(spare?.status, 'ok');
  assert.equal(spare?.device?.serialNumber, 'GRD-0099');
  assert.equal(
    verdicts.some((verdict) => verdict.measurements.usbId === '05e3:0608'),
    false,
    'a hub is plumbing, not listed',
  );
  assert.equal(code, 0);
});
