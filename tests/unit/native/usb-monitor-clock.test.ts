// The loose-cable window is a duration: the station's wall clock jumping (NTP correcting a clock
// a day fast, a technician fixing the date) must neither keep old reconnects alive for a day (a
// loose-cable warning on a cable fixed long ago) nor drop fresh ones. In-process source: the
// logic of the monitor's window; re-enumeration itself is tested on a fake sysfs tree elsewhere.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { UsbMonitor } from '../../../native/usb/monitor';
import type { UsbDeviceInfo } from '../../../native/usb/types';
import { checkUsbRole } from '../../../electron/agent/checks/usb';
import { loadCatalog } from '../../../electron/agent/catalog';
import { parseProfile } from '../../../electron/agent/profile';

// The station's wall clock, as a preload shifting Date would make it (TESTING.md, "Clock"):
// installed before the monitor is built, moved by the tests.
const realDateNow = Date.now;
let clockOffsetMs = 0;
Date.now = () => realDateNow() + clockOffsetMs;
afterEach(() => {
  clockOffsetMs = 0;
});

const DAY_MS = 24 * 3600_000;
const catalog = loadCatalog();
const { thresholds } = parseProfile({ version: 1, roles: {} });
const spec = { usb: { vendorId: '080b', productId: '0010', serialNumber: 'GRD-0042' } };

function scanner(address: number): UsbDeviceInfo {
  return {
    key: 'usb:080b:0010:GRD-0042',
    vendorId: 0x080b,
    productId: 0x0010,
    deviceClass: 0xff,
    deviceSubclass: 0,
    deviceProtocol: 0,
    serialNumber: 'GRD-0042',
    bus: 1,
    ports: [2],
    address,
  };
}

/** A monitor that saw the scanner renumbered three times (three reconnects between scans). */
async function monitorAfterThreeReconnects(windowMs: number) {
  let address = 3;
  const monitor = new UsbMonitor({ list: async () => [scanner(address)] }, undefined, { windowMs });
  await monitor.refresh();
  for (let reconnect = 0; reconnect < 3; reconnect += 1) {
    address += 1;
    await monitor.refresh();
  }
  const verdict = () =>
    checkUsbRole('fingerprint', spec, monitor.devices(), catalog, (key) => monitor.history(key), thresholds);
  return { monitor, verdict };
}

test('clock set back a day after a loose cable: the warning ends with its window, not a day later', async () => {
  const { verdict } = await monitorAfterThreeReconnects(300);
  const before = verdict();
  assert.equal(before.status, 'warning');
  assert.equal(before.suffix, 'LOOSE_CABLE');
  clockOffsetMs = -DAY_MS;
  await delay(400);
  const after = verdict();
  assert.equal(after.status, 'ok', `the window has passed: ${JSON.stringify(after)}`);
  assert.equal(after.measurements.recentTransitions, 0);
});

test('clock set forward a day right after a loose cable: the fresh reconnects still count', async () => {
  const { verdict } = await monitorAfterThreeReconnects(10 * 60_000);
  clockOffsetMs = DAY_MS;
  const after = verdict();
  assert.equal(after.status, 'warning', JSON.stringify(after));
  assert.equal(after.suffix, 'LOOSE_CABLE');
  assert.deepEqual(after.params, { reconnects: 3 });
});
