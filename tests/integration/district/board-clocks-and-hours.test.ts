// The board and /publik attacked with clocks and calendars, against a real SQLite district with
// signed station requests: a station's clock slow, ahead or jumping back never decides whether it
// is alive; service hours end at 15:00 exactly, Friday runs to Monday, a holiday after midnight,
// WIB and WIT on the same instant; a kecamatan with one station that cannot record and one silent
// says "no news" since the silence began, not since the last word from the other station.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { addClosedDay, setServiceWeek, setTimeZone } from '../../../district/server/calendar/store';
import { board } from '../../../district/server/stations/board';
import { addStation } from '../../../district/server/stations/stations';
import { HEALTHY, heartbeat, postEvents } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW = 10 * MINUTE;
/** Monday 2 March 2026, 10:00 WIB. */
const MONDAY_10_WIB = Date.parse('2026-03-02T03:00:00Z');

let clock = MONDAY_10_WIB;
let district: TestDistrict;

// A district of its own for each test: stations and calendars never leak between cases.
beforeEach(async () => {
  clock = MONDAY_10_WIB;
  district = await startTestDistrict({ now: () => clock, dashboard: { heartbeatWindowMs: WINDOW } });
});
afterEach(async () => district.close());

async function enrolled(name: string, kecamatan: string): Promise<TestStation> {
  const station = new TestStation();
  await station.enroll(district, name, kecamatan);
  return station;
}

const boardNow = () => board(district.db, clock, WINDOW);

async function kecamatanOf(name: string) {
  const found = (await boardNow()).kecamatan.find((candidate) => candidate.name === name);
  assert.ok(found, `kecamatan ${name} on the board`);
  return found;
}

async function publicPage(query = ''): Promise<string> {
  const response = await district.app.inject({ method: 'GET', url: `/publik${query}` });
  assert.equal(response.statusCode, 200);
  return response.body;
}

test('a station whose clock is an hour slow, heartbeating now, can record; its offset is shown', async () => {
  const station = await enrolled('Loket 1', 'Tangen');
  await postEvents(district, station, [heartbeat(station, clock - HOUR, HEALTHY)], clock);
  const tangen = await kecamatanOf('Tangen');
  assert.equal(tangen.state, 'can-record');
  assert.equal(tangen.stations[0].lastHeardAt, new Date(clock).toISOString());
  assert.equal(tangen.stations[0].clockOffsetMs, HOUR);
});

test('a station a day ahead that fell silent shows no news after the window, since the district heard it', async () => {
  const station = await enrolled('Loket 1', 'Tangen');
  const heardAt = clock;
  await postEvents(district, station, [heartbeat(station, clock + DAY, HEALTHY)], clock);
  clock += WINDOW + MINUTE;
  const tangen = await kecamatanOf('Tangen');
  assert.equal(tangen.state, 'no-news');
  assert.equal(tangen.lastHeardAt, new Date(heardAt).toISOString());
  assert.match(await publicPage(), /Tidak ada kabar sejak 10\.00 WIB/);
});

test('a station whose clock jumps back a year still reports what it says now', async () => {
  const station = await enrolled('Loket 1', 'Tangen');
  await postEvents(district, station, [heartbeat(station, clock + 365 * DAY, HEALTHY)], clock);
  clock += MINUTE;
  await postEvents(
    district,
    station,
    [heartbeat(station, clock, { ...HEALTHY, fingerprint: 'fault' })],
    clock,
  );
  const tangen = await kecamatanOf('Tangen');
  assert.equal(tangen.state, 'cannot-record');
  assert.equal(tangen.stations[0].clockOffsetMs, 0);
});

test('one station that cannot record and one silent: no news since the silent one was last heard', async () => {
  const broken = await enrolled('Loket 1', 'Tangen');
  const quiet = await enrolled('Loket 2', 'Tangen');
  const quietHeardAt = clock - 2 * HOUR;
  clock = quietHeardAt;
  await postEvents(district, quiet, [heartbeat(quiet, clock, HEALTHY)], clock);
  clock = MONDAY_10_WIB;
  await postEvents(district, broken, [heartbeat(broken, clock, { ...HEALTHY, camera: 'fault' })], clock);
  const tangen = await kecamatanOf('Tangen');
  assert.equal(tangen.state, 'no-news');
  // The other station spoke a moment ago: "no news since 10:00" would be false.
  assert.equal(tangen.lastHeardAt, new Date(quietHeardAt).toISOString());
  const page = await publicPage();
  assert.match(page, /Tidak ada kabar sejak 08\.00 WIB/);
  assert.doesNotMatch(page, /Tidak ada kabar sejak 10\.00/);
});

test('a station enrolled but never heard: no news yet, counted; one never enrolled: apart, counted nowhere', async () => {
  await enrolled('Loket 1', 'Tangen');
  await addStation(district.db, { name: 'Loket 9', kecamatan: 'Gesi' });
  const current = await boardNow();
  assert.deepEqual(
    current.kecamatan.map((kecamatan) => [kecamatan.name, kecamatan.state]),
    [['Tangen', 'no-news']],
  );
  assert.deepEqual(current.notActive.map((station) => station.kecamatan), ['Gesi']);
  assert.equal(current.summary.total, 1);
  const page = await publicPage();
  assert.match(page, /Belum ada kabar/);
  assert.doesNotMatch(page, /Gesi/);
});

test('service hours end at 15:00 exactly: open a second before, closed at 15:00 until Monday 08:00', async () => {
  const station = await enrolled('Loket 1', 'Tangen');
  const friday1459 = Date.parse('2026-03-06T07:59:59Z');
  clock = friday1459;
  await postEvents(district, station, [heartbeat(station, clock, HEALTHY)], clock);
  assert.equal((await kecamatanOf('Tangen')).state, 'can-record');
  clock = friday1459 + 1000;
  const closed = await kecamatanOf('Tangen');
  assert.equal(closed.state, 'closed');
  assert.equal(closed.nextOpening, '2026-03-09T01:00:00.000Z');
  assert.match(await publicPage(), /Kantor tutup · buka Senin, 9 Maret(?: pukul)? 08\.00 WIB/);
});

test('a holiday on Monday moves the opening to Tuesday; the district clock just past midnight is already on it', async () => {
  const station = await enrolled('Loket 1', 'Tangen');
  await addClosedDay(district.db, { date: '2026-03-09', kecamatan: null, note: 'Libur', nowMs: clock });
  // Sunday 23:59 WIB, then Monday 00:00 WIB (the holiday), then Tuesday 08:00 WIB.
  clock = Date.parse('2026-03-08T16:59:00Z');
  assert.equal((await kecamatanOf('Tangen')).nextOpening, '2026-03-10T01:00:00.000Z');
  clock = Date.parse('2026-03-09T03:00:00Z');
  await postEvents(district, station, [heartbeat(station, clock, { ...HEALTHY, camera: 'fault' })], clock);
  const holiday = await kecamatanOf('Tangen');
  assert.equal(holiday.state, 'closed');
  assert.equal(holiday.nextOpening, '2026-03-10T01:00:00.000Z');
  clock = Date.parse('2026-03-10T01:00:00Z');
  assert.equal((await kecamatanOf('Tangen')).state, 'no-news');
});

test('the same instant is before opening in WIB and within hours in WIT', async () => {
  await enrolled('Loket 1', 'Tangen');
  clock = Date.parse('2026-03-02T00:30:00Z');
  const wib = await kecamatanOf('Tangen');
  assert.equal(wib.state, 'closed');
  assert.equal(wib.nextOpening, '2026-03-02T01:00:00.000Z');
  await setTimeZone(district.db, 'WIT', clock);
  const wit = await kecamatanOf('Tangen');
  assert.equal(wit.state, 'no-news');
  assert.equal(wit.nextOpening, null);
  assert.match(await publicPage(), /Data pukul Senin, 2 Maret(?: pukul)? 09\.30 WIT/);
});

test('a station heard only before opening is "no news" within hours, "closed" after them', async () => {
  const station = await enrolled('Loket 1', 'Tangen');
  clock = Date.parse('2026-03-02T00:50:00Z');
  await postEvents(district, station, [heartbeat(station, clock, HEALTHY)], clock);
  assert.equal((await kecamatanOf('Tangen')).state, 'closed');
  clock = Date.parse('2026-03-02T01:05:00Z');
  const opened = await kecamatanOf('Tangen');
  assert.equal(opened.state, 'no-news');
  assert.equal(opened.stations[0].state, 'no-news');
  clock = Date.parse('2026-03-02T09:00:00Z');
  assert.equal((await kecamatanOf('Tangen')).stations[0].state, 'closed');
});

test('a kecamatan with its own Saturday hours is open while the others are closed', async () => {
  const station = await enrolled('Loket 1', 'Tangen');
  await enrolled('Loket 1', 'Gesi');
  await setServiceWeek(district.db, {
    kecamatan: 'Tangen',
    week: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: ['08:00-12:00'], sun: [] },
    nowMs: clock,
  });
  clock = Date.parse('2026-03-07T02:00:00Z');
  await postEvents(district, station, [heartbeat(station, clock, HEALTHY)], clock);
  const current = await boardNow();
  assert.equal(current.summary.canRecord, 1);
  assert.deepEqual(current.summary.closed, ['Gesi']);
});
