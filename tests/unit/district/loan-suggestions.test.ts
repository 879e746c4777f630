// The ranking of loan suggestions on a small district map (five kecamatan of Sragen with their
// offices' coordinates and a partial distance table): the table wins over the estimate, a closed
// station's device ranks, a station recording today keeps its only device, a spare of another role
// never appears, and no device with an open fault, of a station that cannot record, or of the
// broken station itself is ever suggested. Plus the great-circle arithmetic.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DeviceView } from '../../../district/dash-api';
import type {
  DeviceFacts,
  RankInput,
  StationFacts,
} from '../../../district/server/inventory/loan-suggestions';
import { rankCandidates } from '../../../district/server/inventory/loan-suggestions';
import type { Coordinates, DistanceEntry } from '../../../district/server/inventory/travel';
import { greatCircleKm, ROAD_FACTOR, travelBetween } from '../../../district/server/inventory/travel';

/** Kecamatan offices (approximate) and the district office ('') in Sragen Kota. */
const COORDINATES = new Map<string, Coordinates>([
  ['', { latitude: -7.4265, longitude: 111.0219 }],
  ['Tangen', { latitude: -7.3703, longitude: 111.0905 }],
  ['Sambungmacan', { latitude: -7.3612, longitude: 111.1547 }],
  ['Gemolong', { latitude: -7.3944, longitude: 110.8325 }],
  ['Sukodono', { latitude: -7.3189, longitude: 111.0296 }],
]);
/** Masaran's office has no coordinates yet. The table knows Tangen-Gemolong by a new road. */
const TABLE: DistanceEntry[] = [{ from: 'Gemolong', to: 'Tangen', roadKm: 12, minutes: 18 }];

const BROKEN = 'st-tangen-1';

function station(id: string, kecamatan: string, overrides: Partial<StationFacts> = {}): StationFacts {
  return {
    stationId: id,
    name: `Loket ${id.slice(-1)}`,
    kecamatan,
    state: 'can-record',
    lastRecording: 'yes',
    roleStatus: { fingerprint: 'ok', camera: 'ok' },
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

function district(overrides: { stations?: StationFacts[]; devices?: DeviceFacts[] } = {}): RankInput {
  return {
    fault: { stationId: BROKEN, kecamatan: 'Tangen', role: 'fingerprint' },
    stations: overrides.stations ?? [
      station(BROKEN, 'Tangen', { state: 'cannot-record', lastRecording: 'no', blockingFault: true }),
      station('st-gemolong-1', 'Gemolong', { state: 'closed', closedToday: true }),
      station('st-sambungmacan-1', 'Sambungmacan', { state: 'closed', closedToday: true }),
      station('st-sukodono-1', 'Sukodono'),
      station('st-masaran-1', 'Masaran', { state: 'closed', closedToday: true }),
    ],
    devices: overrides.devices ?? [
      device('fp-tangen', BROKEN),
      device('fp-gemolong', 'st-gemolong-1'),
      device('fp-sambungmacan', 'st-sambungmacan-1'),
      device('fp-sukodono', 'st-sukodono-1'),
      device('fp-masaran', 'st-masaran-1'),
      device('fp-spare', null),
      device('cam-spare', null, { role: 'camera', vendor: 'Canon', model: 'EOS' }),
      device('unknown-spare', null, { role: null }),
    ],
    map: { coordinates: COORDINATES, distances: TABLE },
  };
}

const ids = (input: RankInput): string[] => rankCandidates(input).map((candidate) => candidate.device.id);

test('great-circle distance: Monas (Jakarta) to Gedung Sate (Bandung) is about 119 km', () => {
  const km = greatCircleKm(
    { latitude: -6.1754, longitude: 106.8272 },
    { latitude: -6.9025, longitude: 107.6186 },
  );
  assert.ok(km > 115 && km < 122, `${km} km`);
  assert.equal(greatCircleKm(COORDINATES.get('Tangen')!, COORDINATES.get('Tangen')!), 0);
});

test('the table wins over the estimate, in either order of the pair; without an entry it is an estimate', () => {
  const table = travelBetween('Tangen', 'Gemolong', COORDINATES, TABLE);
  assert.deepEqual([table.source, table.km, table.minutes, table.minutesFromTable], ['table', 12, 18, true]);
  assert.deepEqual(travelBetween('Gemolong', 'Tangen', COORDINATES, TABLE).minutes, 18);
  const estimate = travelBetween('Tangen', 'Sambungmacan', COORDINATES, TABLE);
  assert.equal(estimate.source, 'estimate');
  assert.ok(estimate.straightKm! > 6 && estimate.straightKm! < 8, `${estimate.straightKm}`);
  assert.equal(estimate.km, Number((estimate.straightKm! * ROAD_FACTOR).toFixed(1)));
  // Straight line Tangen-Gemolong is ~28 km: the estimate would be ~40 km, the table says 12.
  assert.ok(table.straightKm! > 25);
  // Km only in the table: minutes at the assumed speed, not marked as the table's.
  const kmOnly = travelBetween('Tangen', 'Sukodono', COORDINATES, [
    { from: 'Sukodono', to: 'Tangen', roadKm: 20, minutes: null },
  ]);
  assert.deepEqual(
    [kmOnly.source, kmOnly.km, kmOnly.minutes, kmOnly.minutesFromTable],
    ['table', 20, 30, false],
  );
  assert.equal(travelBetween('Tangen', 'Masaran', COORDINATES, TABLE).source, 'unknown');
  assert.equal(travelBetween('Tangen', 'Tangen', COORDINATES, TABLE).source, 'same-kecamatan');
  assert.equal(travelBetween(null, 'Tangen', COORDINATES, TABLE).source, 'estimate');
});

test('nearest first: the table puts Gemolong (straight line ~28 km) before the spare; unknown distance last', () => {
  const ranked = rankCandidates(district());
  assert.deepEqual(
    ranked.map((candidate) => [candidate.rank, candidate.device.id, candidate.kind, candidate.travel.source]),
    [
      [1, 'fp-sambungmacan', 'closed-today', 'estimate'],
      [2, 'fp-gemolong', 'closed-today', 'table'],
      [3, 'fp-spare', 'spare', 'estimate'],
      [4, 'fp-masaran', 'closed-today', 'unknown'],
    ],
  );
  // Without the entry, Gemolong is an estimate of about 40 km and falls behind the spare (~14 km).
  const none = district();
  none.map = { coordinates: COORDINATES, distances: [] };
  const order = rankCandidates(none).map((candidate) => [candidate.device.id, candidate.travel.source]);
  assert.deepEqual(order, [
    ['fp-sambungmacan', 'estimate'],
    ['fp-spare', 'estimate'],
    ['fp-gemolong', 'estimate'],
    ['fp-masaran', 'unknown'],
  ]);
  // A faster entry in the table puts it first.
  const faster = district();
  faster.map = {
    coordinates: COORDINATES,
    distances: [{ from: 'Tangen', to: 'Gemolong', roadKm: null, minutes: 5 }],
  };
  assert.deepEqual(ids(faster)[0], 'fp-gemolong');
  // At the same distance a spare comes before a station's device (nobody loses anything).
  const same = district();
  same.map = {
    coordinates: COORDINATES,
    distances: [
      { from: 'Tangen', to: null, roadKm: null, minutes: 10 },
      { from: 'Tangen', to: 'Sambungmacan', roadKm: null, minutes: 10 },
    ],
  };
  assert.deepEqual(ids(same).slice(0, 2), ['fp-spare', 'fp-sambungmacan']);
});

test('a closed station lends; a station recording today keeps its only device; a second recording station frees it', () => {
  assert.ok(ids(district()).includes('fp-gemolong'), 'closed today');
  assert.ok(!ids(district()).includes('fp-sukodono'), 'the only station of Sukodono records today');
  const base = district();
  const withSecond = district({
    stations: [...base.stations, station('st-sukodono-2', 'Sukodono')],
    devices: [...base.devices, device('fp-sukodono-2', 'st-sukodono-2')],
  });
  const idle = rankCandidates(withSecond).filter((candidate) => candidate.kind === 'idle');
  assert.deepEqual(
    idle.map((candidate) => [candidate.device.id, candidate.stillRecording]),
    [
      ['fp-sukodono', ['Loket 2']],
      ['fp-sukodono-2', ['Loket 1']],
    ],
  );
  // The other station only counts when it can record now.
  const silentSecond = district({
    stations: [...base.stations, station('st-sukodono-2', 'Sukodono', { state: 'no-news' })],
    devices: [...base.devices],
  });
  assert.ok(!ids(silentSecond).includes('fp-sukodono'));
});

test('a spare of another role, or of no role, never appears', () => {
  const found = ids(district());
  assert.ok(found.includes('fp-spare'));
  assert.ok(!found.includes('cam-spare'));
  assert.ok(!found.includes('unknown-spare'));
  const camera = district();
  camera.fault = { ...camera.fault, role: 'camera' };
  assert.deepEqual(
    ids(camera).filter((id) => id.endsWith('spare')),
    ['cam-spare'],
  );
});

test("never: an open fault, a station that cannot record, a role not usable, a device on loan, the broken station's own", () => {
  const input = district();
  const found = ids(input);
  assert.ok(!found.includes('fp-tangen'), "the broken station's own device");
  const faulty = district();
  const gemolong = faulty.devices.find((facts) => facts.device.id === 'fp-gemolong')!;
  gemolong.openFaults = [
    {
      faultId: 'f9',
      code: 'FINGERPRINT_NOT_RESPONDING',
      status: 'fault',
      message: { id: 'x', en: 'x' },
      since: 'x',
    },
  ];
  assert.ok(!ids(faulty).includes('fp-gemolong'), 'open fault');
  gemolong.openFaults = [
    {
      faultId: 'w1',
      code: 'FINGERPRINT_UNIT_REPLACED',
      status: 'warning',
      message: { id: 'w', en: 'w' },
      since: 's',
    },
  ];
  const warned = rankCandidates(faulty).find((candidate) => candidate.device.id === 'fp-gemolong');
  assert.deepEqual(
    warned?.condition.warnings.map((warning) => warning.code),
    ['FINGERPRINT_UNIT_REPLACED'],
  );
  assert.deepEqual(warned?.condition.lastVerdict, { status: 'ok', at: '2026-12-02T01:00:00.000Z' });

  const unable = district();
  unable.stations = unable.stations.map((facts) =>
    facts.stationId === 'st-gemolong-1' ? { ...facts, lastRecording: 'no' } : facts,
  );
  assert.ok(!ids(unable).includes('fp-gemolong'), 'its last word: cannot record');
  unable.stations = unable.stations.map((facts) =>
    facts.stationId === 'st-gemolong-1' ? { ...facts, lastRecording: 'yes', blockingFault: true } : facts,
  );
  assert.ok(!ids(unable).includes('fp-gemolong'), 'a fault there stops recording');

  const notUsable = district();
  notUsable.stations = notUsable.stations.map((facts) =>
    facts.stationId === 'st-sambungmacan-1' ? { ...facts, roleStatus: { fingerprint: 'unknown' } } : facts,
  );
  assert.ok(!ids(notUsable).includes('fp-sambungmacan'), 'its role was not usable in the last heartbeat');

  const lent = district();
  lent.devices.find((facts) => facts.device.id === 'fp-spare')!.device.loanId = 'pp-1';
  assert.ok(!ids(lent).includes('fp-spare'), 'on loan already');
  const removed = district();
  removed.devices.find((facts) => facts.device.id === 'fp-masaran')!.device.status = 'removed';
  assert.ok(!ids(removed).includes('fp-masaran'), 'removed from its station');
});

test('an empty district, or nothing of the role, suggests nothing', () => {
  assert.deepEqual(rankCandidates(district({ stations: [], devices: [] })), []);
  const iris = district();
  iris.fault = { ...iris.fault, role: 'iris' };
  assert.deepEqual(rankCandidates(iris), []);
});
