// Runs inside `unshare -m` with a fake tree on /sys/bus/usb/devices (see tests/helpers/fake-sysfsTree().ts).
// argv[2] names the scenario; the last stdout line is the JSON report the parent test asserts on.
// The script never calls process.exit: it must end by itself, which proves the monitor and the
// library left no timer or listener behind.
import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { createUsbSource, loadUsbEventSource } from '../../../native/usb/usb-source';
import { UsbMonitor } from '../../../native/usb/monitor';
import type { UsbChange, UsbDeviceInfo } from '../../../native/usb/types';
import { loadCatalog, matchUsbDevice } from '../../../electron/agent/catalog';
import { awkwardCharacter } from '../../helpers/awkward-text';
import { FakeSysfs } from '../../helpers/fake-sysfs';
import { STATION_KIT } from '../../helpers/usb-fixtures';

const root = process.env.FAKE_SYSFS ?? '';
let fakeTree: FakeSysfs | undefined;
/** The tree the parent mounted; written from in here through its own path. */
function sysfsTree(): FakeSysfs {
  fakeTree ??= new FakeSysfs(root);
  return fakeTree;
}
const catalog = loadCatalog();
const source = createUsbSource();

function report(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

async function kit() {
  const devices = await source.list();
  return {
    mounted: readdirSync('/sys/bus/usb/devices').sort(),
    devices,
    matches: Object.fromEntries(
      devices.map((device) => [device.key, matchUsbDevice(device, catalog)?.id ?? null]),
    ),
    lastError: source.lastError ?? null,
    lastSkipped: source.lastSkipped,
  };
}

async function plug() {
  const monitor = new UsbMonitor(source, undefined, { intervalMs: 60_000 });
  const changes: UsbChange[] = [];
  monitor.onChange((change) => changes.push(change));
  const [fargo, crossMatch] = STATION_KIT;
  sysfsTree().add(fargo!.device);
  const baseline = await monitor.refresh();
  sysfsTree().add(crossMatch!.device);
  const afterPlug = await monitor.refresh();
  const changesAfterPlug = changes.length;
  sysfsTree().remove(crossMatch!.device.bus, crossMatch!.device.ports);
  const afterUnplug = await monitor.refresh();
  monitor.stop();
  return {
    baseline: baseline.map((device) => device.key),
    afterPlug: afterPlug.map((device) => device.key),
    afterUnplug: afterUnplug.map((device) => device.key),
    changesAfterPlug,
    changes: changes.map((change) => ({ type: change.type, key: change.device.key })),
    history: monitor.history(STATION_KIT[1]!.key) ?? null,
  };
}

async function storm() {
  let clock = 1_000_000;
  const monitor = new UsbMonitor(source, undefined, {
    intervalMs: 60_000,
    windowMs: 60_000,
    now: () => clock,
  });
  const changes: UsbChange[] = [];
  monitor.onChange((change) => changes.push(change));
  const fingerprint = STATION_KIT[1]!.device;
  sysfsTree().add(fingerprint);
  await monitor.refresh();
  for (let cycle = 0; cycle < 10; cycle += 1) {
    clock += 1000;
    sysfsTree().remove(fingerprint.bus, fingerprint.ports);
    await monitor.refresh();
    clock += 1000;
    sysfsTree().add(fingerprint);
    await monitor.refresh();
  }
  const afterStorm = monitor.history(STATION_KIT[1]!.key);
  // The cable holds again: once the window has passed, the transitions age out; the count stays.
  clock += 120_000;
  await monitor.refresh();
  const afterQuiet = monitor.history(STATION_KIT[1]!.key);
  // Overlapping refreshes are serialized: each sees a consistent snapshot and no change is doubled.
  sysfsTree().remove(fingerprint.bus, fingerprint.ports);
  const concurrent = await Promise.all([monitor.refresh(), monitor.refresh(), monitor.refresh()]);
  monitor.stop();
  return {
    afterStorm,
    afterQuiet,
    changeCount: changes.length,
    concurrentLengths: concurrent.map((list) => list.length),
    lastChange: changes.at(-1) ? { type: changes.at(-1)!.type, key: changes.at(-1)!.device.key } : null,
  };
}

/**
 * Reconnects seen only through devnum: no event, no scan that misses the device. Bus 1 holds the
 * fingerprint scanner and the card printer; bus 2 a lone webcam.
 */
async function renumber() {
  const monitor = new UsbMonitor(source, undefined, { intervalMs: 60_000 });
  const changes: UsbChange[] = [];
  monitor.onChange((change) => changes.push(change));
  const [printer, fingerprint] = STATION_KIT;
  const webcam = STATION_KIT.find((kit) => kit.key === 'usb:046d:0825:8F2A1B30')!;
  const plug = (kit: (typeof STATION_KIT)[number], address: number) => {
    sysfsTree().remove(kit.device.bus, kit.device.ports);
    sysfsTree().add({ ...kit.device, address });
  };
  plug(printer!, 10);
  plug(fingerprint!, 11);
  plug(webcam, 5);
  for (let scan = 0; scan < 50; scan += 1) {
    await monitor.refresh();
  }
  const stable = { fingerprint: monitor.history(fingerprint!.key), changes: changes.length };
  // The host controller resets bus 1: every device on it comes back under a new devnum at once.
  plug(printer!, 20);
  plug(fingerprint!, 21);
  await monitor.refresh();
  const afterBusReset = {
    fingerprint: monitor.history(fingerprint!.key),
    printer: monitor.history(printer!.key),
    busResets: monitor.busResets,
    changes: changes.length,
  };
  // The scanner's cable slips three times, each time between two scans.
  for (const address of [22, 23, 24]) {
    plug(fingerprint!, address);
    await monitor.refresh();
  }
  // The lone webcam of bus 2 renumbered once: cannot be told from a reset, counts one.
  plug(webcam, 6);
  await monitor.refresh();
  monitor.stop();
  return {
    stable,
    afterBusReset,
    afterSlips: { fingerprint: monitor.history(fingerprint!.key), printer: monitor.history(printer!.key) },
    webcam: monitor.history(webcam.key),
    lastChanges: changes.slice(-2).map((change) => ({ type: change.type, key: change.device.key })),
  };
}

/** Monitor started with the library's real event source and a short timer: plug is seen, stop() lets the process end. */
async function running() {
  const events = await loadUsbEventSource();
  const monitor = new UsbMonitor(source, events, { intervalMs: 50 });
  const seen = new Promise<UsbChange>((resolve) => {
    monitor.onChange(resolve);
  });
  monitor.start();
  await monitor.refresh();
  const started = Date.now();
  sysfsTree().add(STATION_KIT[4]!.device);
  const change = await seen;
  const latencyMs = Date.now() - started;
  monitor.stop();
  return {
    eventSource: events !== undefined,
    change: { type: change.type, key: change.device.key },
    latencyMs,
  };
}

/** Random attribute contents for a few devices, written to real files, listed by the real library. */
async function property() {
  const runs = Number(process.argv[3] ?? '500');
  const attributeNames = [
    'busnum',
    'devnum',
    'devpath',
    'idVendor',
    'idProduct',
    'bcdDevice',
    'version',
    'bDeviceClass',
    'bDeviceSubClass',
    'bDeviceProtocol',
    'bMaxPacketSize0',
    'speed',
    'manufacturer',
    'product',
    'serial',
  ] as const;
  const validHex = (digits: number) =>
    fc.integer({ min: 0, max: 16 ** digits - 1 }).map((value) => value.toString(16).padStart(digits, '0'));
  const awkward = awkwardCharacter(['é', '\ud83d\ude00', '\ud800', ':', '@', '/']);
  const contents = fc.oneof(
    { weight: 3, arbitrary: fc.constant(null) }, // keep the valid default
    { weight: 1, arbitrary: fc.constant(undefined) }, // file missing
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
    // Uniform code points almost never hit the control characters; this mix does.
    { weight: 3, arbitrary: fc.string({ unit: awkward, maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
    { weight: 2, arbitrary: validHex(4) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.integer({ min: 500, max: 5000 }))
        .map(([part, times]) => part.repeat(times)),
    },
  );
  const deviceArbitrary = fc.record({
    ports: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 3 }),
    overrides: fc.dictionary(fc.constantFrom(...attributeNames), contents, { maxKeys: 5 }),
  });
  let listed = 0;
  let skipped = 0;
  let enumerations = 0;
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(fc.array(deviceArbitrary, { minLength: 1, maxLength: 4 }), async (devices) => {
      sysfsTree().clear();
      const names = new Set<string>();
      devices.forEach((device, index) => {
        const name = sysfsTree().add({
          bus: 3,
          ports: device.ports,
          address: index + 2,
          vendorId: 0x1000 + index,
          productId: 0x2000,
          manufacturer: 'Maker',
          product: 'Thing',
          serial: `S${index}`,
        });
        names.add(name);
        for (const [attribute, value] of Object.entries(device.overrides)) {
          if (value === undefined) {
            sysfsTree().removeAttribute(name, attribute);
          } else if (value !== null) {
            sysfsTree().writeRaw(name, attribute, value);
          }
        }
      });
      const result = await source.list();
      enumerations += 1;
      if (source.lastError !== undefined) {
        throw new Error(`enumeration failed: ${source.lastError}`);
      }
      if (result.length > names.size) {
        throw new Error(`listed ${result.length} devices from ${names.size} directories`);
      }
      if (result.length + source.lastSkipped > names.size) {
        throw new Error('a device was both listed and skipped');
      }
      const keys = new Set(result.map((device) => device.key));
      if (keys.size !== result.length) {
        throw new Error('duplicate keys');
      }
      for (const device of result) {
        const errors = validateDevice(device);
        if (errors.length > 0) {
          throw new Error(`invalid device ${JSON.stringify(device)}: ${errors.join(', ')}`);
        }
        matchUsbDevice(device, catalog);
      }
      listed += result.length;
      skipped += names.size - result.length;
    }),
    { numRuns: runs, seed: Number(process.env.SIAGA_SEED ?? Date.now() % 2 ** 31) },
  );
  return { runs, enumerations, listed, skipped, elapsedMs: Date.now() - started };
}

function validateDevice(info: UsbDeviceInfo): string[] {
  const device = info as unknown as Record<string, unknown> & { key: string };
  const errors: string[] = [];
  const integer = (name: string, max: number) => {
    const value = device[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      errors.push(`${name}=${String(value)}`);
    }
  };
  integer('vendorId', 0xffff);
  integer('productId', 0xffff);
  integer('deviceClass', 0xff);
  integer('deviceSubclass', 0xff);
  integer('deviceProtocol', 0xff);
  if (!/^usb:[0-9a-f]{4}:[0-9a-f]{4}(:.+|@[0-9?]+(-[0-9.]+)?)/.test(device.key)) {
    errors.push(`key=${device.key}`);
  }
  for (const name of ['manufacturer', 'product', 'serialNumber']) {
    const value = device[name];
    if (value === undefined) {
      continue;
    }
    if (
      typeof value !== 'string' ||
      value.length === 0 ||
      value.length > 100 ||
      // eslint-disable-next-line no-control-regex -- control characters are what must not get through
      /[\u0000-\u001f]/.test(value)
    ) {
      errors.push(`${name}=${JSON.stringify(value)}`);
    }
  }
  return errors;
}

async function noUsbBus() {
  const devices = await source.list();
  return { devices, lastError: source.lastError ?? null };
}

const scenarios: Record<string, () => Promise<unknown>> = {
  kit,
  plug,
  storm,
  renumber,
  running,
  property,
  noUsbBus,
};
const scenario = scenarios[process.argv[2] ?? ''];
if (!scenario) {
  throw new Error(`unknown scenario ${process.argv[2]}`);
}
report(await scenario());
