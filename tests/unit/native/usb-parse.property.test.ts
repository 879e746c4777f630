// toUsbDeviceInfo over random device objects shaped like the library's (including getters that
// throw, as the real ones do when they fall back to opening a device), and createUsbSource with
// a library that rejects or returns nonsense.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { createUsbSource, toUsbDeviceInfo } from '../../../native/usb/usb-source';
import type { UsbDeviceInfo } from '../../../native/usb/types';
import { awkwardCharacter } from '../../helpers/awkward-text';

const anyValue = fc.oneof(
  fc.integer(),
  fc.integer({ min: 0, max: 0xffff }),
  fc.double(),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer({ min: -2, max: 300 }), { maxLength: 9 }),
  fc.object({ maxDepth: 1 }),
);

const fields = [
  'vendorId',
  'productId',
  'deviceClass',
  'deviceSubclass',
  'deviceProtocol',
  'bus',
  'address',
  'ports',
  'usbVersionMajor',
  'usbVersionMinor',
  'usbVersionSubminor',
  'deviceVersionMajor',
  'deviceVersionMinor',
  'deviceVersionSubminor',
  'manufacturerName',
  'productName',
  'serialNumber',
] as const;

/** One field: a plausible value, a random one, or a getter that throws like the library's. */
const fieldValue = (plausible: fc.Arbitrary<unknown>, plausibleWeight: number) =>
  fc.oneof(
    { weight: plausibleWeight, arbitrary: plausible.map((value) => ({ value })) },
    { weight: 2, arbitrary: anyValue.map((value) => ({ value })) },
    { weight: 1, arbitrary: fc.constant({ throws: true }) },
    { weight: 1, arbitrary: fc.constant({}) },
  );

const awkward = awkwardCharacter(['é', '\ud83d\ude00', '\ud800', '\udc00', ':', '@']);

const plausibleValues: Record<(typeof fields)[number], fc.Arbitrary<unknown>> = {
  vendorId: fc.integer({ min: 0, max: 0xffff }),
  productId: fc.integer({ min: 0, max: 0xffff }),
  deviceClass: fc.integer({ min: 0, max: 0xff }),
  deviceSubclass: fc.integer({ min: 0, max: 0xff }),
  deviceProtocol: fc.integer({ min: 0, max: 0xff }),
  bus: fc.integer({ min: 1, max: 20 }).map((bus) => String(bus).padStart(3, '0')),
  address: fc.integer({ min: 1, max: 127 }),
  ports: fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 5 }),
  usbVersionMajor: fc.integer({ min: 1, max: 3 }),
  usbVersionMinor: fc.integer({ min: 0, max: 15 }),
  usbVersionSubminor: fc.integer({ min: 0, max: 15 }),
  deviceVersionMajor: fc.integer({ min: 0, max: 99 }),
  deviceVersionMinor: fc.integer({ min: 0, max: 15 }),
  deviceVersionSubminor: fc.integer({ min: 0, max: 15 }),
  manufacturerName: fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.string({ unit: awkward, maxLength: 200 }),
  ),
  productName: fc.string({ unit: 'binary', maxLength: 200 }),
  serialNumber: fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.string({ unit: awkward, maxLength: 20 }),
    fc.string({ unit: awkward, minLength: 120, maxLength: 400 }),
    fc.constant(null),
  ),
};

const rawDevice = fc.record(
  // Identity fields are mostly plausible so that about half the devices get through to the other checks.
  Object.fromEntries(
    fields.map((field, index) => [field, fieldValue(plausibleValues[field], index < 5 ? 40 : 4)]),
  ) as Record<(typeof fields)[number], fc.Arbitrary<{ value?: unknown; throws?: boolean }>>,
);

function buildRaw(spec: Record<string, { value?: unknown; throws?: boolean }>): object {
  const raw = {};
  for (const [field, { value, throws }] of Object.entries(spec)) {
    if (throws) {
      Object.defineProperty(raw, field, {
        get() {
          throw new Error('open error: device not found (errno 2)');
        },
        enumerable: true,
      });
    } else if ('value' in spec[field]!) {
      Object.defineProperty(raw, field, { value, enumerable: true });
    }
  }
  return raw;
}

const isByte = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xff;
const isWord = (value: unknown) =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 0xffff;

function assertValid(info: UsbDeviceInfo): void {
  assert.ok(isWord(info.vendorId) && isWord(info.productId));
  assert.ok(isByte(info.deviceClass) && isByte(info.deviceSubclass) && isByte(info.deviceProtocol));
  for (const text of [info.manufacturer, info.product, info.serialNumber]) {
    if (text !== undefined) {
      assert.ok(text.length > 0 && text.length <= 100, `length ${text.length}`);
      // eslint-disable-next-line no-control-regex -- control characters are what must not get through
      assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f]/);
      assert.equal(text, text.trim());
      assert.doesNotMatch(
        text,
        /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
        'no lone surrogates',
      );
    }
  }
  const hex = `${info.vendorId.toString(16).padStart(4, '0')}:${info.productId.toString(16).padStart(4, '0')}`;
  if (info.serialNumber !== undefined) {
    assert.equal(info.key, `usb:${hex}:${info.serialNumber}`);
  } else {
    assert.match(info.key, new RegExp(`^usb:${hex}@(\\d+|\\?)(-\\d+(\\.\\d+)*)?$`));
  }
  if (info.ports !== undefined) {
    assert.ok(info.ports.length > 0 && info.ports.every((port) => port >= 1 && port <= 255));
  }
  for (const version of [info.usbVersion, info.deviceVersion]) {
    if (version !== undefined) {
      assert.match(version, /^\d{1,2}\.[0-9a-f]{2}$/);
    }
  }
}

test('toUsbDeviceInfo: 10,000 random device objects give a valid device or undefined, never a throw', () => {
  let listed = 0;
  let skipped = 0;
  fc.assert(
    fc.property(rawDevice, (spec) => {
      const raw = buildRaw(spec);
      const info = toUsbDeviceInfo(raw);
      const identityValid =
        (['vendorId', 'productId'] as const).every(
          (field) => !spec[field].throws && isWord(spec[field].value),
        ) &&
        (['deviceClass', 'deviceSubclass', 'deviceProtocol'] as const).every(
          (field) => !spec[field].throws && isByte(spec[field].value),
        );
      assert.equal(info !== undefined, identityValid, 'listed exactly when the identity fields are valid');
      if (info) {
        listed += 1;
        assertValid(info);
        assert.equal(info.vendorId, spec.vendorId.value);
      } else {
        skipped += 1;
      }
    }),
    { numRuns: 10_000 },
  );
  assert.ok(listed > 1000 && skipped > 1000, `listed ${listed}, skipped ${skipped}`);
});

test('toUsbDeviceInfo: anything that is not an object is skipped', () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.constant(undefined), fc.boolean()),
      (raw) => {
        assert.equal(toUsbDeviceInfo(raw), undefined);
      },
    ),
    { numRuns: 10_000 },
  );
});

test('toUsbDeviceInfo: the library shape maps to the contract; a missing string is not read', () => {
  const asked: string[] = [];
  const raw = {
    vendorId: 0x09b0,
    productId: 0x2400,
    deviceClass: 0,
    deviceSubclass: 0,
    deviceProtocol: 0,
    bus: '001',
    address: 7,
    ports: [1, 4],
    usbVersionMajor: 2,
    usbVersionMinor: 1,
    usbVersionSubminor: 0,
    deviceVersionMajor: 6,
    deviceVersionMinor: 0,
    deviceVersionSubminor: 6,
    manufacturerName: '  FARGO\n',
    productName: 'HDP5000',
    get serialNumber(): string {
      throw new Error('would open the device');
    },
  };
  const info = toUsbDeviceInfo(raw, {
    stringAvailable: (location, attribute) => {
      asked.push(`${location.bus}-${location.ports?.join('.')}:${attribute}`);
      return attribute !== 'serial';
    },
  });
  assert.deepEqual(info, {
    key: 'usb:09b0:2400@1-1.4',
    vendorId: 0x09b0,
    productId: 0x2400,
    deviceClass: 0,
    deviceSubclass: 0,
    deviceProtocol: 0,
    manufacturer: 'FARGO',
    product: 'HDP5000',
    bus: 1,
    address: 7,
    ports: [1, 4],
    usbVersion: '2.10',
    deviceVersion: '6.06',
  });
  assert.deepEqual(asked, ['1-1.4:manufacturer', '1-1.4:product', '1-1.4:serial']);
});

test('createUsbSource: a rejecting or broken library gives [] and lastError; the next good list clears it', async () => {
  // The same model and serial on two ports: both listed, told apart by port.
  const twin = (port: number) => ({
    vendorId: 1,
    productId: 2,
    deviceClass: 0,
    deviceSubclass: 0,
    deviceProtocol: 0,
    serialNumber: 'X',
    bus: '001',
    ports: [port],
  });
  let mode: 'reject' | 'nonsense' | 'good' = 'reject';
  const source = createUsbSource({
    sysfsRoot: null,
    getDevices: async () => {
      if (mode === 'reject') {
        throw new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)');
      }
      if (mode === 'nonsense') {
        return { not: 'a list' };
      }
      return [twin(1), twin(2), { vendorId: 'bad' }, null];
    },
  });
  assert.deepEqual(await source.list(), []);
  assert.match(source.lastError ?? '', /USB enumeration failed: getDevices error/);
  mode = 'nonsense';
  assert.deepEqual(await source.list(), []);
  assert.match(source.lastError ?? '', /no device list/);
  mode = 'good';
  const devices = await source.list();
  assert.equal(source.lastError, undefined);
  assert.equal(source.lastSkipped, 2);
  assert.deepEqual(
    devices.map((device) => device.key),
    ['usb:0001:0002:X@1-1', 'usb:0001:0002:X@1-2'],
    'two devices sharing a serial number get their location appended',
  );
});
