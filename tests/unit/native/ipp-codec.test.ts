// The IPP codec byte for byte: the request we send, every value tag a response may carry, and the
// errors for truncated or malformed input. Also the attribute mapping of the IPP source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeIppResponse,
  encodeGetPrinterAttributes,
  encodeIppMessage,
  IppDecodeError,
  IppGroupTag,
  IppValueTag,
} from '../../../native/printer/ipp-codec';
import type { IppEncodeAttribute } from '../../../native/printer/ipp-codec';
import {
  resolvePrinterEndpoint,
  splitStateReasons,
  statusFromIppResponse,
} from '../../../native/printer/ipp-source';

test('Get-Printer-Attributes request bytes (RFC 8010 layout)', () => {
  const bytes = encodeGetPrinterAttributes({
    printerUri: 'ipp://h/p',
    requestId: 7,
    requestedAttributes: ['printer-state', 'marker-levels'],
  });
  const expected = Buffer.concat([
    Buffer.from([0x01, 0x01, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x07, 0x01]),
    Buffer.from([0x47, 0x00, 0x12]),
    Buffer.from('attributes-charset'),
    Buffer.from([0x00, 0x05]),
    Buffer.from('utf-8'),
    Buffer.from([0x48, 0x00, 0x1b]),
    Buffer.from('attributes-natural-language'),
    Buffer.from([0x00, 0x02]),
    Buffer.from('en'),
    Buffer.from([0x45, 0x00, 0x0b]),
    Buffer.from('printer-uri'),
    Buffer.from([0x00, 0x09]),
    Buffer.from('ipp://h/p'),
    Buffer.from([0x44, 0x00, 0x14]),
    Buffer.from('requested-attributes'),
    Buffer.from([0x00, 0x0d]),
    Buffer.from('printer-state'),
    Buffer.from([0x44, 0x00, 0x00, 0x00, 0x0d]),
    Buffer.from('marker-levels'),
    Buffer.from([0x03]),
  ]);
  assert.deepEqual(Buffer.from(bytes), expected);
  const decoded = decodeIppResponse(bytes);
  assert.equal(decoded.statusCode, 0x000b);
  assert.equal(decoded.requestId, 7);
  assert.deepEqual(decoded.groups[0]?.attributes['requested-attributes'], ['printer-state', 'marker-levels']);
});

/** 2025-03-14 09:26:53.5 +07:00 (WIB), as RFC 2579 DateAndTime carries it. */
const printerTime = {
  kind: 'dateTime',
  year: 2025,
  month: 3,
  day: 14,
  hour: 9,
  minutes: 26,
  seconds: 53,
  deciSeconds: 5,
  utcDirection: '+',
  utcHours: 7,
  utcMinutes: 0,
} as const;

const everyTag: IppEncodeAttribute[] = [
  { name: 'printer-state', values: [{ tag: IppValueTag.enum, value: 4 }] },
  { name: 'printer-up-time', values: [{ tag: IppValueTag.integer, value: -5 }] },
  { name: 'printer-is-accepting-jobs', values: [{ tag: IppValueTag.boolean, value: false }] },
  {
    name: 'printer-state-reasons',
    values: [
      { tag: IppValueTag.keyword, value: 'media-jam-error' },
      { tag: IppValueTag.keyword, value: 'toner-low-warning' },
    ],
  },
  {
    name: 'printer-state-message',
    values: [
      {
        tag: IppValueTag.textWithLanguage,
        value: { kind: 'textWithLanguage', language: 'id', text: 'Kertas macet' },
      },
    ],
  },
  {
    name: 'printer-info',
    values: [
      {
        tag: IppValueTag.nameWithLanguage,
        value: { kind: 'textWithLanguage', language: 'en', text: 'Desk' },
      },
    ],
  },
  {
    name: 'printer-make-and-model',
    values: [{ tag: IppValueTag.textWithoutLanguage, value: 'Fargo HDP5000' }],
  },
  { name: 'printer-name', values: [{ tag: IppValueTag.nameWithoutLanguage, value: 'fargo' }] },
  { name: 'printer-uri-supported', values: [{ tag: IppValueTag.uri, value: 'ipp://x/ipp/print' }] },
  { name: 'uri-scheme', values: [{ tag: IppValueTag.uriScheme, value: 'ipp' }] },
  { name: 'charset-configured', values: [{ tag: IppValueTag.charset, value: 'utf-8' }] },
  { name: 'natural-language-configured', values: [{ tag: IppValueTag.naturalLanguage, value: 'id' }] },
  { name: 'document-format-default', values: [{ tag: IppValueTag.mimeMediaType, value: 'application/pdf' }] },
  {
    name: 'printer-current-time',
    values: [{ tag: IppValueTag.dateTime, value: printerTime }],
  },
  {
    name: 'printer-resolution-default',
    values: [
      { tag: IppValueTag.resolution, value: { kind: 'resolution', crossFeed: 300, feed: 600, units: 3 } },
    ],
  },
  {
    name: 'copies-supported',
    values: [{ tag: IppValueTag.rangeOfInteger, value: { kind: 'range', lower: 1, upper: 99 } }],
  },
  {
    name: 'printer-supply',
    values: [
      { tag: IppValueTag.octetString, value: new TextEncoder().encode('type=toner;unit=percent;level=40;') },
    ],
  },
  {
    name: 'printer-alert',
    values: [
      { tag: IppValueTag.unknown, value: { kind: 'outOfBand', tag: IppValueTag.unknown, name: 'unknown' } },
    ],
  },
  {
    name: 'printer-geo-location',
    values: [
      { tag: IppValueTag.noValue, value: { kind: 'outOfBand', tag: IppValueTag.noValue, name: 'no-value' } },
    ],
  },
  {
    name: 'media-col-ready',
    values: [
      {
        tag: IppValueTag.begCollection,
        value: {
          kind: 'collection',
          members: {
            'media-size': [
              {
                tag: IppValueTag.begCollection,
                value: {
                  kind: 'collection',
                  members: {
                    'x-dimension': [{ tag: IppValueTag.integer, value: 5398 }],
                    'y-dimension': [{ tag: IppValueTag.integer, value: 8560 }],
                  },
                },
              },
            ],
            'media-type': [{ tag: IppValueTag.keyword, value: 'cardstock' }],
            'media-source-properties': [
              { tag: IppValueTag.keyword, value: 'a' },
              { tag: IppValueTag.keyword, value: 'b' },
            ],
          },
        },
      },
    ],
  },
  {
    name: 'marker-names',
    values: [
      { tag: IppValueTag.nameWithoutLanguage, value: 'Ribbon' },
      { tag: IppValueTag.nameWithoutLanguage, value: 'Film' },
    ],
  },
  {
    name: 'marker-types',
    values: [
      { tag: IppValueTag.keyword, value: 'ink-ribbon' },
      { tag: IppValueTag.keyword, value: 'transfer-roller' },
    ],
  },
  {
    name: 'marker-levels',
    values: [
      { tag: IppValueTag.integer, value: 8 },
      { tag: IppValueTag.integer, value: -3 },
    ],
  },
  {
    name: 'marker-low-levels',
    values: [
      { tag: IppValueTag.integer, value: 10 },
      { tag: IppValueTag.integer, value: 5 },
    ],
  },
];

function responseWithEveryTag(): Uint8Array {
  return encodeIppMessage({
    code: 0x0000,
    requestId: 42,
    groups: [
      {
        tag: IppGroupTag.operation,
        attributes: [{ name: 'attributes-charset', values: [{ tag: IppValueTag.charset, value: 'utf-8' }] }],
      },
      { tag: IppGroupTag.printer, attributes: everyTag },
    ],
    data: Uint8Array.of(0xde, 0xad),
  });
}

test('decodes every value tag', () => {
  const response = decodeIppResponse(responseWithEveryTag());
  assert.deepEqual(response.version, { major: 1, minor: 1 });
  assert.equal(response.requestId, 42);
  assert.equal(response.groups.length, 2);
  const printer = response.groups[1];
  assert.equal(printer?.tag, IppGroupTag.printer);
  const attributes = printer?.attributes ?? {};
  assert.deepEqual(attributes['printer-state'], [4]);
  assert.deepEqual(attributes['printer-up-time'], [-5]);
  assert.deepEqual(attributes['printer-is-accepting-jobs'], [false]);
  assert.deepEqual(attributes['printer-state-reasons'], ['media-jam-error', 'toner-low-warning']);
  assert.deepEqual(attributes['printer-state-message'], [
    { kind: 'textWithLanguage', language: 'id', text: 'Kertas macet' },
  ]);
  assert.deepEqual(attributes['printer-info'], [{ kind: 'textWithLanguage', language: 'en', text: 'Desk' }]);
  for (const name of [
    'printer-make-and-model',
    'printer-name',
    'printer-uri-supported',
    'uri-scheme',
    'charset-configured',
    'natural-language-configured',
    'document-format-default',
  ]) {
    assert.equal(typeof attributes[name]?.[0], 'string', name);
  }
  assert.deepEqual(attributes['printer-current-time'], [printerTime]);
  assert.deepEqual(attributes['printer-resolution-default'], [
    { kind: 'resolution', crossFeed: 300, feed: 600, units: 3 },
  ]);
  assert.deepEqual(attributes['copies-supported'], [{ kind: 'range', lower: 1, upper: 99 }]);
  assert.deepEqual(attributes['printer-alert'], [{ kind: 'outOfBand', tag: 0x12, name: 'unknown' }]);
  assert.deepEqual(attributes['printer-geo-location'], [{ kind: 'outOfBand', tag: 0x13, name: 'no-value' }]);
  const collection = attributes['media-col-ready']?.[0];
  assert.ok(typeof collection === 'object' && collection.kind === 'collection');
  assert.deepEqual(collection.members['media-type'], ['cardstock']);
  assert.deepEqual(collection.members['media-source-properties'], ['a', 'b']);
  const size = collection.members['media-size']?.[0];
  assert.ok(typeof size === 'object' && size.kind === 'collection');
  assert.deepEqual({ ...size.members }, { 'x-dimension': [5398], 'y-dimension': [8560] });
});

test('maps a response onto PrinterStatus: state, reasons without suffix, markers, raw', () => {
  const status = statusFromIppResponse('fargo', decodeIppResponse(responseWithEveryTag()));
  assert.equal(status.state, 'processing');
  assert.deepEqual(status.reasons, ['media-jam', 'toner-low']);
  assert.deepEqual({ ...status.reasonSeverity }, { 'media-jam': 'error', 'toner-low': 'warning' });
  assert.deepEqual(status.markers, [
    { name: 'Ribbon', type: 'ink-ribbon', level: 8, lowLevel: 10 },
    { name: 'Film', type: 'transfer-roller', level: -3, lowLevel: 5 },
  ]);
  assert.equal(status.acceptingJobs, false);
  assert.equal(status.stateMessage, 'Kertas macet');
  assert.equal(status.makeAndModel, 'Fargo HDP5000');
  assert.equal(status.raw['printer-supply'], 'type=toner;unit=percent;level=40;');
  assert.deepEqual(status.raw['media-col-ready'], {
    'media-size': { 'x-dimension': 5398, 'y-dimension': 8560 },
    'media-type': 'cardstock',
    'media-source-properties': ['a', 'b'],
  });
  assert.doesNotThrow(() => JSON.stringify(status));
});

test('state reasons: none removed, duplicates once, no suffix is an error (RFC 8011)', () => {
  const split = splitStateReasons([
    'none',
    'cover-open-report',
    'cover-open-error',
    'marker-supply-low-warning',
    'spool-area-full',
  ]);
  assert.deepEqual(split.reasons, ['cover-open', 'marker-supply-low', 'spool-area-full']);
  assert.deepEqual(
    { ...split.reasonSeverity },
    { 'cover-open': 'report', 'marker-supply-low': 'warning', 'spool-area-full': 'error' },
  );
});

test('printer URIs: CUPS queue name, ipp, ipps, http', () => {
  assert.deepEqual(
    [resolvePrinterEndpoint('Fargo HDP5000')].map(({ printerUri, url }) => [printerUri, url.href]),
    [['ipp://localhost:631/printers/Fargo%20HDP5000', 'http://localhost:631/printers/Fargo%20HDP5000']],
  );
  const ipp = resolvePrinterEndpoint('ipp://10.1.2.3/ipp/print');
  assert.deepEqual(
    [ipp.printerUri, ipp.url.href],
    ['ipp://10.1.2.3:631/ipp/print', 'http://10.1.2.3:631/ipp/print'],
  );
  const ipps = resolvePrinterEndpoint('ipps://printer.local:8443/ipp/print');
  assert.deepEqual(
    [ipps.printerUri, ipps.url.href],
    ['ipps://printer.local:8443/ipp/print', 'https://printer.local:8443/ipp/print'],
  );
  const plain = resolvePrinterEndpoint('http://127.0.0.1:8631/ipp/print');
  assert.deepEqual(
    [plain.printerUri, plain.url.href],
    ['ipp://127.0.0.1:8631/ipp/print', 'http://127.0.0.1:8631/ipp/print'],
  );
  assert.throws(() => resolvePrinterEndpoint('ftp://x/y'), /unsupported/);
});

function decodeError(bytes: Uint8Array): IppDecodeError {
  try {
    decodeIppResponse(bytes);
  } catch (error) {
    assert.ok(error instanceof IppDecodeError, `not an IppDecodeError: ${String(error)}`);
    return error;
  }
  assert.fail('decoded without error');
}

test('rejects truncated and malformed messages with IppDecodeError', () => {
  const valid = responseWithEveryTag();
  assert.match(decodeError(valid.subarray(0, 4)).message, /truncated/);
  // Cut before end-of-attributes: the data bytes are 2, so drop them and the 0x03 tag too.
  assert.match(decodeError(valid.subarray(0, valid.length - 3)).message, /truncated/);
  assert.match(decodeError(valid.subarray(0, 40)).message, /truncated/);
  assert.match(decodeError(Buffer.from('HTTP/1.1 200 OK\r\n\r\n<html>')).message, /version/);
  assert.match(
    decodeError(Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 1, 0x21, 0, 1, 0x61, 0, 4, 0, 0, 0, 1, 3)).message,
    /before any group/,
  );
  assert.match(
    decodeError(Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 1, 4, 0x21, 0, 1, 0x61, 0, 3, 0, 0, 1, 3)).message,
    /needs 4 bytes/,
  );
  assert.match(
    decodeError(Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 1, 4, 0x21, 0, 0, 0, 4, 0, 0, 0, 1, 3)).message,
    /additional value without/,
  );
  assert.match(
    decodeError(Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 1, 4, 0x37, 0, 1, 0x61, 0, 0, 3)).message,
    /endCollection outside/,
  );
  assert.match(
    decodeError(Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 1, 4, 0x34, 0, 1, 0x61, 0, 0, 3)).message,
    /not closed/,
  );
  assert.match(decodeError(new Uint8Array(5 * 1024 * 1024)).message, /exceeds/);
  const deep = [1, 1, 0, 0, 0, 0, 0, 1, 4, 0x34, 0, 1, 0x61, 0, 0];
  for (let level = 0; level < 40; level += 1) {
    deep.push(0x4a, 0, 0, 0, 1, 0x62, 0x34, 0, 0, 0, 0);
  }
  assert.match(decodeError(Uint8Array.from(deep)).message, /nested deeper/);
});

test('attribute named __proto__ cannot reach the prototype', () => {
  const bytes = encodeIppMessage({
    code: 0,
    requestId: 1,
    groups: [
      {
        tag: IppGroupTag.printer,
        attributes: [{ name: '__proto__', values: [{ tag: IppValueTag.keyword, value: 'polluted' }] }],
      },
    ],
  });
  const response = decodeIppResponse(bytes);
  assert.deepEqual(response.groups[0]?.attributes['__proto__'], ['polluted']);
  const status = statusFromIppResponse('q', response);
  assert.deepEqual(Object.keys(status.raw), ['__proto__']);
  assert.equal(Object.getPrototypeOf(status.raw), Object.prototype);
});
