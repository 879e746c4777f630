// Fuzzing the IPP decoder: random bytes, and valid responses with random mutations and
// truncations. It must return or throw IppDecodeError, nothing else, and never hang; what it
// returns must be mappable onto PrinterStatus.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  decodeIppResponse,
  encodeIppMessage,
  IppDecodeError,
  IppGroupTag,
  IppValueTag,
} from '../../../native/printer/ipp-codec';
import type { IppEncodeAttribute, IppTypedValue } from '../../../native/printer/ipp-codec';
import { statusFromIppResponse } from '../../../native/printer/ipp-source';

const NUM_RUNS = 10_000;

function decodeOrTypedError(bytes: Uint8Array): void {
  const started = performance.now();
  try {
    const response = decodeIppResponse(bytes);
    const status = statusFromIppResponse('q', response);
    JSON.stringify(status);
  } catch (error) {
    if (!(error instanceof IppDecodeError)) {
      throw new Error(`threw ${String(error)} for ${Buffer.from(bytes).toString('hex')}`);
    }
  }
  // A message of a few hundred bytes decodes in microseconds; a loop would show here.
  assert.ok(performance.now() - started < 250, 'decoding took too long');
}

const text = fc.string({ maxLength: 12 });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const byte = fc.integer({ min: 0, max: 255 });

const simpleValue: fc.Arbitrary<IppTypedValue> = fc.oneof(
  int32.map((value) => ({ tag: IppValueTag.integer, value })),
  int32.map((value) => ({ tag: IppValueTag.enum, value })),
  fc.boolean().map((value) => ({ tag: IppValueTag.boolean, value })),
  text.map((value) => ({ tag: IppValueTag.keyword, value })),
  text.map((value) => ({ tag: IppValueTag.textWithoutLanguage, value })),
  text.map((value) => ({ tag: IppValueTag.nameWithoutLanguage, value })),
  text.map((value) => ({ tag: IppValueTag.uri, value })),
  text.map((value) => ({ tag: IppValueTag.mimeMediaType, value })),
  fc.tuple(text, text).map(([language, value]) => ({
    tag: IppValueTag.textWithLanguage,
    value: { kind: 'textWithLanguage' as const, language, text: value },
  })),
  fc.tuple(text, text).map(([language, value]) => ({
    tag: IppValueTag.nameWithLanguage,
    value: { kind: 'textWithLanguage' as const, language, text: value },
  })),
  fc.uint8Array({ maxLength: 16 }).map((value) => ({ tag: IppValueTag.octetString, value })),
  fc.tuple(int32, int32).map(([lower, upper]) => ({
    tag: IppValueTag.rangeOfInteger,
    value: { kind: 'range' as const, lower, upper },
  })),
  fc.tuple(int32, int32, byte).map(([crossFeed, feed, units]) => ({
    tag: IppValueTag.resolution,
    value: { kind: 'resolution' as const, crossFeed, feed, units },
  })),
  fc
    .tuple(fc.integer({ min: 0, max: 65535 }), fc.array(byte, { minLength: 9, maxLength: 9 }))
    .map(([year, rest]) => ({
      tag: IppValueTag.dateTime,
      value: {
        kind: 'dateTime' as const,
        year,
        month: rest[0] ?? 0,
        day: rest[1] ?? 0,
        hour: rest[2] ?? 0,
        minutes: rest[3] ?? 0,
        seconds: rest[4] ?? 0,
        deciSeconds: rest[5] ?? 0,
        utcDirection: '+',
        utcHours: rest[7] ?? 0,
        utcMinutes: rest[8] ?? 0,
      },
    })),
  fc
    .constantFrom(0x10, 0x12, 0x13)
    .map((tag) => ({ tag, value: { kind: 'outOfBand' as const, tag, name: 'x' } })),
);

const { value: anyValue } = fc.letrec<{ value: IppTypedValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3, withCrossShrink: true },
    simpleValue,
    fc
      .dictionary(
        fc.string({ minLength: 1, maxLength: 8 }),
        fc.array(tie('value'), { minLength: 1, maxLength: 3 }),
        { maxKeys: 3 },
      )
      .map((members) => ({
        tag: IppValueTag.begCollection,
        value: { kind: 'collection' as const, members },
      })),
  ),
}));

const attribute: fc.Arbitrary<IppEncodeAttribute> = fc.record({
  name: fc.oneof(
    fc.constantFrom(
      'printer-state',
      'printer-state-reasons',
      'marker-levels',
      'marker-names',
      'printer-supply',
    ),
    fc.string({ minLength: 1, maxLength: 10 }),
  ),
  values: fc.array(anyValue, { minLength: 1, maxLength: 4 }),
});

const validMessage = fc.record({
  code: fc.integer({ min: 0, max: 0xffff }),
  requestId: int32,
  groups: fc.array(
    fc.record({
      tag: fc.constantFrom(
        IppGroupTag.operation,
        IppGroupTag.printer,
        IppGroupTag.job,
        IppGroupTag.unsupported,
      ),
      attributes: fc.array(attribute, { maxLength: 5 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});
const validResponse = validMessage.map((message) => encodeIppMessage(message));

test('property: valid encoded responses decode back with the same attribute names', () => {
  fc.assert(
    fc.property(validMessage, (message) => {
      const response = decodeIppResponse(encodeIppMessage(message));
      assert.equal(response.statusCode, message.code);
      assert.equal(response.requestId, message.requestId);
      assert.deepEqual(
        response.groups.map((group) => [group.tag, Object.keys(group.attributes).sort()]),
        message.groups.map((group) => [
          group.tag,
          [...new Set(group.attributes.map((item) => item.name))].sort(),
        ]),
      );
    }),
    { numRuns: NUM_RUNS },
  );
});

test('property: random bytes never throw anything but IppDecodeError', () => {
  const header = fc
    .uint8Array({ maxLength: 300 })
    .map((tail) => Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 1, ...tail]));
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), header), (bytes) => {
      decodeOrTypedError(bytes);
    }),
    { numRuns: NUM_RUNS },
  );
});

test('property: mutated and truncated valid responses never throw anything but IppDecodeError', () => {
  const mutation = fc.record({
    flips: fc.array(fc.tuple(fc.nat(), byte), { maxLength: 4 }),
    cut: fc.option(fc.nat(), { nil: undefined }),
    insert: fc.option(fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 6 })), { nil: undefined }),
  });
  fc.assert(
    fc.property(validResponse, mutation, (original, { flips, cut, insert }) => {
      let bytes = Uint8Array.from(original);
      for (const [position, value] of flips) {
        bytes[position % bytes.length] = value;
      }
      if (insert) {
        const at = insert[0] % (bytes.length + 1);
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...insert[1], ...bytes.subarray(at)]);
      }
      if (cut !== undefined) {
        bytes = bytes.subarray(0, cut % (bytes.length + 1));
      }
      decodeOrTypedError(bytes);
    }),
    { numRuns: NUM_RUNS },
  );
});
