// One UsbSource contract (tests/helpers/contracts/usb.ts) for the real adapter on a fake sysfs tree
// and for the simulator's virtual kit, so `--simulate` cannot drift from a real station. Needs root
// and unshare for the fake sysfs (tests/helpers/fake-sysfs.ts): without them these tests FAIL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UsbDeviceInfo } from '../../../native/usb/types';
import { createSimulatedStation } from '../../../electron/agent/simulate';
import { usbContract } from '../../helpers/contracts/usb';
import { FakeSysfs } from '../../helpers/fake-sysfs';
import type { FakeUsbDevice } from '../../helpers/fake-sysfs';
import { STATION_KIT } from '../../helpers/usb-fixtures';
import { startRemoteUsbSource } from '../../helpers/usb-remote';

usbContract('real adapter on a fake sysfs tree', async () => {
  const tree = new FakeSysfs();
  const source = startRemoteUsbSource(tree.root);
  const fingerprint = STATION_KIT[1]!.device;
  return {
    source,
    plugKit: async () => {
      for (const { device } of STATION_KIT) {
        tree.add(device);
      }
    },
    unplugOne: async () => tree.remove(fingerprint.bus, fingerprint.ports),
    replug: async () => void tree.add(fingerprint),
    dispose: async () => {
      await source.close();
      tree.dispose();
    },
  };
});

usbContract('simulator', async () => {
  const station = createSimulatedStation('healthy');
  return {
    source: station.adapters.usb,
    plugKit: async () => station.set('healthy'),
    unplugOne: async () => station.set('fingerprint-missing'),
    replug: async () => station.set('healthy'),
    dispose: async () => undefined,
  };
});

/** The sysfs files a device with these descriptor fields would have. */
function asSysfsDevice(device: UsbDeviceInfo): FakeUsbDevice {
  assert.ok(device.bus !== undefined && device.ports !== undefined, `${device.key} has a location`);
  return {
    bus: device.bus,
    ports: device.ports,
    vendorId: device.vendorId,
    productId: device.productId,
    deviceClass: device.deviceClass,
    deviceSubclass: device.deviceSubclass,
    deviceProtocol: device.deviceProtocol,
    ...(device.usbVersion !== undefined ? { usbVersion: device.usbVersion } : {}),
    ...(device.manufacturer !== undefined ? { manufacturer: device.manufacturer } : {}),
    ...(device.product !== undefined ? { product: device.product } : {}),
    ...(device.serialNumber !== undefined ? { serial: device.serialNumber } : {}),
  };
}

test('the simulated kit, written to a fake sysfs tree, enumerates through the real adapter as the simulator lists it', async () => {
  for (const scenario of ['healthy', 'unknown-device']) {
    const simulated = await createSimulatedStation(scenario).adapters.usb.list();
    const tree = new FakeSysfs();
    const source = startRemoteUsbSource(tree.root);
    try {
      for (const device of simulated) {
        tree.add(asSysfsDevice(device));
      }
      const real = await source.list();
      assert.deepEqual(
        real.map((device) => device.key),
        simulated.map((device) => device.key),
        `${scenario}: same keys in the same order`,
      );
      for (const [index, device] of simulated.entries()) {
        // The simulator may leave out optional fields (address, bcdDevice); what it gives must match.
        const fields = Object.keys(device) as (keyof UsbDeviceInfo)[];
        const matching = Object.fromEntries(fields.map((field) => [field, real[index]![field]]));
        assert.deepEqual(matching, device, `${scenario}: ${device.key}`);
      }
    } finally {
      await source.close();
      tree.dispose();
    }
  }
});
