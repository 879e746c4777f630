// The dashboard's pure view logic: station states and the summary line (from the server's fields),
// the chart geometry, and audit rows as sentences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry, Board, KecamatanStatus, StationStatus } from '../../../../district/dash-api';
import { translator } from '../../../../protocol/i18n';
import { auditSentence } from '../../../../district/web/audit-sentence';
import {
  boardSummary,
  kecamatanInOrder,
  kecamatanState,
  stationState,
} from '../../../../district/web/board-view';
import { layoutBars } from '../../../../district/web/charts';

const station = (overrides: Partial<StationStatus>): StationStatus => ({
  stationId: 's',
  name: 'Loket 1',
  kecamatan: 'Tangen',
  enrolled: true,
  state: 'can-record',
  lastHeardAt: '2026-03-02T00:40:00Z',
  lastHeartbeatAt: '2026-03-02T00:40:00Z',
  clockOffsetMs: 0,
  silent: false,
  canRecord: true,
  canPrint: true,
  recording: 'yes',
  printing: 'yes',
  appVersion: null,
  queueDepth: null,
  problems: [],
  activeFaults: 0,
  hiddenFaults: 0,
  forecasts: [],
  hiddenForecasts: 0,
  ...overrides,
});
const kecamatan = (name: string, state: KecamatanStatus['state'], stations: StationStatus[]): KecamatanStatus => ({
  name,
  state,
  open: state !== 'closed',
  nextOpening: null,
  lastHeardAt: null,
  canRecord: state === 'can-record',
  canPrint: true,
  stationsAbleToRecord: stations.filter((entry) => stationState(entry) === 'can-record').length,
  stations,
});

test('the board shows the server’s states and summary: kecamatan that cannot record first, then no news', () => {
  const list = [
    kecamatan('Gemolong', 'can-record', [station({})]),
    kecamatan('Sragen', 'closed', [station({ state: 'closed', silent: true, canRecord: false })]),
    kecamatan('Tangen', 'cannot-record', [station({ state: 'cannot-record', canRecord: false })]),
    kecamatan('Kalijambe', 'no-news', [station({ state: 'no-news', silent: true, canRecord: false })]),
  ];
  const summary = {
    canRecord: 1,
    total: 4,
    cannot: ['Tangen'],
    noNews: ['Kalijambe'],
    closed: ['Sragen'],
    dataAt: '2026-03-02T00:42:00Z',
  };
  const data: Board = {
    generatedAt: '2026-03-02T00:42:00Z',
    heartbeatWindowMs: 600_000,
    timeZone: 'WIB',
    summary,
    notActive: [],
    kecamatan: list,
    districtForecasts: [],
    hiddenDistrictForecasts: 0,
  };
  assert.deepEqual(boardSummary(data), summary);
  assert.deepEqual(
    kecamatanInOrder(data).map((entry) => entry.name),
    ['Tangen', 'Kalijambe', 'Gemolong', 'Sragen'],
  );
  assert.deepEqual(kecamatanInOrder(data).map(kecamatanState), [
    'cannot-record',
    'no-news',
    'can-record',
    'closed',
  ]);
  assert.equal(stationState(list[1].stations[0]), 'closed');
});

test('bars share one scale; null draws no bar; all zero is an empty chart', () => {
  const layout = layoutBars([
    [0, 10, 5],
    [null, 20, 0],
  ]);
  assert.equal(layout.groups.length, 3);
  const [first, second] = layout.groups[1].bars;
  assert.equal(second.height, 2 * first.height);
  assert.equal(second.y, layout.baseline - second.height);
  assert.equal(layout.groups[0].bars[1].height, 0);
  assert.equal(layout.groups[0].bars[1].value, null);
  assert.ok(first.x + first.width <= second.x, 'bars of a group do not overlap');
  assert.equal(layout.empty, false);
  assert.equal(
    layoutBars([
      [0, 0],
      [null, null],
    ]).empty,
    true,
  );
});

test('an audit row reads as a sentence with names, in the chosen language', () => {
  const entry: AuditEntry = {
    id: 'a',
    at: '2026-03-02T02:12:00Z',
    username: 'budi',
    action: 'fault.repair',
    target: 'st-7f3a/fp-1',
    detail: { type: 'repair', assignee: 'Pak Joko', note: '' },
    ip: '10.0.0.5',
    actorName: 'Budi',
    actorRole: 'technician',
    station: { name: 'Loket 1', kecamatan: 'Tangen' },
    faultRole: 'fingerprint',
  };
  assert.equal(
    auditSentence(entry, translator('dashboard', 'id')),
    'Budi (teknisi) menandai gangguan Pemindai sidik jari di Kec. Tangen Loket 1 sedang diperbaiki oleh Pak Joko',
  );
  assert.equal(
    auditSentence(entry, translator('dashboard', 'en')),
    'Budi (technician) marked the Fingerprint scanner fault at Loket 1, Kec. Tangen as being repaired by Pak Joko',
  );
  const unknown = auditSentence(
    { ...entry, action: 'something.new', actorName: null, station: null },
    translator('dashboard', 'id'),
  );
  assert.equal(unknown, 'budi: something.new st-7f3a/fp-1');
});
