// The wire contract: event schemas, id ordering, the canonical string that is signed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { BundleSchema } from '../../../protocol/bundle';
import {
  EventIdSchema,
  EventSchema,
  eventIdTime,
  MAX_EVENT_ID_TIME,
  monotonicEventIds,
  newEventId,
} from '../../../protocol/events';
import type { Event } from '../../../protocol/events';
import { EnrollRequestSchema, EventsRequestSchema, MAX_EVENTS_PER_BATCH } from '../../../protocol/requests';
import {
  canonicalRequest,
  EMPTY_BODY_SHA256_HEX,
  isWithinWindow,
  parseSignatureHeaders,
  TIMESTAMP_WINDOW_MS,
} from '../../../protocol/signing';

const fault: Event = {
  v: 1,
  id: '01JD3Z8Q4E0000000000000000',
  stationId: 'st-01jd3z8q4e',
  seq: 1,
  occurredAt: '2025-01-02T03:04:05.678Z',
  type: 'fault.opened',
  payload: {
    faultId: 'f-1',
    role: 'card-printer',
    device: { key: 'usb:09b0:2400:SN1', serialNumber: 'SN1' },
    code: 'CARD_PRINTER_RIBBON_OUT',
    severity: 'major',
    status: 'fault',
    message: { id: 'Pita printer habis', en: 'Printer ribbon is empty' },
    firstSeen: '2025-01-02T03:00:00.000Z',
    lastSeen: '2025-01-02T03:04:05.678Z',
    occurrences: 3,
    flapping: false,
    recurring: true,
  },
};

describe('event schemas', () => {
  test('a valid fault event parses; the payload schema follows the type', () => {
    assert.deepEqual(EventSchema.parse(fault), fault);
    assert.equal(EventSchema.safeParse({ ...fault, type: 'heartbeat' }).success, false);
  });

  test('unknown keys, wrong versions, bad NIP, seq 0 and local times are refused', () => {
    assert.equal(EventSchema.safeParse({ ...fault, extra: 1 }).success, false);
    assert.equal(EventSchema.safeParse({ ...fault, payload: { ...fault.payload, extra: 1 } }).success, false);
    assert.equal(EventSchema.safeParse({ ...fault, v: 2 }).success, false);
    assert.equal(EventSchema.safeParse({ ...fault, seq: 0 }).success, false);
    assert.equal(EventSchema.safeParse({ ...fault, occurredAt: '2025-01-02 03:04' }).success, false);
    const daily = {
      ...fault,
      type: 'daily-check.completed',
      payload: {
        operatorName: 'Siti',
        operatorNip: '12345',
        steps: [],
        roleStatus: {},
        consumables: { blankCards: 1, ribbons: [] },
      },
    };
    assert.equal(EventSchema.safeParse(daily).success, false);
    assert.equal(
      EventSchema.safeParse({ ...daily, payload: { ...daily.payload, operatorNip: '198501012010012001' } })
        .success,
      true,
    );
  });

  test('a batch holds 1 to 500 events', () => {
    assert.equal(EventsRequestSchema.safeParse({ events: [] }).success, false);
    assert.equal(
      EventsRequestSchema.safeParse({ events: Array(MAX_EVENTS_PER_BATCH).fill(fault) }).success,
      true,
    );
    assert.equal(
      EventsRequestSchema.safeParse({ events: Array(MAX_EVENTS_PER_BATCH + 1).fill(fault) }).success,
      false,
    );
  });

  test('enroll takes a raw 32-byte key in base64', () => {
    const request = {
      code: 'ABCD-EFGH-JKMN-PQRS',
      publicKey: Buffer.alloc(32, 7).toString('base64'),
      appVersion: '1',
    };
    assert.equal(EnrollRequestSchema.safeParse(request).success, true);
    assert.equal(
      EnrollRequestSchema.safeParse({ ...request, publicKey: Buffer.alloc(33).toString('base64') }).success,
      false,
    );
  });

  test('a bundle names its format and version', () => {
    const bundle = {
      format: 'siaga-bundle',
      v: 1,
      stationId: 'st-1',
      createdAt: fault.occurredAt,
      requests: [],
    };
    assert.equal(BundleSchema.safeParse(bundle).success, true);
    assert.equal(BundleSchema.safeParse({ ...bundle, v: 2 }).success, false);
  });
});

describe('event ids', () => {
  test('ids are valid ULIDs whose time decodes and whose order follows time (10,000 pairs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_EVENT_ID_TIME }),
        fc.integer({ min: 0, max: MAX_EVENT_ID_TIME }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (first, second, randomValue) => {
          const a = newEventId(first, Math.random);
          const b = newEventId(second, () => randomValue);
          assert.ok(EventIdSchema.safeParse(a).success, a);
          assert.equal(eventIdTime(a), first);
          if (first < second) {
            assert.ok(a < b, `${a} < ${b}`);
          }
        },
      ),
      { numRuns: 10_000 },
    );
  });

  test('monotonic ids increase within one millisecond and when the clock steps back', () => {
    const next = monotonicEventIds(() => 0.5);
    const ids = [next(1000), next(1000), next(1000), next(999), next(1001)];
    // Random digits all 31: the increment overflows and the id moves on to the next millisecond.
    const saturated = monotonicEventIds(() => 0.999999);
    const overflowing = [saturated(1000), saturated(1000), saturated(1000)];
    for (const sequence of [ids, overflowing]) {
      for (let index = 1; index < sequence.length; index++) {
        assert.ok(sequence[index - 1] < sequence[index], `${sequence[index - 1]} < ${sequence[index]}`);
      }
    }
    assert.equal(eventIdTime(ids[3]), 1000);
    assert.equal(eventIdTime(overflowing[1]), 1001);
  });

  test('out-of-range times are refused', () => {
    assert.throws(() => newEventId(-1, Math.random), RangeError);
    assert.throws(() => newEventId(MAX_EVENT_ID_TIME + 1, Math.random), RangeError);
  });
});

describe('signing', () => {
  test('the canonical request', () => {
    assert.equal(
      canonicalRequest('post', '/api/v1/events', 1700000000000, 'ABCDEF'),
      'SIAGA1\nPOST\n/api/v1/events\n1700000000000\nabcdef',
    );
    assert.equal(EMPTY_BODY_SHA256_HEX, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  test('signature headers are parsed strictly', () => {
    const good = {
      'x-siaga-station': 'st-1',
      'x-siaga-timestamp': '1700000000000',
      'x-siaga-signature': Buffer.alloc(64, 1).toString('base64'),
    };
    assert.deepEqual(parseSignatureHeaders(good), {
      ok: true,
      value: { stationId: 'st-1', timestampMs: 1700000000000, signatureBase64: good['x-siaga-signature'] },
    });
    assert.equal(parseSignatureHeaders({ ...good, 'x-siaga-signature': undefined }).ok, false);
    assert.equal(parseSignatureHeaders({ ...good, 'x-siaga-timestamp': '1.7e12' }).ok, false);
    assert.equal(parseSignatureHeaders({ ...good, 'x-siaga-station': ['st-1', 'st-2'] }).ok, false);
    assert.equal(
      parseSignatureHeaders({ ...good, 'x-siaga-signature': Buffer.alloc(63).toString('base64') }).ok,
      false,
    );
  });

  test('the timestamp window is five minutes either way', () => {
    assert.ok(isWithinWindow(1_000_000 + TIMESTAMP_WINDOW_MS, 1_000_000));
    assert.ok(isWithinWindow(1_000_000 - TIMESTAMP_WINDOW_MS, 1_000_000));
    assert.ok(!isWithinWindow(1_000_001 + TIMESTAMP_WINDOW_MS, 1_000_000));
  });
});
