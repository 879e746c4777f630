// The UsbSource contract (native/usb/types.ts), written once and run against every implementation:
// the real adapter on a fake sysfs tree and the simulator's virtual kit
// (tests/integration/native/usb-contract.test.ts). A subject brings its own peer to the states the
// suite asks for, so the suite sees only what a caller of the interface sees.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { UsbDeviceInfo, UsbSource } from '../../../native/usb/types';

export interface UsbContractSubject {
  source: UsbSource;
  /** Plugs a kit of several devices: at least one with a serial number and one without. */
  plugKit(): Promise<void>;
  /** Unplugs one device of the kit. */
  unplugOne(): Promise<void>;
  /** Plugs the unplugged device back where it was. */
  replug(): Promise<void>;
  dispose(): Promise<void>;
}

const hex4 = (value: number) => value.toString(16).padStart(4, '0');

/** Every promise UsbDeviceInfo makes, as assertion messages; [] for a well-formed device. */
export function usbDeviceProblems(device: UsbDeviceInfo): string[] {
  const problems: string[] = [];
  const byte = (name: keyof UsbDeviceInfo, max: number) => {
    const value = device[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
      problems.push(`${name}=${String(value)}`);
    }
  };
  byte('vendorId', 0xffff);
  byte('productId', 0xffff);
  byte('deviceClass', 0xff);
  byte('deviceSubclass', 0xff);
  byte('deviceProtocol', 0xff);
  const ids = `usb:${hex4(device.vendorId)}:${hex4(device.productId)}`;
  // The key: ids as lowercase hex, then the serial number or the location as bus-port.port.
  const expectedKey =
    device.serialNumber !== undefined
      ? `${ids}:${device.serialNumber}`
      : `${ids}@${device.bus ?? '?'}${device.ports ? `-${device.ports.join('.')}` : ''}`;
  if (device.key !== expectedKey) {
    problems.push(`key ${device.key}, expected ${expectedKey}`);
  }
  for (const name of ['manufacturer', 'product', 'serialNumber'] as const) {
    const value = device[name];
    // eslint-disable-next-line no-control-regex -- control characters are what must not get through
    if (value !== undefined && (value.length === 0 || value.length > 126 || /[\u0000-\u001f]/.test(value))) {
      problems.push(`${name}=${JSON.stringify(value)}`);
    }
  }
  if (
    device.ports !== undefined &&
    !device.ports.every((port) => Number.isInteger(port) && port >= 1 && port <= 255)
  ) {
    problems.push(`ports=${JSON.stringify(device.ports)}`);
  }
  for (const name of ['usbVersion', 'deviceVersion'] as const) {
    const value = device[name];
    if (value !== undefined && !/^\d{1,2}\.[0-9a-f]{2}$/.test(value)) {
      problems.push(`${name}=${value}`);
    }
  }
  const classes = device.interfaceClasses;
  if (
    classes !== undefined &&
    (classes.length === 0 || classes.some((value, index) => index > 0 && value <= classes[index - 1]!))
  ) {
    problems.push(`interfaceClasses=${JSON.stringify(classes)} (non-empty, ascending, unique)`);
  }
  return problems;
}

export function usbContract(name: string, factory: () => Promise<UsbContractSubject>): void {
  describe(`UsbSource contract: ${name}`, () => {
    let subject: UsbContractSubject;
    before(async () => {
      subject = await factory();
      await subject.plugKit();
    });
    after(async () => {
      await subject?.dispose();
    });

    test('lists the kit: well-formed devices, unique keys in key order, no error', async () => {
      const devices = await subject.source.list();
      assert.equal(subject.source.lastError, undefined);
      assert.ok(devices.length >= 2, `a kit, got ${devices.length} devices`);
      for (const device of devices) {
        assert.deepEqual(usbDeviceProblems(device), [], JSON.stringify(device));
      }
      const keys = devices.map((device) => device.key);
      assert.equal(new Set(keys).size, keys.length, 'keys are unique');
      assert.deepEqual(keys, [...keys].sort(), 'in key order');
      assert.ok(
        devices.some((device) => device.serialNumber !== undefined),
        'one keyed by serial number',
      );
      assert.ok(
        devices.some((device) => device.serialNumber === undefined),
        'one keyed by location',
      );
    });

    test('two enumerations without a change agree, and a caller cannot change the next one', async () => {
      const first = await subject.source.list();
      const snapshot = structuredClone(first);
      first[0]!.key = 'changed by the caller';
      first.pop();
      assert.deepEqual(await subject.source.list(), snapshot);
    });

    test('an unplugged device leaves the list, the others stay as they were; it comes back the same', async () => {
      const before = await subject.source.list();
      await subject.unplugOne();
      const unplugged = await subject.source.list();
      assert.equal(unplugged.length, before.length - 1);
      const byKey = new Map(before.map((device) => [device.key, device]));
      for (const device of unplugged) {
        assert.deepEqual(device, byKey.get(device.key), `${device.key} unchanged`);
      }
      await subject.replug();
      assert.deepEqual(await subject.source.list(), before);
    });
  });
}
