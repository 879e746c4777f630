// A malicious or broken station against the district's intake, on SQLite and a real PostgreSQL:
// whatever it sends, both databases answer alike (never a 500 that would block its queue), a
// control character is refused in every text field of every event type, and a number that fits
// one database but not the other is refused at the schema or stored on both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ErrorResponse, EventsResponse } from '../../../protocol/requests';
import { injectEvents } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

let postgres: TestPostgres;

before(async () => {
  postgres = await startPostgres();
});
after(async () => {
  await postgres?.stop();
});

const NUL = 'A\u0000B';
const DEVICE = { key: 'usb:0c45:6366:CAM1', vendor: 'Logitech', model: 'C920', serialNumber: 'CAM1' };

/** Every text field of every event type, as [type, payload with that field poisoned, field path]. */
function poisonedPayloads(): [string, Record<string, unknown>, string][] {
  const heartbeat = {
    roleStatus: {},
    canRecord: true,
    canPrint: true,
    appVersion: '0.1.0',
    queueDepth: 0,
    lastCheckAt: null,
  };
  const consumables = { blankCards: 10, ribbons: [{ name: 'YMCKO', remaining: 5, unit: 'prints' }] };
  const dailyCheck = {
    operatorName: 'Siti',
    operatorNip: '198001012006041001',
    steps: [{ id: 'camera-look', status: 'ok', note: 'baik' }],
    roleStatus: {},
    consumables,
  };
  const inventoryItem = { role: 'camera', device: { ...DEVICE } };
  return [
    [
      'station.started',
      { appVersion: NUL, platform: 'linux', hostname: 'h', expectedRoles: [] },
      'payload.appVersion',
    ],
    [
      'station.started',
      { appVersion: '1', platform: NUL, hostname: 'h', expectedRoles: [] },
      'payload.platform',
    ],
    [
      'station.started',
      { appVersion: '1', platform: 'linux', hostname: NUL, expectedRoles: [] },
      'payload.hostname',
    ],
    ['heartbeat', { ...heartbeat, appVersion: NUL }, 'payload.appVersion'],
    ['heartbeat', { ...heartbeat, openFaultIds: [NUL] }, 'payload.openFaultIds.0'],
    [
      'consumables.reported',
      { ...consumables, ribbons: [{ name: NUL, remaining: 1, unit: 'prints' }] },
      'payload.ribbons.0.name',
    ],
    ['daily-check.completed', { ...dailyCheck, operatorName: NUL }, 'payload.operatorName'],
    ['daily-check.completed', { ...dailyCheck, steps: [{ id: NUL, status: 'ok' }] }, 'payload.steps.0.id'],
    [
      'daily-check.completed',
      { ...dailyCheck, steps: [{ id: 's', status: 'ok', note: NUL }] },
      'payload.steps.0.note',
    ],
    [
      'inventory.changed',
      { added: [{ ...inventoryItem, device: { ...DEVICE, key: NUL } }], removed: [] },
      'payload.added.0.device.key',
    ],
    [
      'inventory.changed',
      { added: [], removed: [{ ...inventoryItem, device: { ...DEVICE, model: NUL } }] },
      'payload.removed.0.device.model',
    ],
    [
      'inventory.reported',
      { devices: [{ ...inventoryItem, device: { ...DEVICE, key: NUL } }] },
      'payload.devices.0.device.key',
    ],
    [
      'inventory.reported',
      { devices: [{ ...inventoryItem, device: { ...DEVICE, vendor: NUL } }] },
      'payload.devices.0.device.vendor',
    ],
    [
      'inventory.reported',
      { devices: [{ ...inventoryItem, device: { ...DEVICE, model: '\u001b[2J' } }] },
      'payload.devices.0.device.model',
    ],
    [
      'inventory.reported',
      { devices: [{ ...inventoryItem, device: { ...DEVICE, serialNumber: NUL } }] },
      'payload.devices.0.device.serialNumber',
    ],
    [
      'inventory.reported',
      { devices: [{ ...inventoryItem, replacesSerialNumber: NUL }] },
      'payload.devices.0.replacesSerialNumber',
    ],
  ] as [string, Record<string, unknown>, string][];
}

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`a hostile station on ${engine}`, () => {
    let district: TestDistrict;
    let clockMs = Date.now();

    before(async () => {
      district = await startTestDistrict({
        url: engine === 'postgres' ? postgres.url : undefined,
        now: () => clockMs,
      });
    });
    after(async () => {
      await district?.close();
    });

    async function send(station: TestStation, events: unknown[]) {
      // A second apart: the per-station rate limit is not what these cases test.
      clockMs += 1000;
      return injectEvents(district, station, events, clockMs);
    }

    test('a control character in any text field of any event type is a 400 naming the field', async () => {
      const station = new TestStation();
      await station.enroll(district, 'Loket kontrol');
      const before = await district.counts();
      for (const [type, payload, field] of poisonedPayloads()) {
        const event = station.event(type as 'heartbeat', payload as never, clockMs);
        const response = await send(station, [event]);
        assert.equal(response.statusCode, 400, `${type} ${field}: ${response.statusCode} ${response.body}`);
        assert.ok(
          (response.json() as ErrorResponse).message.includes(`events.0.${field}`),
          `${type}: the refusal names ${field}: ${response.body}`,
        );
      }
      assert.equal((await district.counts()).events, before.events, 'nothing stored');
    });

    test('seq 0, negative, fractional, as text, 2^31 and 2^53 are refused with a 400, never a 500', async () => {
      const station = new TestStation();
      await station.enroll(district, 'Loket seq liar');
      for (const seq of [0, -1, 1.5, '2', 2 ** 31, 2 ** 53, 1e308]) {
        const event = { ...station.heartbeat(clockMs), seq };
        const response = await send(station, [event]);
        assert.equal(response.statusCode, 400, `seq ${String(seq)}: ${response.body}`);
        assert.match((response.json() as ErrorResponse).message, /events\.0\.seq/);
      }
      const fine = station.heartbeat(clockMs);
      assert.deepEqual((await send(station, [fine])).json<EventsResponse>().accepted, [fine.id]);
    });

    test('a station whose clock is decades off (dead clock battery) still has its heartbeat stored', async () => {
      const station = new TestStation();
      await station.enroll(district, 'Loket baterai');
      // The station's clock says 1 January 2000; it measured the district's clock from serverTime.
      const stationClock = Date.UTC(2000, 0, 1);
      const offsetMs = clockMs + 1000 - stationClock;
      const event = station.event(
        'heartbeat',
        {
          roleStatus: {},
          canRecord: true,
          canPrint: true,
          appVersion: '0.1.0',
          queueDepth: 0,
          lastCheckAt: null,
          clockOffsetMs: offsetMs,
        },
        stationClock,
      );
      const response = await send(station, [event]);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json<EventsResponse>().accepted, [event.id]);
      const [row] = await district.db.query<{ clock_offset_ms: number | string }>(
        'SELECT clock_offset_ms FROM stations WHERE id = $1',
        [station.stationId],
      );
      assert.equal(Number(row?.clock_offset_ms), offsetMs);
    });

    test('counts beyond any real station (occurrences, blank cards, queue depth 2^31) are a 400 on both databases', async () => {
      const station = new TestStation();
      await station.enroll(district, 'Loket angka');
      const huge = 2 ** 31;
      const cases: [unknown, RegExp][] = [
        [station.fault('fault.opened', 'f-many', { occurrences: huge }, clockMs), /payload\.occurrences/],
        [
          station.event('consumables.reported', { blankCards: huge, ribbons: [] }, clockMs),
          /payload\.blankCards/,
        ],
        [
          {
            ...station.heartbeat(clockMs),
            payload: { ...station.heartbeat(clockMs).payload, queueDepth: huge },
          },
          /payload\.queueDepth/,
        ],
      ];
      for (const [event, field] of cases) {
        const response = await send(station, [event]);
        assert.equal(response.statusCode, 400, response.body);
        assert.match((response.json() as ErrorResponse).message, field);
      }
    });

    test('the same event id again with other content is a duplicate: the first content stands', async () => {
      const station = new TestStation();
      await station.enroll(district, 'Loket kembar');
      const opened = station.fault('fault.opened', 'f-twin', {}, clockMs);
      assert.equal((await send(station, [opened])).statusCode, 200);
      const forged = {
        ...opened,
        payload: { ...(opened.payload as object), severity: 'info', message: { id: 'palsu', en: 'forged' } },
      };
      const reply = (await send(station, [forged])).json<EventsResponse>();
      assert.deepEqual(reply.duplicates, [opened.id]);
      const [row] = await district.db.query<{ payload: string }>(
        'SELECT payload FROM events WHERE station_id = $1 AND id = $2',
        [station.stationId, opened.id],
      );
      assert.match(
        String(typeof row?.payload === 'string' ? row.payload : JSON.stringify(row?.payload)),
        /Pemindai sidik jari/,
      );
    });
  });
}
