// The `siaga` command on a fake sysfs tree (the real usb library in a private mount namespace):
// a spare scanner swapped in, a loose cable seen only by re-enumeration, a bus reset, and the
// device inventory reaching a real district over HTTP. Needs root and unshare (tests fail without).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import Database from 'better-sqlite3';
import type { Verdict } from '../../../protocol/verdict';
import { STORE_FILE } from '../../../electron/agent/store/store';
import { listDevices } from '../../../district/server/inventory/devices';
import {
  type FakeSysfs,
  runInFakeSysfs,
  useFakeSysfsFiles,
  type ChildResult,
} from '../../helpers/fake-sysfs';
import { STATION_KIT, type KitDevice } from '../../helpers/usb-fixtures';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';

const CLI = 'electron/cli.ts';
const [PRINTER, FINGERPRINT] = STATION_KIT as [KitDevice, KitDevice];
const SPARE_SERIAL = 'GRD-0099';

const { folder, tree: newTree } = useFakeSysfsFiles('usb-cli');

/** A tree with the card printer and the fingerprint scanner (serial `serial`, devnum `address`). */
function kitTree(fingerprint: Partial<KitDevice['device']> = {}): FakeSysfs {
  const tree = newTree();
  tree.add({ ...PRINTER.device, address: 2 });
  tree.add({ ...FINGERPRINT.device, address: 3, ...fingerprint });
  return tree;
}

/** The profile adopted on the kit: both devices by VID:PID and serial number. */
function writeProfile(directory: string): string {
  const file = path.join(directory, 'profile.json');
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      roles: {
        fingerprint: {
          usb: { vendorId: '080b', productId: '0010', serialNumber: FINGERPRINT.device.serial },
        },
        'card-printer': { usb: { vendorId: '09b0', productId: '2400', serialNumber: PRINTER.device.serial } },
      },
    }),
  );
  return file;
}

async function check(tree: FakeSysfs, profile: string, dataDir: string) {
  const result = await runInFakeSysfs(CLI, {
    root: tree.root,
    args: ['check', '--json', '--profile', profile, '--data-dir', dataDir],
    timeoutMs: 60_000,
  });
  assert.ok(result.stdout.trim().startsWith('{'), `siaga check printed no JSON:\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as { verdicts: Verdict[]; canRecord: boolean };
  const verdict = (role: string) => report.verdicts.find((candidate) => candidate.role === role)!;
  return { code: result.code, report, fingerprint: verdict('fingerprint') };
}

test('siaga check: a spare scanner of the same model records with a warning; another model is missing', async () => {
  const dataDir = folder();
  const profile = writeProfile(dataDir);

  const same = await check(kitTree(), profile, dataDir);
  assert.equal(same.code, 0);
  assert.equal(same.fingerprint.code, 'FINGERPRINT_OK', 'the baseline unit: no false alarm');

  const spare = await check(kitTree({ serial: SPARE_SERIAL }), profile, dataDir);
  assert.equal(spare.code, 0, 'a warning is not a fault');
  assert.equal(spare.fingerprint.status, 'warning');
  assert.equal(spare.fingerprint.code, 'FINGERPRINT_UNIT_REPLACED');
  assert.equal(spare.fingerprint.device?.serialNumber, SPARE_SERIAL);
  assert.equal(spare.fingerprint.measurements.serialNumber, SPARE_SERIAL);
  assert.equal(spare.fingerprint.measurements.baselineSerialNumber, 'GRD-0042');
  assert.equal(spare.report.canRecord, true, 'swapping in a spare never stops recording');
  assert.match(spare.fingerprint.message.id, /unit lain .*GRD-0099.*GRD-0042/);
  assert.match(spare.fingerprint.nextStep.id, /teknisi menjadikan perangkat sekarang sebagai acuan/);
  assert.match(spare.fingerprint.nextStep.en, /makes the current devices the baseline/);
  assert.equal(
    spare.report.verdicts.filter((verdict) => verdict.role === null).length,
    0,
    'the spare is the role device, not also an unexpected one',
  );

  const otherModel = await check(kitTree({ productId: 0x0020, serial: SPARE_SERIAL }), profile, dataDir);
  assert.equal(otherModel.code, 1);
  assert.equal(otherModel.fingerprint.status, 'fault');
  assert.equal(otherModel.fingerprint.code, 'FINGERPRINT_MISSING', 'another model is no stand-in');
  assert.equal(otherModel.report.canRecord, false);
  const unexpected = otherModel.report.verdicts.find((verdict) => verdict.code === 'USB_DEVICE_UNEXPECTED');
  assert.equal(
    unexpected?.message.en,
    'Cross Match fingerprint scanner is attached but not in the station profile.',
    'the vendor is named once',
  );
});

interface RunningAgent {
  stop(): Promise<ChildResult>;
}

/** `siaga agent` inside the namespace of `tree`; stop() sends SIGTERM and waits for a clean exit. */
function startAgent(
  tree: FakeSysfs,
  dataDir: string,
  profile: string,
  schedule: Record<string, number>,
): RunningAgent {
  const config = path.join(dataDir, 'agent-config.json');
  writeFileSync(config, JSON.stringify({ schedule }));
  let child: ChildProcess | undefined;
  const finished = runInFakeSysfs(CLI, {
    root: tree.root,
    args: ['agent', '--data-dir', dataDir, '--profile', profile, '--config', config, '--verbose'],
    timeoutMs: 120_000,
    onSpawn: (spawned) => {
      child = spawned;
    },
  });
  return {
    async stop() {
      child?.kill('SIGTERM');
      const result = await finished;
      assert.equal(result.code, 0, `siaga agent did not stop cleanly:\n${result.stderr.slice(-3000)}`);
      return result;
    },
  };
}

/** The station's store, read while the agent writes it (WAL). */
function readStore<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, STORE_FILE), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function lastFingerprintCheck(dataDir: string): { code: string; reconnects: number | undefined } | undefined {
  return readStore(dataDir, (db) => {
    const row = db
      .prepare(
        `SELECT code, measurements FROM check_results WHERE role = 'fingerprint' ORDER BY id DESC LIMIT 1`,
      )
      .get() as { code: string; measurements: string } | undefined;
    return (
      row && { code: row.code, reconnects: JSON.parse(row.measurements).reconnects as number | undefined }
    );
  });
}

function openFaults(
  dataDir: string,
): { code: string; payload: { status: string; severity: string; message: { id: string } } }[] {
  return readStore(dataDir, (db) =>
    (
      db.prepare('SELECT code, payload FROM faults WHERE resolved_at IS NULL').all() as {
        code: string;
        payload: string;
      }[]
    ).map((row) => ({ code: row.code, payload: JSON.parse(row.payload) })),
  );
}

async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await probe();
    } catch {
      value = undefined; // the store is not created yet
    }
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await delay(100);
  }
}

/** The check's steps in the child, with the fingerprint's directory removed after the listing when `vanish`. */
async function checkWhileUnplugging(tree: FakeSysfs, profile: string, dataDir: string, vanish: boolean) {
  const result = await runInFakeSysfs('tests/integration/cli/usb-vanish-child.ts', {
    root: tree.root,
    args: [
      profile,
      dataDir,
      vanish ? 'vanish' : 'stay',
      `${FINGERPRINT.device.bus}-${FINGERPRINT.device.ports.join('.')}`,
    ],
    timeoutMs: 60_000,
  });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  assert.ok(last.startsWith('{'), `the child printed no JSON:\n${result.stderr}`);
  return JSON.parse(last) as {
    exitCode: number;
    verdicts: {
      role: string | null;
      status: string;
      code: string;
      severity: string;
      serialNumber: string | null;
    }[];
    recording: string;
    lastVanished: number;
  };
}

test('siaga check: a scanner unplugged between the listing and the read of its strings is a fault, exit 1', async () => {
  const dataDir = folder();
  const profile = writeProfile(dataDir);

  const steady = await checkWhileUnplugging(kitTree(), profile, dataDir, false);
  const steadyFingerprint = steady.verdicts.find((verdict) => verdict.role === 'fingerprint');
  assert.equal(steadyFingerprint?.code, 'FINGERPRINT_OK', 'no false alarm while it stays');
  assert.equal(steadyFingerprint?.serialNumber, FINGERPRINT.device.serial);
  assert.equal(steady.exitCode, 0);
  assert.equal(steady.lastVanished, 0);

  const gone = await checkWhileUnplugging(kitTree(), profile, dataDir, true);
  const fingerprint = gone.verdicts.find((verdict) => verdict.role === 'fingerprint');
  assert.equal(
    fingerprint?.status,
    'fault',
    `never unknown or a replaced unit: ${JSON.stringify(fingerprint)}`,
  );
  assert.ok(
    fingerprint.code === 'FINGERPRINT_MISSING' || fingerprint.code === 'FINGERPRINT_DISCONNECTED',
    fingerprint.code,
  );
  assert.equal(fingerprint.severity, 'critical');
  assert.equal(gone.exitCode, 1, 'siaga check exits 1 on the fault');
  assert.equal(gone.recording, 'no');
  assert.equal(gone.lastVanished, 1);
  assert.ok(
    !gone.verdicts.some((verdict) => verdict.role === null && verdict.code.startsWith('USB_DEVICE')),
    'the vanished scanner is not shown as some other device either',
  );
});

test('siaga agent: a cable replugged between scans opens the loose-cable fault; a stable bus and a bus reset do not', async () => {
  const dataDir = folder();
  const profile = writeProfile(dataDir);
  const tree = kitTree();
  // No hotplug event reaches the agent from a fake tree: only its re-enumeration sees the bus.
  const agent = startAgent(tree, dataDir, profile, {
    usbRescanIntervalMs: 100,
    passiveIntervalMs: 300,
    hotplugSettleMs: 50,
    confirmDelayMs: 200,
  });
  try {
    // Stable for a couple of seconds (about 20 re-enumerations and several checks).
    await until('the first checks', () => {
      const count = readStore(
        dataDir,
        (db) =>
          (
            db.prepare(`SELECT COUNT(*) AS n FROM check_results WHERE role = 'fingerprint'`).get() as {
              n: number;
            }
          ).n,
      );
      return count >= 4 ? count : undefined;
    });
    await delay(1500);
    assert.deepEqual(lastFingerprintCheck(dataDir), { code: 'FINGERPRINT_OK', reconnects: 0 });

    // The whole bus resets once: both devices come back under new device numbers at the same moment.
    tree.add({ ...PRINTER.device, address: 40 });
    tree.add({ ...FINGERPRINT.device, address: 41 });
    await delay(1500);
    assert.deepEqual(lastFingerprintCheck(dataDir), { code: 'FINGERPRINT_OK', reconnects: 0 });
    assert.deepEqual(openFaults(dataDir), []);

    // The scanner's cable slips ten times in 1.5 s; each time it is back before the next scan.
    for (let slip = 0; slip < 10; slip += 1) {
      tree.remove(FINGERPRINT.device.bus, FINGERPRINT.device.ports);
      tree.add({ ...FINGERPRINT.device, address: 50 + slip });
      await delay(150);
    }
    const fault = await until('the loose-cable fault', () =>
      openFaults(dataDir).find((candidate) => candidate.code === 'FINGERPRINT_LOOSE_CABLE'),
    );
    assert.equal(fault.payload.status, 'warning');
    assert.equal(fault.payload.severity, 'major');
    assert.match(fault.payload.message.id, /sering terputus-sambung \(\d+ kali\)/);
    const last = lastFingerprintCheck(dataDir)!;
    assert.ok((last.reconnects ?? 0) >= 3, `reconnects counted: ${last.reconnects}`);
    assert.equal(
      openFaults(dataDir).some((candidate) => candidate.code.startsWith('CARD_PRINTER')),
      false,
      'the neighbour whose cable held is not accused',
    );
  } finally {
    await agent.stop();
  }
});

test('siaga agent: the inventory reaches the district at start and the swap of a scanner is recorded', async () => {
  const district = await startHttpDistrict();
  const dataDir = folder();
  try {
    const stationId = await enrollStation(district, dataDir);
    const profile = writeProfile(dataDir);
    const tree = kitTree();
    const agent = startAgent(tree, dataDir, profile, {
      usbRescanIntervalMs: 100,
      hotplugSettleMs: 50,
      confirmDelayMs: 200,
    });
    try {
      const installed = async () =>
        (await listDevices(district.db, { stationId })).filter((device) => device.status === 'installed');
      const first = await until('the inventory at the district', async () => {
        const devices = await installed();
        return devices.length === 2 ? devices : undefined;
      });
      assert.deepEqual(
        first.map((device) => [device.role, device.serialNumber, device.vendor, device.model]).sort(),
        [
          ['card-printer', 'C4160001', 'Fargo (HID Global)', 'HDP5000'],
          ['fingerprint', 'GRD-0042', 'Cross Match', 'Cross Match fingerprint scanner'],
        ],
      );

      // The technician swaps in a spare scanner of the same model.
      tree.remove(FINGERPRINT.device.bus, FINGERPRINT.device.ports);
      tree.add({ ...FINGERPRINT.device, address: 9, serial: SPARE_SERIAL });
      const swapped = await until('the swap at the district', async () => {
        const devices = await installed();
        return devices.some((device) => device.serialNumber === SPARE_SERIAL) ? devices : undefined;
      });
      assert.deepEqual(
        swapped.filter((device) => device.role === 'fingerprint').map((device) => device.serialNumber),
        [SPARE_SERIAL],
        'the station has one scanner, the new one',
      );
      const all = await listDevices(district.db, { stationId });
      assert.equal(all.find((device) => device.serialNumber === 'GRD-0042')?.status, 'removed');
      // The technician is told: the warning is a fault at the district, naming both serial numbers.
      const fault = await until('the unit-replaced fault at the district', async () => {
        const [row] = await district.db.query<{ code: string; status: string; message: string }>(
          `SELECT code, status, message FROM faults WHERE station_id = $1 AND code = 'FINGERPRINT_UNIT_REPLACED'`,
          [stationId],
        );
        return row;
      });
      assert.match(JSON.stringify(fault), /GRD-0099.*GRD-0042/);
      const events = await district.events(stationId);
      assert.ok(
        events.filter((event) => event.type === 'inventory.reported').length >= 2,
        'one inventory at start, one after the swap',
      );
    } finally {
      await agent.stop();
    }
  } finally {
    await district.close();
  }
});
