// The district's intake end to end: app.inject() against a real SQLite database in a temp dir.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { importBundle } from '../../../district/server/intake/bundle-import';
import { listFaults } from '../../../district/server/faults/repository';
import { listDevices } from '../../../district/server/inventory/devices';
import { addStation } from '../../../district/server/stations/stations';
import type { Bundle } from '../../../protocol/bundle';
import { EventsRequestSchema, MAX_BODY_BYTES, PATHS } from '../../../protocol/requests';
import type { ErrorResponse, EventsResponse } from '../../../protocol/requests';
import { HEADER_SIGNATURE, TIMESTAMP_WINDOW_MS } from '../../../protocol/signing';
import { respellSignature, startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

let district: TestDistrict;
let station: TestStation;
let clockMs = Date.now();

before(async () => {
  district = await startTestDistrict({ now: () => clockMs, maxBatchesPerSecond: Infinity });
  station = new TestStation();
  await station.enroll(district);
});
after(async () => {
  await district.close();
});

async function post(body: string, headers: Record<string, string>, path: string = PATHS.events) {
  return district.app.inject({ method: 'POST', url: path, payload: body, headers });
}

async function send(events: unknown[], signer: TestStation = station, timestampMs = clockMs) {
  const body = JSON.stringify({ events });
  return post(body, signer.headers('POST', PATHS.events, body, timestampMs));
}

/** Asserts a refusal with `status` and `error` that stored nothing and left one row in rejected_requests. */
async function assertRefused(
  response: { statusCode: number; json(): unknown },
  status: number,
  error: string,
  before: Awaited<ReturnType<TestDistrict['counts']>>,
) {
  assert.equal(response.statusCode, status, JSON.stringify(response.json()));
  const body = response.json() as ErrorResponse;
  assert.equal(body.error, error);
  assert.equal(body.serverTime, clockMs);
  const now = await district.counts();
  assert.deepEqual({ ...now, rejected: 0 }, { ...before, rejected: 0 }, 'a refused request stores nothing');
  assert.equal(now.rejected, before.rejected + 1, 'a refused request is logged');
  const [last] = await district.db.query<{ reason: string; status: number }>(
    'SELECT reason, status FROM rejected_requests ORDER BY id DESC LIMIT 1',
  );
  assert.equal(last.reason, error);
  assert.equal(Number(last.status), status);
}

describe('enrollment', () => {
  test('a code works once; a second use is refused and logged', async () => {
    const added = await addStation(district.db, { name: 'Loket 2', kecamatan: 'Gemolong' });
    const newcomer = new TestStation();
    const payload = {
      code: added.code.toLowerCase(),
      publicKey: newcomer.publicKeyBase64,
      appVersion: '0.1.0',
    };
    const first = await district.app.inject({ method: 'POST', url: PATHS.enroll, payload });
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), {
      stationId: added.stationId,
      stationName: 'Loket 2',
      kecamatan: 'Gemolong',
      serverTime: clockMs,
      districtPublicKey: district.app.district.districtKey.publicKeyBase64,
    });
    const before = await district.counts();
    const other = new TestStation();
    const second = await district.app.inject({
      method: 'POST',
      url: PATHS.enroll,
      payload: { ...payload, publicKey: other.publicKeyBase64 },
    });
    await assertRefused(second, 401, 'bad-code', before);
    const [row] = await district.db.query<{ public_key: string }>(
      'SELECT public_key FROM stations WHERE id = $1',
      [added.stationId],
    );
    assert.equal(row.public_key, newcomer.publicKeyBase64, 'the first key stays');
  });

  test('an expired code is refused', async () => {
    const added = await addStation(district.db, {
      name: 'Loket 3',
      kecamatan: 'Tangen',
      codeLifetimeMs: 1000,
      nowMs: clockMs - 2000,
    });
    const before = await district.counts();
    const response = await district.app.inject({
      method: 'POST',
      url: PATHS.enroll,
      payload: { code: added.code, publicKey: new TestStation().publicKeyBase64, appVersion: '0.1.0' },
    });
    await assertRefused(response, 401, 'bad-code', before);
  });
});

describe('intake of signed batches', () => {
  test('a valid batch is stored and updates the station and its faults', async () => {
    const events = [station.heartbeat(clockMs), station.fault('fault.opened', 'f-1', {}, clockMs)];
    const response = await send(events);
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as EventsResponse;
    assert.deepEqual(
      body.accepted,
      events.map((event) => event.id),
    );
    assert.deepEqual(body.duplicates, []);
    assert.equal(body.serverTime, clockMs);
    const faults = await listFaults(district.db, { state: 'open' });
    assert.equal(faults.length, 1);
    assert.equal(faults[0].code, 'FINGERPRINT_MISSING');
    assert.equal(faults[0].deviceSerial, 'CM123');
    assert.equal(faults[0].stationId, station.stationId);
    const [row] = await district.db.query<{ last_heartbeat: string; last_seq: number }>(
      'SELECT last_heartbeat, last_seq FROM stations WHERE id = $1',
      [station.stationId],
    );
    assert.equal(JSON.parse(row.last_heartbeat).queueDepth, 3);
    assert.equal(Number(row.last_seq), events[1].seq);
  });

  test('a re-sent batch (signed again) is accepted and stored once', async () => {
    const events = [station.heartbeat(clockMs), station.heartbeat(clockMs)];
    const first = await send(events);
    assert.equal(first.statusCode, 200);
    const before = await district.counts();
    clockMs += 1000;
    const again = await send([...events, events[0]]);
    assert.equal(again.statusCode, 200, again.body);
    const body = again.json() as EventsResponse;
    assert.deepEqual(body.accepted, []);
    assert.deepEqual(body.duplicates, [events[0].id, events[1].id, events[0].id]);
    assert.deepEqual(await district.counts(), before);
  });

  test('fault updates apply in sequence order; a late older event does not reopen a resolved fault', async () => {
    const opened = station.fault('fault.opened', 'f-2', { occurrences: 1 }, clockMs);
    const updated = station.fault('fault.updated', 'f-2', { occurrences: 5, flapping: true }, clockMs);
    const resolved = station.fault('fault.resolved', 'f-2', { occurrences: 5 }, clockMs);
    assert.equal((await send([opened, resolved])).statusCode, 200);
    // A seq below the station's last is refused outright now (seq strictly increases per station).
    assert.equal((await send([updated])).statusCode, 400);
    const fault = (await listFaults(district.db)).find((candidate) => candidate.faultId === 'f-2');
    assert.equal(fault?.state, 'resolved');
    assert.equal(fault?.resolvedAt, resolved.occurredAt);
    const reopened = station.fault('fault.updated', 'f-2', { occurrences: 6, recurring: true }, clockMs);
    assert.equal((await send([reopened])).statusCode, 200);
    const after = (await listFaults(district.db)).find((candidate) => candidate.faultId === 'f-2');
    assert.equal(after?.state, 'open');
    assert.equal(after?.recurring, true);
    assert.equal(after?.occurrences, 6);
  });

  test('every event type is accepted', async () => {
    const events = [
      station.event('station.started', {
        appVersion: '0.1.0',
        platform: 'win32 10.0',
        hostname: 'LOKET1',
        expectedRoles: ['camera'],
      }),
      station.event('daily-check.completed', {
        operatorName: 'Siti',
        operatorNip: '198501012010012001',
        steps: [
          { id: 'camera-look', status: 'ok' },
          { id: 'fingerprint-place', status: 'fault', note: 'kaca kotor' },
        ],
        roleStatus: { camera: 'ok' },
        consumables: { blankCards: 120, ribbons: [{ name: 'YMCKO', remaining: 40, unit: 'percent' }] },
      }),
      station.event('inventory.changed', {
        added: [{ role: 'camera', device: { key: 'usb:04a9:3218:X1', serialNumber: 'X1' } }],
        removed: [{ role: null, device: { key: 'usb:1234:5678' } }],
      }),
      station.event('consumables.reported', { blankCards: 0, ribbons: [] }),
      station.event('inventory.reported', {
        devices: [
          { role: 'signature', device: { key: 'usb:06a8:0043:T1', serialNumber: 'T1', vendor: 'Topaz' } },
        ],
      }),
    ];
    const response = await send(events);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal((response.json() as EventsResponse).accepted.length, 5);
  });

  test('an inventory snapshot installs its devices; the next one records a swapped unit and the removal', async () => {
    const scanner = (serialNumber: string) => ({
      key: `usb:080b:0010:${serialNumber}`,
      transport: 'usb' as const,
      vendor: 'Cross Match',
      model: 'Cross Match fingerprint scanner',
      serialNumber,
    });
    const printer = {
      key: 'usb:09b0:2400:C1',
      vendor: 'Fargo (HID Global)',
      model: 'HDP5000',
      serialNumber: 'C1',
    };
    clockMs += 1000;
    let response = await send([
      station.event(
        'inventory.reported',
        {
          devices: [
            { role: 'fingerprint', device: scanner('GRD-1') },
            { role: 'card-printer', device: printer },
          ],
        },
        clockMs,
      ),
    ]);
    assert.equal(response.statusCode, 200, response.body);
    clockMs += 1000;
    response = await send([
      station.event(
        'inventory.reported',
        { devices: [{ role: 'fingerprint', device: scanner('GRD-2'), replacesSerialNumber: 'GRD-1' }] },
        clockMs,
      ),
    ]);
    assert.equal(response.statusCode, 200, response.body);
    const devices = await listDevices(district.db, { stationId: station.stationId });
    const state = (serialNumber: string) => devices.find((device) => device.serialNumber === serialNumber);
    assert.equal(state('GRD-2')?.status, 'installed');
    assert.equal(state('GRD-2')?.role, 'fingerprint');
    assert.equal(state('GRD-1')?.status, 'removed', 'the replaced unit');
    assert.equal(state('C1')?.status, 'removed', 'the printer is no longer reported');
    assert.equal(state('T1')?.status, 'removed', 'nor the signature pad of the earlier snapshot');
  });
});

describe('refusals store nothing and are logged', () => {
  test('events claiming another station, signed with my key', async () => {
    const before = await district.counts();
    const other = new TestStation();
    other.stationId = 'st-someone-else';
    await assertRefused(await send([other.heartbeat(clockMs)]), 403, 'station-mismatch', before);
  });

  test('headers claiming another enrolled station, signed with my key', async () => {
    const victim = new TestStation();
    await victim.enroll(district, 'Loket 9', 'Sambirejo');
    const before = await district.counts();
    const body = JSON.stringify({ events: [victim.heartbeat(clockMs)] });
    await assertRefused(
      await post(body, station.headers('POST', PATHS.events, body, clockMs, victim.stationId)),
      401,
      'bad-signature',
      before,
    );
  });

  test('unsigned', async () => {
    const before = await district.counts();
    await assertRefused(
      await post(JSON.stringify({ events: [station.heartbeat()] }), { 'content-type': 'application/json' }),
      401,
      'unsigned',
      before,
    );
  });

  test('forged: signed by a key that is not the station', async () => {
    const before = await district.counts();
    const forger = new TestStation();
    forger.stationId = station.stationId;
    await assertRefused(await send([station.heartbeat(clockMs)], forger), 401, 'bad-signature', before);
  });

  test('forged: body changed after signing', async () => {
    const before = await district.counts();
    const body = JSON.stringify({ events: [station.heartbeat(clockMs)] });
    const headers = station.headers('POST', PATHS.events, body, clockMs);
    await assertRefused(
      await post(body.replace('"queueDepth":3', '"queueDepth":4'), headers),
      401,
      'bad-signature',
      before,
    );
  });

  test('unknown station', async () => {
    const before = await district.counts();
    const stranger = new TestStation();
    stranger.stationId = 'st-nobody';
    await assertRefused(await send([stranger.heartbeat(clockMs)], stranger), 401, 'unknown-station', before);
  });

  test('stale timestamp, then the station corrects its clock from serverTime and nothing is lost', async () => {
    const before = await district.counts();
    const stationClockMs = clockMs + TIMESTAMP_WINDOW_MS + 60_000;
    const events = [station.heartbeat(stationClockMs)];
    const stale = await send(events, station, stationClockMs);
    await assertRefused(stale, 401, 'stale-timestamp', before);
    const offsetMs = (stale.json() as ErrorResponse).serverTime - stationClockMs;
    const retried = await send(events, station, stationClockMs + offsetMs);
    assert.equal(retried.statusCode, 200);
    assert.deepEqual((retried.json() as EventsResponse).accepted, [events[0].id]);
  });

  test('replayed: the same signed request twice', async () => {
    const body = JSON.stringify({ events: [station.heartbeat(clockMs)] });
    const headers = station.headers('POST', PATHS.events, body, clockMs);
    assert.equal((await post(body, headers)).statusCode, 200);
    const before = await district.counts();
    await assertRefused(await post(body, headers), 409, 'replayed', before);
  });

  test('replayed with the signature spelled otherwise in base64 (the same bytes)', async () => {
    const body = JSON.stringify({ events: [station.heartbeat(clockMs)] });
    const headers = station.headers('POST', PATHS.events, body, clockMs);
    assert.equal((await post(body, headers)).statusCode, 200);
    const before = await district.counts();
    const respelled = { ...headers, [HEADER_SIGNATURE]: respellSignature(headers[HEADER_SIGNATURE]) };
    assert.notEqual(respelled[HEADER_SIGNATURE], headers[HEADER_SIGNATURE]);
    await assertRefused(await post(body, respelled), 409, 'replayed', before);
  });

  test('oversized body', async () => {
    const before = await district.counts();
    const body = JSON.stringify({ events: [], padding: 'x'.repeat(MAX_BODY_BYTES) });
    await assertRefused(
      await post(body, station.headers('POST', PATHS.events, body, clockMs)),
      413,
      'too-large',
      before,
    );
  });

  test('too many events in one batch', async () => {
    const before = await district.counts();
    const events = Array.from({ length: 501 }, () => station.heartbeat(clockMs));
    await assertRefused(await send(events), 400, 'invalid-schema', before);
  });

  test('malformed JSON', async () => {
    const before = await district.counts();
    const body = '{"events": [';
    await assertRefused(
      await post(body, station.headers('POST', PATHS.events, body, clockMs)),
      400,
      'malformed',
      before,
    );
  });

  test('wrong schema (one bad event refuses the whole batch)', async () => {
    const before = await district.counts();
    const good = station.heartbeat(clockMs);
    const bad = {
      ...station.fault('fault.opened', 'f-9', {}, clockMs),
      payload: { faultId: 'f-9', role: 'toaster' },
    };
    await assertRefused(await send([good, bad]), 400, 'invalid-schema', before);
  });

  test('an inventory snapshot with an unknown field or a bad role is refused', async () => {
    const device = { key: 'usb:080b:0010:X', serialNumber: 'X' };
    for (const item of [
      { role: 'toaster', device },
      { role: 'fingerprint', device, replaced: true },
    ]) {
      const before = await district.counts();
      const event = station.event('inventory.reported', { devices: [item] } as never, clockMs);
      await assertRefused(await send([event]), 400, 'invalid-schema', before);
    }
  });

  test('wrong content type', async () => {
    const before = await district.counts();
    const body = JSON.stringify({ events: [station.heartbeat(clockMs)] });
    const headers = { ...station.headers('POST', PATHS.events, body, clockMs), 'content-type': 'text/plain' };
    await assertRefused(await post(body, headers), 415, 'unsupported-media-type', before);
  });

  test('10,000 random bodies and headers: all refused, nothing stored, no crash', async () => {
    const before = await district.counts();
    const ascii = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });
    const validEvent = station.fault('fault.opened', 'f-fuzz', {}, clockMs);
    // Bodies from pure noise to a valid event with one field replaced by anything.
    const isValidBatch = (text: string): boolean => {
      try {
        return EventsRequestSchema.safeParse(JSON.parse(text)).success;
      } catch {
        return false;
      }
    };
    const body = fc
      .oneof(
        ascii(200),
        fc.json(),
        fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
        fc
          .record({ key: fc.constantFrom(...Object.keys(validEvent)), value: fc.anything() })
          .map(({ key, value }) => JSON.stringify({ events: [{ ...validEvent, [key]: value }] })),
        fc
          .record({ key: fc.constantFrom(...Object.keys(validEvent.payload)), value: fc.jsonValue() })
          .map(({ key, value }) =>
            JSON.stringify({ events: [{ ...validEvent, payload: { ...validEvent.payload, [key]: value } }] }),
          ),
      )
      .filter((text) => !isValidBatch(text));
    const signatureMode = fc.constantFrom(
      'random',
      'valid-for-this-body',
      'valid-for-other-body',
      'other-key',
      'stale',
      'none',
    );
    const forger = new TestStation();
    forger.stationId = station.stationId;
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(
        body,
        signatureMode,
        fc.option(ascii(80), { nil: undefined }),
        fc.option(ascii(30), { nil: undefined }),
        fc.constantFrom(PATHS.events, PATHS.enroll),
        fc.boolean(),
        async (randomText, mode, stationHeader, contentType, path, validBody) => {
          // A valid batch too, so the signature checks are fuzzed, not only the parser; it must be
          // refused unless it is properly signed for the events route, which is not a refusal case.
          fc.pre(
            !(
              validBody &&
              mode === 'valid-for-this-body' &&
              path === PATHS.events &&
              stationHeader === undefined &&
              contentType === undefined
            ),
          );
          const text = validBody ? JSON.stringify({ events: [station.heartbeat(clockMs)] }) : randomText;
          let headers: Record<string, string> = {};
          if (mode === 'valid-for-this-body') {
            headers = station.headers('POST', path, text, clockMs);
          } else if (mode === 'valid-for-other-body') {
            headers = station.headers('POST', path, `${text} `, clockMs);
          } else if (mode === 'other-key') {
            headers = forger.headers('POST', path, text, clockMs);
          } else if (mode === 'stale') {
            headers = station.headers('POST', path, text, clockMs - TIMESTAMP_WINDOW_MS - 1);
          } else if (mode === 'random') {
            headers = {
              'content-type': 'application/json',
              'x-siaga-station': station.stationId,
              'x-siaga-timestamp': String(clockMs),
              'x-siaga-signature': randomBytes(64).toString('base64'),
            };
          }
          if (stationHeader !== undefined) {
            headers['x-siaga-station'] = stationHeader;
          }
          if (contentType !== undefined) {
            headers['content-type'] = contentType;
          }
          const response = await district.app.inject({ method: 'POST', url: path, payload: text, headers });
          sent++;
          return response.statusCode >= 400 && response.statusCode < 500;
        },
      ),
      { numRuns: 10_000 },
    );
    assert.ok(sent >= 10_000, String(sent));
    const now = await district.counts();
    assert.deepEqual({ ...now, rejected: 0 }, { ...before, rejected: 0 }, 'nothing stored');
    assert.ok(now.rejected > before.rejected, 'refusals logged');
    // Still serving: a valid batch goes through after the storm.
    clockMs += 1;
    assert.equal((await send([station.heartbeat(clockMs)])).statusCode, 200);
  });
});

describe('pacing, time and description', () => {
  test('a station over its batch rate gets 429 with Retry-After, then is served', async () => {
    const paced = await startTestDistrict({ now: () => clockMs, maxBatchesPerSecond: 2 });
    try {
      const pacedStation = new TestStation();
      await pacedStation.enroll(paced);
      const sendPaced = async () => {
        const body = JSON.stringify({ events: [pacedStation.heartbeat(clockMs)] });
        clockMs += 1;
        return paced.app.inject({
          method: 'POST',
          url: PATHS.events,
          payload: body,
          headers: pacedStation.headers('POST', PATHS.events, body, clockMs),
        });
      };
      assert.equal((await sendPaced()).statusCode, 200);
      assert.equal((await sendPaced()).statusCode, 200);
      const limited = await sendPaced();
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.headers['retry-after'], '1');
      const retryAfterMs = (limited.json() as ErrorResponse).retryAfterMs!;
      assert.ok(retryAfterMs > 0 && retryAfterMs <= 500, String(retryAfterMs));
      clockMs += retryAfterMs;
      assert.equal((await sendPaced()).statusCode, 200);
      assert.equal((await paced.counts()).events, 3);
    } finally {
      await paced.close();
    }
  });

  test('GET time and the OpenAPI description with the signing scheme', async () => {
    const time = await district.app.inject({ method: 'GET', url: PATHS.time });
    assert.deepEqual(time.json(), { serverTime: clockMs });
    const openapi = await district.app.inject({ method: 'GET', url: PATHS.openapi });
    assert.equal(openapi.statusCode, 200);
    const document = openapi.json() as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(
      Object.keys(document.paths).sort(),
      [PATHS.enroll, PATHS.events, PATHS.openapi, PATHS.time].sort(),
    );
    assert.ok(openapi.body.includes('SIAGA1') && openapi.body.includes('x-siaga-signature'));
    assert.ok('Event' in document.components.schemas && 'Bundle' in document.components.schemas);
  });
});

describe('bundle import', () => {
  test('old signed requests are imported once; a tampered entry is refused', async () => {
    const weeksAgoMs = clockMs - 21 * 24 * 3600_000;
    const events = [
      station.fault('fault.opened', 'f-offline', {}, weeksAgoMs),
      station.heartbeat(weeksAgoMs),
    ];
    const requests = events.map((event) => {
      const body = JSON.stringify({ events: [event] });
      const headers = station.headers('POST', PATHS.events, body, weeksAgoMs);
      return {
        method: 'POST' as const,
        path: PATHS.events,
        timestampMs: weeksAgoMs,
        signature: headers['x-siaga-signature'],
        body,
      };
    });
    const tampered = {
      ...requests[1],
      body: requests[1].body.replace('"canPrint":true', '"canPrint":false'),
    };
    const bundle: Bundle = {
      format: 'siaga-bundle',
      v: 1,
      stationId: station.stationId,
      createdAt: new Date(weeksAgoMs).toISOString(),
      requests: [...requests, tampered],
    };
    const before = await district.counts();
    const first = await importBundle(district.db, JSON.stringify(bundle), {
      nowMs: clockMs,
      rejections: district.app.district.rejections,
    });
    assert.equal(first.accepted, 2);
    assert.deepEqual(
      first.refused.map((refused) => refused.error),
      ['bad-signature'],
    );
    const second = await importBundle(district.db, JSON.stringify(bundle), { nowMs: clockMs });
    assert.equal(second.accepted, 0);
    assert.equal(second.duplicates, 2);
    const now = await district.counts();
    assert.equal(now.events, before.events + 2);
    assert.equal(now.rejected, before.rejected + 1);
    assert.ok((await listFaults(district.db)).some((fault) => fault.faultId === 'f-offline'));
  });

  test('a bundle signed by another key stores nothing', async () => {
    const forger = new TestStation();
    forger.stationId = station.stationId;
    const body = JSON.stringify({ events: [station.heartbeat(clockMs)] });
    const signature = forger.headers('POST', PATHS.events, body, clockMs)['x-siaga-signature'];
    const before = await district.counts();
    const result = await importBundle(
      district.db,
      JSON.stringify({
        format: 'siaga-bundle',
        v: 1,
        stationId: station.stationId,
        createdAt: new Date(clockMs).toISOString(),
        requests: [{ method: 'POST', path: PATHS.events, timestampMs: clockMs, signature, body }],
      }),
      { nowMs: clockMs },
    );
    assert.equal(result.refused.length, 1);
    assert.equal((await district.counts()).events, before.events);
  });
});
