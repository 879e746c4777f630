// Device names as people read them: the vendor said once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deviceName } from '../../../protocol/device-name';

test('a model that names its brand is not prefixed with the vendor again', () => {
  assert.equal(deviceName('Futronic', 'Futronic fingerprint scanner'), 'Futronic fingerprint scanner');
  assert.equal(deviceName('Topaz', 'Topaz signature pad'), 'Topaz signature pad');
  assert.equal(deviceName('Canon Inc.', 'Canon EOS 1100D'), 'Canon EOS 1100D');
  assert.equal(deviceName('Fargo (HID Global)', 'Fargo card printer'), 'Fargo card printer');
  assert.equal(
    deviceName('Megatec-protocol UPS', 'UPS (Cypress USB-serial bridge)'),
    'Megatec-protocol UPS (Cypress USB-serial bridge)',
  );
  assert.equal(deviceName('Smart card reader', 'CCID card reader'), 'CCID card reader');
});

test('a model that does not name its brand keeps the vendor; missing parts are left out', () => {
  assert.equal(deviceName('Fargo (HID Global)', 'HDP5000'), 'Fargo (HID Global) HDP5000');
  assert.equal(deviceName('Sagem Morpho', 'MSO1300'), 'Sagem Morpho MSO1300');
  assert.equal(
    deviceName('Topaz Systems Inc.', 'SignatureGem 1X5-HID'),
    'Topaz Systems Inc. SignatureGem 1X5-HID',
  );
  assert.equal(
    deviceName('Canon', 'Canonical box'),
    'Canon Canonical box',
    'a brand inside another word does not count',
  );
  assert.equal(deviceName(undefined, 'HDP5000'), 'HDP5000');
  assert.equal(deviceName('Topaz', null), 'Topaz');
  assert.equal(deviceName(' ', ''), undefined);
});
