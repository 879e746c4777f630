import assert from 'node:assert/strict';
import { deviceName } from '../../../protocol/device-name';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { CatalogError, loadCatalog, matchUsbDevice, parseCatalog } from '../../../electron/agent/catalog';
import type { UsbDeviceInfo } from '../../../native/usb/types';

const catalog = loadCatalog();

function usb(vendorId: number, productId: number, extra: Partial<UsbDeviceInfo> = {}): UsbDeviceInfo {
  return {
    key: `usb:${vendorId.toString(16)}:${productId.toString(16)}@1-1`,
    vendorId,
    productId,
    deviceClass: 0,
    deviceSubclass: 0,
    deviceProtocol: 0,
    ...extra,
  };
}

const matchId = (device: UsbDeviceInfo) => matchUsbDevice(device, catalog)?.id;

describe('the shipped catalog', () => {
  test('loads, and every entry names its checks', () => {
    assert.ok(catalog.entries.length >= 25);
    for (const entry of catalog.entries) {
      assert.ok(entry.checks.includes('usb-presence'), entry.id);
    }
  });

  test('the e-KTP kit models match their role', () => {
    const cases: [UsbDeviceInfo, string, string][] = [
      [usb(0x09b0, 0x2400), 'fargo-hdp5000', 'card-printer'],
      [usb(0x09b0, 0x2600), 'fargo-card-printer', 'card-printer'],
      [usb(0x080b, 0x0010), 'crossmatch-fingerprint', 'fingerprint'],
      [usb(0x1491, 0x0020), 'futronic-fingerprint', 'fingerprint'],
      [usb(0x16d1, 0x0401), 'suprema-fingerprint', 'fingerprint'],
      [usb(0x05ba, 0x000a), 'digitalpersona-fingerprint', 'fingerprint'],
      [usb(0x113f, 0x1100), 'integrated-biometrics-fingerprint', 'fingerprint'],
      [usb(0x225d, 0x0008), 'morpho-fingerprint', 'fingerprint'],
      [usb(0x079b, 0x0047), 'sagem-mso1300', 'fingerprint'],
      [usb(0x1f63, 0xf001), 'iritech-irishield', 'iris'],
      [usb(0x06a8, 0x0043), 'topaz-signature', 'signature'],
      [usb(0x056a, 0x00a2), 'wacom-signature', 'signature'],
      [usb(0x2133, 0x0001), 'signotec-signature', 'signature'],
      [usb(0x0f49, 0x0a00), 'evolis-card-printer', 'card-printer'],
      [usb(0x0a5f, 0x0050), 'zebra-card-printer', 'card-printer'],
      [usb(0x0a27, 0x0102), 'datacard-card-printer', 'card-printer'],
      [usb(0x0c1f, 0x1800), 'magicard-card-printer', 'card-printer'],
      [usb(0x0665, 0x5161), 'megatec-usb-ups', 'ups'],
      [usb(0x051d, 0x0002), 'apc-ups', 'ups'],
      [usb(0x076b, 0x3021, { interfaceClasses: [0x0b] }), 'ccid-card-reader', 'card-reader'],
      [usb(0x046d, 0x0825, { deviceClass: 0xef, interfaceClasses: [0x01, 0x0e] }), 'uvc-camera', 'camera'],
      [usb(0x03f0, 0x0517, { interfaceClasses: [0x07] }), 'usb-printer', 'document-printer'],
    ];
    for (const [device, id, role] of cases) {
      const entry = matchUsbDevice(device, catalog);
      assert.equal(entry?.id, id, `${device.key}`);
      assert.equal(entry?.role, role, `${device.key}`);
    }
  });

  test('a device-level class counts as the class of every interface', () => {
    assert.equal(matchId(usb(0x1234, 0x0001, { deviceClass: 0x0e })), 'uvc-camera');
    assert.equal(matchId(usb(0x1234, 0x0001, { deviceClass: 0x0b })), 'ccid-card-reader');
  });

  test('the most specific entry wins: vendor+product > vendor+class/pattern > vendor > class', () => {
    // A Fargo printer has printer-class interfaces too: the vendor outranks the class.
    assert.equal(matchId(usb(0x09b0, 0x2600, { interfaceClasses: [0x07] })), 'fargo-card-printer');
    assert.equal(matchId(usb(0x09b0, 0x2400, { interfaceClasses: [0x07] })), 'fargo-hdp5000');
    // A Sagem id that is not a fingerprint sensor: no vendor-only entry, so nothing.
    assert.equal(matchId(usb(0x079b, 0x004a)), undefined);
  });

  test('Canon 04a9: camera or printer by class and product string; the vendor alone is unknown', () => {
    assert.equal(matchId(usb(0x04a9, 0x3218, { product: 'Canon EOS 1100D' })), 'canon-eos');
    assert.equal(
      matchId(usb(0x04a9, 0x3218, { manufacturer: 'Canon Inc.', product: 'Canon Digital Camera' })),
      'canon-eos',
    );
    assert.equal(matchId(usb(0x04a9, 0x3299, { interfaceClasses: [0x06] })), 'canon-ptp-camera');
    assert.equal(matchId(usb(0x04a9, 0x2759, { product: 'MF3010' })), 'canon-printer-name');
    assert.equal(matchId(usb(0x04a9, 0x176d, { product: 'PIXMA G2010' })), 'canon-printer-name');
    assert.equal(
      matchId(usb(0x04a9, 0x2759, { product: 'LBP2900', interfaceClasses: [0x07] })),
      'canon-printer-class',
    );
    assert.equal(matchUsbDevice(usb(0x04a9, 0x3218, { product: 'EOS 5D' }), catalog)?.role, 'camera');
    assert.equal(
      matchUsbDevice(usb(0x04a9, 0x2759, { product: 'i-SENSYS MF4410' }), catalog)?.role,
      'document-printer',
    );
    assert.equal(matchId(usb(0x04a9, 0x1234)), undefined, 'Canon without class or product string');
    assert.equal(matchId(usb(0x04a9, 0x1234, { product: 'CanoScan LiDE 120' })), undefined);
  });

  test('unknown devices and hubs match nothing', () => {
    assert.equal(matchId(usb(0x1234, 0x5678, { product: 'Mystery Gadget' })), undefined);
    assert.equal(matchId(usb(0x05e3, 0x0608, { deviceClass: 0x09 })), undefined);
  });
});

describe('catalog validation', () => {
  const directory = mkdtempSync(join(tmpdir(), 'siaga-catalog-'));
  after(() => rmSync(directory, { recursive: true, force: true }));

  const entry = {
    id: 'x',
    role: 'fingerprint',
    vendor: 'V',
    model: 'M',
    match: { vendorId: '1491' },
    checks: ['usb-presence'],
  };
  const expectError = (value: unknown, field: string, message: RegExp) => {
    assert.throws(
      () => parseCatalog(value, 'test.json'),
      (error: unknown) => {
        assert.ok(error instanceof CatalogError);
        assert.equal(error.field, field);
        assert.match(error.message, message);
        assert.match(
          error.message,
          new RegExp(`^test\\.json: field "${field.replace(/\./g, '\\.') || '\\(root\\)'}"`),
        );
        return true;
      },
    );
  };

  test('a bad field is named in the error', () => {
    expectError(
      { version: 1, entries: [{ ...entry, match: { vendorId: '14g1' } }] },
      'entries.0.match.vendorId',
      /4 hex digits/,
    );
    expectError(
      { version: 1, entries: [entry, { ...entry, id: 'y', role: 'toaster' }] },
      'entries.1.role',
      /./,
    );
    expectError(
      { version: 1, entries: [{ ...entry, match: { productId: '0001' } }] },
      'entries.0.match.productId',
      /needs vendorId/,
    );
    expectError({ version: 1, entries: [{ ...entry, match: {} }] }, 'entries.0.match', /at least one/);
    expectError(
      { version: 1, entries: [{ ...entry, match: { productPattern: '(unclosed' } }] },
      'entries.0.match.productPattern',
      /regular expression/,
    );
    expectError({ version: 1, entries: [{ ...entry, checks: ['usb-presense'] }] }, 'entries.0.checks.0', /./);
    expectError({ version: 1, entries: [entry, entry] }, 'entries.1.id', /duplicate id "x"/);
    expectError({ version: 2, entries: [] }, 'version', /./);
    expectError({ version: 1, entries: [{ ...entry, colour: 'red' }] }, 'entries.0', /colour/);
  });

  test('ids and classes are parsed from hex', () => {
    const parsed = parseCatalog({
      version: 1,
      entries: [{ ...entry, match: { vendorId: '09B0', productId: '2400', interfaceClass: '0e' } }],
    });
    assert.deepEqual(parsed.entries[0]!.match, { vendorId: 0x09b0, productId: 0x2400, interfaceClass: 0x0e });
  });

  test('unreadable and non-JSON files are CatalogErrors naming the file', () => {
    const broken = join(directory, 'broken.json');
    writeFileSync(broken, '{"version": 1, "entries": [');
    assert.throws(
      () => loadCatalog(broken),
      (error: unknown) => {
        assert.ok(error instanceof CatalogError);
        assert.match(error.message, /broken\.json: not valid JSON/);
        return true;
      },
    );
    assert.throws(() => loadCatalog(join(directory, 'missing.json')), /missing\.json: cannot read/);
    const wrong = join(directory, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ version: 1, entries: [{ ...entry, vendor: '' }] }));
    assert.throws(() => loadCatalog(wrong), /wrong\.json: field "entries\.0\.vendor"/);
  });
});

test('no catalog entry, named for people, says its vendor twice', () => {
  for (const entry of loadCatalog().entries) {
    const name = deviceName(entry.vendor, entry.model)!;
    const words = name.toLowerCase().split(/\s+/);
    const doubled = words.some((word, index) => index > 0 && words[index - 1] === word);
    assert.equal(doubled, false, `${entry.id}: "${name}"`);
    assert.equal(
      name.toLowerCase().split(entry.vendor.split(/[\s(]/)[0]!.toLowerCase()).length - 1 <= 1,
      true,
      `${entry.id}: "${name}" names its vendor once`,
    );
  }
});
