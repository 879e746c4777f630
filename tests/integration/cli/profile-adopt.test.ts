// `siaga profile adopt` on the real peers: the usb library on a fake sysfs tree, serialport on
// socat ptys (a Megatec UPS simulator and a port where nothing answers), the enrolled district's
// identity.json. What the USB bus cannot show is kept or found, never dropped.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Profile } from '../../../electron/agent/profile';
import { FakeSysfs, runInFakeSysfs } from '../../helpers/fake-sysfs';
import { startPtyPair, type PtyPair } from '../../helpers/pty';
import { startUpsSimulator } from '../../helpers/serial-simulators';
import { enrollStation, startHttpDistrict, type HttpDistrict } from '../../helpers/station-district';
import { STATION_KIT, type KitDevice } from '../../helpers/usb-fixtures';

const [PRINTER, FINGERPRINT] = STATION_KIT as [KitDevice, KitDevice];
const CENTRAL = 'https://central.example/';

let district: HttpDistrict;
let upsPty: PtyPair;
let silentPty: PtyPair;
let stopUps: () => Promise<void>;
let dataDir: string;
const tree = new FakeSysfs();

before(async () => {
  district = await startHttpDistrict();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'siaga-adopt-'));
  await enrollStation(district, dataDir);
  upsPty = await startPtyPair();
  silentPty = await startPtyPair();
  const ups = await startUpsSimulator(upsPty.devicePath, 'healthy');
  stopUps = () => ups.stop();
  tree.add({ ...PRINTER.device, address: 2 });
  tree.add({ ...FINGERPRINT.device, address: 3 });
});

after(async () => {
  await stopUps();
  await Promise.all([upsPty.stop(), silentPty.stop(), district.close()]);
  tree.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

async function adopt(...args: string[]) {
  const result = await runInFakeSysfs('electron/cli.ts', {
    root: tree.root,
    args: ['profile', 'adopt', '--data-dir', dataDir, ...args],
    timeoutMs: 60_000,
  });
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

const readProfile = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Profile;

test('a first adoption finds the UPS by a Q1 query, adds the enrolled district, and creates the folder', async () => {
  const file = path.join(dataDir, 'new', 'folder', 'profile.json');
  const result = await adopt(
    '--profile',
    file,
    '--serial-port',
    silentPty.appPath,
    '--serial-port',
    upsPty.appPath,
    '--central',
    CENTRAL,
  );
  assert.equal(result.code, 0, result.stderr);
  const profile = readProfile(file);
  assert.deepEqual(profile.roles.ups?.serial, {
    path: upsPty.appPath,
    protocol: 'megatec-q1',
    baudRate: 2400,
  });
  assert.deepEqual(profile.roles.network?.endpoints, [
    { name: 'district', url: district.url },
    { name: 'central', url: CENTRAL },
  ]);
  assert.deepEqual(profile.roles.fingerprint?.usb, {
    vendorId: '080b',
    productId: '0010',
    serialNumber: FINGERPRINT.device.serial,
  });
  assert.match(result.stdout, /\+ ups: UPS Megatec Q1 /);
  assert.match(result.stdout, /\+ fingerprint: Cross Match fingerprint scanner \(080b:0010 SN GRD-0042\)/);
  assert.doesNotMatch(result.stdout, /Cross Match Cross Match|Fargo \(HID Global\) Fargo/);
});

test('a re-adoption keeps the UPS and the endpoints it cannot see, and takes a spare unit’s serial', async () => {
  const file = path.join(dataDir, 'keep.json');
  const kept = {
    version: 1,
    roles: {
      fingerprint: { usb: { vendorId: '080b', productId: '0010', serialNumber: 'GRD-0001' } },
      ups: { serial: { path: '/dev/ttyUSB7', protocol: 'megatec-q1', baudRate: 2400 } },
      network: { endpoints: [{ name: 'central', url: CENTRAL }] },
    },
  };
  writeFileSync(file, JSON.stringify(kept));
  // The profile's UPS (not attached here) is kept as it is, and no port is probed.
  const result = await adopt('--profile', file);
  assert.equal(result.code, 0, result.stderr);
  const profile = readProfile(file);
  assert.deepEqual(profile.roles.ups, kept.roles.ups);
  assert.deepEqual(profile.roles.network?.endpoints, [
    { name: 'central', url: CENTRAL },
    { name: 'district', url: district.url },
  ]);
  assert.equal(
    profile.roles.fingerprint?.usb?.serialNumber,
    FINGERPRINT.device.serial,
    'the unit attached now',
  );
  assert.equal(profile.roles['card-printer']?.usb?.serialNumber, PRINTER.device.serial);
});

test('no UPS answering is said, not guessed; a folder that cannot be made is exit 2 without a stack trace', async () => {
  const file = path.join(dataDir, 'no-ups.json');
  const quiet = await adopt('--profile', file, '--serial-port', silentPty.appPath);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(readProfile(file).roles.ups, undefined);
  assert.match(quiet.stdout, /UPS tidak ditemukan .*ttyAPP.* no UPS answered/);
  assert.match(quiet.stdout, /no central endpoint in the profile/);

  const blocker = path.join(dataDir, 'a-file');
  writeFileSync(blocker, 'not a folder');
  const blocked = await adopt('--profile', path.join(blocker, 'sub', 'profile.json'));
  assert.equal(blocked.code, 2);
  assert.match(blocked.stderr, /tidak dapat dibuat \/ cannot be created: (ENOTDIR|EEXIST)/);
  assert.doesNotMatch(blocked.stderr, /^\s+at /m, 'no stack trace');

  mkdirSync(path.join(dataDir, 'readonly-target.json'));
  const onFolder = await adopt('--profile', path.join(dataDir, 'readonly-target.json'));
  assert.equal(onFolder.code, 2, 'a profile path that is a folder');
  assert.doesNotMatch(onFolder.stderr, /^\s+at /m);
});
