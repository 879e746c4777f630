// Hostile cases for the loan ranking (district/server/inventory/loan-suggestions.ts), invented by a
// tester: no spare anywhere, a faulty spare, a kecamatan whose stations have already lent, the
// broken station's own kecamatan, distances and coordinates that are odd or missing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceView } from '../../../district/dash-api';
import type { DeviceFacts, RankInput, StationFacts } from '../../../district/server/inventory/loan-suggestions';
import { rankCandidates } from '../../../district/server/inventory/loan-suggestions';
import type { Coordinates } from '../../../district/server/inventory/travel';
import { travelBetween } from '../../../district/server/inventory/travel';

const BROKEN = 'st-tangen-a';

function station(id: string, kecamatan: string, overrides: Partial<StationFacts> = {}): StationFacts {
  return {
    stationId: id,
    name: `Loket ${id}`,
    kecamatan,
    state: 'can-record',
    lastRecording: 'yes',
    roleStatus: { fingerprint: 'ok' },
    heartbeatAt: '2026-12-02T01:00:00.000Z',
    blockingFault: false,
    closedToday: false,
    ...overrides,
  };
}

function device(id: string, stationId: string | null, overrides: Partial<DeviceView> = {}): DeviceFacts {
  return {
    device: {
      id,
      serialNumber: id.toUpperCase(),
      vendor: 'Cross Match',
      model: 'Guardian',
      role: 'fingerprint',
      deviceKey: stationId === null ? null : `usb:${id}`,
      status: stationId === null ? 'spare' : 'installed',
      stationId,
      stationName: null,
      kecamatan: null,
      working: true,
      loanId: null,
      updatedAt: '2026-12-01T00:00:00.000Z',
      note: null,
      ...overrides,
    },
    openFaults: [],
  };
}

const broken = station(BROKEN, 'Tangen', { state: 'cannot-record', lastRecording: 'no', blockingFault: true });
const COORDINATES = new Map<string, Coordinates>([
  ['', { latitude: -7.4265, longitude: 111.0219 }],
  ['Tangen', { latitude: -7.3703, longitude: 111.0905 }],
  ['Sukodono', { latitude: -7.3189, longitude: 111.0296 }],
]);

function input(stations: StationFacts[], devices: DeviceFacts[], role = 'fingerprint'): RankInput {
  return {
    fault: { stationId: BROKEN, kecamatan: 'Tangen', role },
    stations: [broken, ...stations],
    devices: [device('fp-broken', BROKEN), ...devices],
    map: { coordinates: COORDINATES, distances: [] },
  };
}

const ids = (ranked: ReturnType<typeof rankCandidates>) => ranked.map((candidate) => candidate.device.id);

test('a role with no spare and no idle device anywhere: an empty list, no error', () => {
  assert.deepEqual(rankCandidates(input([station('st-suk-a', 'Sukodono')], [device('fp-suk-a', 'st-suk-a')], 'iris')), []);
  assert.deepEqual(rankCandidates(input([], [])), []);
});

test('a spare that is itself faulty (a fault naming its serial) is never offered; a spare with a warning is, with the warning', () => {
  const faulty = device('fp-spare-bad', null);
  faulty.openFaults = [
    { faultId: 'f1', code: 'FINGERPRINT_FAULT', status: 'fault', message: { id: 'rusak', en: 'broken' }, since: '2026-12-01T00:00:00Z' },
  ];
  const warned = device('fp-spare-warn', null);
  warned.openFaults = [
    { faultId: 'f2', code: 'FINGERPRINT_SLOW', status: 'warning', message: { id: 'lambat', en: 'slow' }, since: '2026-12-01T00:00:00Z' },
  ];
  const unknown = device('fp-spare-unknown', null);
  unknown.openFaults = [
    { faultId: 'f3', code: 'FINGERPRINT_UNKNOWN', status: 'unknown', message: { id: 'tidak diketahui', en: 'unknown' }, since: '2026-12-01T00:00:00Z' },
  ];
  const ranked = rankCandidates(input([], [faulty, warned, unknown]));
  assert.deepEqual(ids(ranked), ['fp-spare-warn']);
  assert.deepEqual(ranked[0]!.condition.warnings.map((warning) => warning.code), ['FINGERPRINT_SLOW']);
});

test("the only station recording in its kecamatan keeps its device; with a second one recording, it may lend", () => {
  const alone = rankCandidates(input([station('st-suk-a', 'Sukodono')], [device('fp-suk-a', 'st-suk-a')]));
  assert.deepEqual(alone, []);
  const pair = rankCandidates(
    input([station('st-suk-a', 'Sukodono'), station('st-suk-b', 'Sukodono')], [device('fp-suk-a', 'st-suk-a')]),
  );
  assert.deepEqual(ids(pair), ['fp-suk-a']);
  assert.deepEqual(pair[0]!.stillRecording, ['Loket st-suk-b']);
});

test("the broken station's own kecamatan: its other station is the kecamatan's only one recording, never stripped", () => {
  const ranked = rankCandidates(input([station('st-tangen-b', 'Tangen')], [device('fp-tangen-b', 'st-tangen-b')]));
  assert.deepEqual(ranked, []);
});

test('a station that has lent its scanner today does not keep its kecamatan recording (two faults, two accepts)', () => {
  // Sukodono has two stations. This morning st-suk-a lent its scanner (the device moved to the
  // borrower, an open loan from st-suk-a); the board still says st-suk-a can record until its next
  // heartbeat. Lending st-suk-b's scanner now would leave Sukodono with no scanner at all.
  const stations = [
    station('st-suk-a', 'Sukodono', { lentRoles: ['fingerprint'] }),
    station('st-suk-b', 'Sukodono'),
  ];
  const ranked = rankCandidates(input(stations, [device('fp-suk-b', 'st-suk-b')]));
  assert.deepEqual(ranked, [], 'st-suk-b is now the only station of Sukodono with a scanner');
  // A loan of another role from st-suk-a does not matter for a scanner.
  stations[0] = station('st-suk-a', 'Sukodono', { lentRoles: ['camera'] });
  assert.deepEqual(ids(rankCandidates(input(stations, [device('fp-suk-b', 'st-suk-b')]))), ['fp-suk-b']);
});

test('a device on loan already, a removed device and a device of a station not known are never offered', () => {
  const ranked = rankCandidates(
    input(
      [station('st-suk-a', 'Sukodono'), station('st-suk-b', 'Sukodono')],
      [
        device('fp-lent', null, { loanId: 'pp-1' }),
        device('fp-removed', null, { status: 'removed' }),
        device('fp-elsewhere', 'st-of-another-district'),
        device('fp-suk-a', 'st-suk-a', { loanId: 'pp-2' }),
      ],
    ),
  );
  assert.deepEqual(ranked, []);
});

test('odd distances: a table entry wins even when far; a missing office is "unknown" and ranked last', () => {
  const table = [{ from: 'Sukodono', to: 'Tangen', roadKm: 2000, minutes: null }];
  const far = travelBetween('Tangen', 'Sukodono', COORDINATES, table);
  assert.deepEqual([far.source, far.km, far.minutes], ['table', 2000, 3000]);
  const unknown = travelBetween('Tangen', 'Nowhere', COORDINATES, []);
  assert.deepEqual([unknown.source, unknown.km, unknown.minutes], ['unknown', null, null]);
  const ranked = rankCandidates({
    ...input(
      [station('st-x', 'Nowhere', { closedToday: true, state: 'closed' }), station('st-suk-a', 'Sukodono', { closedToday: true, state: 'closed' })],
      [device('fp-x', 'st-x'), device('fp-suk-a', 'st-suk-a'), device('fp-spare', null)],
    ),
    map: { coordinates: COORDINATES, distances: table },
  });
  assert.deepEqual(ids(ranked), ['fp-spare', 'fp-suk-a', 'fp-x']);
  assert.equal(ranked[2]!.travel.source, 'unknown');
});
