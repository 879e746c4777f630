// The real `usb` library against fake sysfs trees, in a private mount namespace per child process
// (tests/helpers/fake-sysfs.ts, TESTING.md). Needs root and unshare: without them these tests FAIL.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { UsbDeviceHistory, UsbDeviceInfo } from '../../../native/usb/types';
import { expectReport, FakeSysfs, runInFakeSysfs } from '../../helpers/fake-sysfs';
import { STATION_KIT } from '../../helpers/usb-fixtures';

const CHILD = 'tests/integration/native/usb-child.ts';
/** Real enumerations of random attribute files; each costs 2-5 ms (write + list) on /dev/shm. */
// Every run writes random attribute files and enumerates them with the real library (~2.5 ms a run).
const PROPERTY_RUNS = 10_000;

const trees: FakeSysfs[] = [];
function newTree(): FakeSysfs {
  const tree = new FakeSysfs();
  trees.push(tree);
  return tree;
}
after(() => {
  for (const tree of trees) {
    tree.dispose();
  }
});

async function runChild(tree: FakeSysfs | undefined, scenario: string, ...args: string[]) {
  const result = await runInFakeSysfs(CHILD, {
    root: tree?.root,
    noUsbBus: tree === undefined,
    args: [scenario, ...args],
    timeoutMs: 240_000,
  });
  return expectReport(result);
}

/** What the child's `kit` scenario reports: the library's list, mapped, and the catalog matches. */
type KitReport = {
  devices: UsbDeviceInfo[];
  matches: Record<string, string | null>;
  lastError: string | null;
  lastSkipped: number;
};

describe('usb source on a fake sysfs tree', () => {
  test('a station kit enumerates with stable keys, descriptor fields and catalog matches', async () => {
    const tree = newTree();
    for (const { device } of STATION_KIT) {
      tree.add(device);
    }
    const report = (await runChild(tree, 'kit')) as KitReport;
    assert.equal(report.lastError, null);
    assert.equal(report.lastSkipped, 0);
    assert.deepEqual(
      report.devices.map((device) => device.key),
      STATION_KIT.map((kit) => kit.key).sort(),
    );
    for (const kit of STATION_KIT) {
      assert.equal(report.matches[kit.key], kit.catalogId, `catalog match of ${kit.key}`);
    }
    const fargo = report.devices.find((device) => device.key === 'usb:09b0:2400:C4160001')!;
    assert.deepEqual(fargo, {
      key: 'usb:09b0:2400:C4160001',
      vendorId: 0x09b0,
      productId: 0x2400,
      deviceClass: 0,
      deviceSubclass: 0,
      deviceProtocol: 0,
      manufacturer: 'FARGO',
      product: 'HDP5000 Card Printer',
      serialNumber: 'C4160001',
      bus: 1,
      address: 2,
      ports: [1],
      usbVersion: '2.00',
      deviceVersion: '1.00',
      interfaceClasses: [7],
    });
    const canon = report.devices.find((device) => device.key === 'usb:04a9:3218@1-4.1')!;
    assert.deepEqual(canon.ports, [4, 1]);
    assert.equal(canon.serialNumber, undefined, 'no serial file: no serial, and the device is not opened');
    assert.deepEqual(canon.interfaceClasses, [6]);
    const topaz = report.devices.find((device) => device.key === 'usb:06a8:0043@1-4.2')!;
    assert.equal(topaz.usbVersion, '1.10');
    const webcam = report.devices.find((device) => device.key === 'usb:046d:0825:8F2A1B30')!;
    assert.equal(webcam.deviceClass, 0xef);
    assert.deepEqual(webcam.interfaceClasses, [0x01, 0x0e]);
  });

  test('malformed attribute files never fail the enumeration', async () => {
    const tree = newTree();
    const good = { bus: 4, ports: [10], vendorId: 0x1491, productId: 0x0020, product: 'FS80', serial: 'F1' };
    tree.add(good);
    const base = (port: number) =>
      tree.add({ bus: 4, ports: [port], vendorId: 0x1234, productId: 0x0100 + port });
    tree.writeRaw(base(1), 'idVendor', 'zzzz\n');
    tree.writeRaw(base(2), 'idProduct', '');
    tree.removeAttribute(base(3), 'busnum');
    tree.writeRaw(base(4), 'product', new Uint8Array([0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x0a]));
    tree.writeRaw(base(5), 'manufacturer', `${'A'.repeat(100_000)}\n`);
    tree.writeRaw(base(6), 'serial', 'ser\u0000ial\u0007\n');
    tree.writeRaw(base(7), 'idVendor', '12345\n');
    tree.writeRaw(base(8), 'product', '\n');
    tree.writeRaw(base(9), 'bDeviceClass', '1ff\n');
    tree.writeRaw('4-11:1.0', 'bInterfaceClass', 'garbage');
    const report = (await runChild(tree, 'kit')) as KitReport;
    assert.equal(report.lastError, null);
    const byKey = new Map(report.devices.map((device) => [device.key, device]));
    assert.deepEqual([...byKey.keys()].sort(), [
      'usb:1234:0104@4-4',
      'usb:1234:0105@4-5',
      'usb:1234:0106:serial',
      'usb:1234:0108@4-8',
      'usb:1491:0020:F1',
    ]);
    assert.equal(byKey.get('usb:1234:0104@4-4')!.product, undefined, 'binary product string is dropped');
    assert.equal(byKey.get('usb:1234:0105@4-5')!.manufacturer, 'A'.repeat(100), 'huge string is bounded to what the wire carries');
    assert.equal(byKey.get('usb:1234:0108@4-8')!.product, undefined, 'empty product is absent');
    assert.equal(report.matches['usb:1491:0020:F1'], 'futronic-fingerprint');
  });

  test('without /sys/bus/usb the list is empty and the error is reported, not thrown', async () => {
    const report = (await runChild(undefined, 'noUsbBus')) as {
      devices: unknown[];
      lastError: string | null;
    };
    assert.deepEqual(report.devices, []);
    assert.match(report.lastError ?? '', /^USB enumeration failed: .*not found/);
  });

  test(`random attribute files: ${PROPERTY_RUNS} real enumerations list valid devices or skip them`, async () => {
    const tree = newTree();
    const report = (await runChild(tree, 'property', String(PROPERTY_RUNS))) as {
      enumerations: number;
      listed: number;
      skipped: number;
      elapsedMs: number;
    };
    assert.equal(report.enumerations, PROPERTY_RUNS);
    // Both outcomes must actually occur, or the generator is not exercising the parser.
    assert.ok(report.listed > PROPERTY_RUNS / 4, `listed ${report.listed}`);
    assert.ok(report.skipped > PROPERTY_RUNS / 4, `skipped ${report.skipped}`);
    console.log(`usb property: ${PROPERTY_RUNS} enumerations in ${report.elapsedMs} ms`);
  });
});

describe('usb monitor on a fake sysfs tree', () => {
  test('plug and unplug between refreshes give attached and detached changes', async () => {
    const report = (await runChild(newTree(), 'plug')) as {
      baseline: string[];
      afterPlug: string[];
      afterUnplug: string[];
      changesAfterPlug: number;
      changes: { type: string; key: string }[];
      history: UsbDeviceHistory;
    };
    const fargo = STATION_KIT[0]!.key;
    const crossMatch = STATION_KIT[1]!.key;
    assert.deepEqual(report.baseline, [fargo]);
    assert.deepEqual(report.afterPlug, [crossMatch, fargo]);
    assert.deepEqual(report.afterUnplug, [fargo]);
    assert.equal(report.changesAfterPlug, 1, 'the baseline enumeration emits nothing');
    assert.deepEqual(report.changes, [
      { type: 'attached', key: crossMatch },
      { type: 'detached', key: crossMatch },
    ]);
    assert.equal(report.history.present, false);
    assert.equal(report.history.reconnects, 0, 'a first plug then an unplug is no reconnect');
    assert.equal(report.history.recentTransitions.length, 2);
  });

  test('a re-plug storm of 10 cycles counts 10 reconnects and 20 transitions in the window', async () => {
    const report = (await runChild(newTree(), 'storm')) as {
      afterStorm: UsbDeviceHistory;
      afterQuiet: UsbDeviceHistory;
      changeCount: number;
      concurrentLengths: number[];
      lastChange: { type: string; key: string };
    };
    assert.equal(report.afterStorm.reconnects, 10);
    assert.equal(report.afterStorm.recentTransitions.length, 20);
    assert.equal(report.afterStorm.present, true);
    assert.equal(report.afterQuiet.reconnects, 10, 'the count since start stays');
    assert.deepEqual(report.afterQuiet.recentTransitions, [], 'transitions older than the window age out');
    assert.equal(
      report.changeCount,
      21,
      '20 storm changes + 1 detach, none doubled by overlapping refreshes',
    );
    assert.deepEqual(report.concurrentLengths, [0, 0, 0]);
    assert.deepEqual(report.lastChange, { type: 'detached', key: STATION_KIT[1]!.key });
  });

  test('a reconnect between two scans counts by its new devnum; a stable device and a bus reset count none', async () => {
    const report = (await runChild(newTree(), 'renumber')) as {
      stable: { fingerprint: UsbDeviceHistory; changes: number };
      afterBusReset: {
        fingerprint: UsbDeviceHistory;
        printer: UsbDeviceHistory;
        busResets: number;
        changes: number;
      };
      afterSlips: { fingerprint: UsbDeviceHistory; printer: UsbDeviceHistory };
      webcam: UsbDeviceHistory;
      lastChanges: { type: string; key: string }[];
    };
    assert.equal(report.stable.fingerprint.reconnects, 0, '50 scans of a device that stays put');
    assert.deepEqual(report.stable.fingerprint.recentTransitions, []);
    assert.equal(report.stable.changes, 0);
    assert.equal(report.afterBusReset.busResets, 1);
    assert.equal(report.afterBusReset.fingerprint.reconnects, 0, 'a whole-bus reset is not a cable');
    assert.equal(report.afterBusReset.printer.reconnects, 0);
    assert.equal(report.afterBusReset.changes, 0);
    assert.equal(report.afterSlips.fingerprint.reconnects, 3, 'three slips, never seen absent');
    assert.equal(report.afterSlips.fingerprint.recentTransitions.length, 6);
    assert.equal(report.afterSlips.fingerprint.present, true);
    assert.equal(report.afterSlips.printer.reconnects, 0, 'its neighbour on the bus kept its devnum');
    assert.equal(
      report.webcam.reconnects,
      1,
      'a lone device renumbered once counts one (below the threshold)',
    );
    assert.deepEqual(report.lastChanges, [
      { type: 'detached', key: 'usb:046d:0825:8F2A1B30' },
      { type: 'attached', key: 'usb:046d:0825:8F2A1B30' },
    ]);
  });

  test('a started monitor sees a plug by its timer and stop() leaves nothing running', async () => {
    // The child ends by itself only if stop() removed the timer and the library's event listeners.
    const report = (await runChild(newTree(), 'running')) as {
      eventSource: boolean;
      change: { type: string; key: string };
      latencyMs: number;
    };
    assert.equal(report.eventSource, true, 'the usb library loads as the event source');
    assert.deepEqual(report.change, { type: 'attached', key: STATION_KIT[4]!.key });
    assert.ok(report.latencyMs < 2000, `seen after ${report.latencyMs} ms with a 50 ms timer`);
  });
});
