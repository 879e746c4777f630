// The board tells the truth by the district's clock, with signed requests against a real SQLite
// district: a station whose clock is an hour slow can record; one whose clock jumped a year ahead
// and went quiet has "no news" after the window; outside service hours silence is "closed" with the
// next opening; stations never enrolled are "not active yet" and counted nowhere; the summary line;
// figures count service hours only; the calendar set by an admin; /publik as light HTML.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { Board, Figures, PublicBoard, ServiceCalendar } from '../../../district/dash-api';
import { addStation } from '../../../district/server/stations/stations';
import {
  addStaff,
  HEALTHY,
  heartbeat,
  login,
  postEvents,
  STAFF,
  staffHeaders,
  staffPost,
} from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Monday 3 March 2025, 10:00 WIB: within the default service hours. */
const T0 = Date.UTC(2025, 2, 3, 3, 0);
let clock = T0;
let district: TestDistrict;
let admin: Login;
let viewer: Login;
const slow = new TestStation();
const ahead = new TestStation();
const broken = new TestStation();
const masaran = new TestStation();

before(async () => {
  district = await startTestDistrict({ now: () => clock, dashboard: { districtName: 'Disdukcapil Uji' } });
  await addStaff(district.db);
  await slow.enroll(district, 'Loket 1', 'Sragen Kota');
  await ahead.enroll(district, 'Loket 1', 'Gemolong');
  await broken.enroll(district, 'Loket 1', 'Tangen');
  await masaran.enroll(district, 'Loket 1', 'Masaran');
  await addStation(district.db, { name: 'Loket 1', kecamatan: 'Plupuh', nowMs: T0 });
  await addStation(district.db, { name: 'Loket 2', kecamatan: 'Masaran', nowMs: T0 });
});
after(async () => {
  await district?.close();
});

async function get<T>(url: string, session?: Login): Promise<T> {
  session ??= viewer ??= await login(district.app, STAFF.viewer);
  const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json() as T;
}

async function post(url: string, body: unknown, session: Login, status = 200): Promise<unknown> {
  return staffPost(district.app, url, body, session, status);
}

const stationOf = (board: Board, station: TestStation) =>
  board.kecamatan
    .flatMap((kecamatan) => kecamatan.stations)
    .find((candidate) => candidate.stationId === station.stationId)!;
const kecamatanOf = (board: Board, name: string) =>
  board.kecamatan.find((kecamatan) => kecamatan.name === name)!;

test('liveness is the district receive time: an hour-slow clock can record, a year-ahead clock gone quiet has no news', async () => {
  await postEvents(district, ahead, [heartbeat(ahead, T0 + 365 * DAY, HEALTHY)], clock);
  for (let minute = 0; minute <= 14; minute++) {
    clock = T0 + minute * MINUTE;
    await postEvents(district, slow, [heartbeat(slow, clock - HOUR, HEALTHY)], clock);
    await postEvents(
      district,
      broken,
      [heartbeat(broken, clock, { ...HEALTHY, fingerprint: 'fault' })],
      clock,
    );
    await postEvents(district, masaran, [heartbeat(masaran, clock, HEALTHY)], clock);
  }
  const board = await get<Board>('/api/dash/board');
  const slowStatus = stationOf(board, slow);
  assert.deepEqual(
    [
      slowStatus.state,
      slowStatus.canRecord,
      slowStatus.silent,
      slowStatus.lastHeardAt,
      slowStatus.lastHeartbeatAt,
    ],
    ['can-record', true, false, new Date(clock).toISOString(), new Date(clock - HOUR).toISOString()],
  );
  assert.equal(slowStatus.clockOffsetMs, HOUR, 'the measured offset: the station clock is an hour behind');
  const aheadStatus = stationOf(board, ahead);
  assert.deepEqual(
    [aheadStatus.state, aheadStatus.canRecord, aheadStatus.lastHeardAt, aheadStatus.clockOffsetMs],
    ['no-news', false, new Date(T0).toISOString(), -365 * DAY],
  );
  assert.equal(stationOf(board, broken).state, 'cannot-record');
  assert.equal(stationOf(board, masaran).state, 'can-record');
  assert.equal(kecamatanOf(board, 'Gemolong').state, 'no-news');
  assert.equal(kecamatanOf(board, 'Gemolong').lastHeardAt, new Date(T0).toISOString());

  // Back with a correct clock: its heartbeat is "older" than the year-ahead one, and counts.
  await postEvents(district, ahead, [heartbeat(ahead, clock, HEALTHY)], clock);
  const back = stationOf(await get<Board>('/api/dash/board'), ahead);
  assert.deepEqual([back.state, back.lastHeartbeatAt], ['can-record', new Date(clock).toISOString()]);
});

test('stations never enrolled are "not active yet": their own list, not on the board, not in the summary', async () => {
  clock = T0 + 14 * MINUTE;
  await postEvents(district, ahead, [heartbeat(ahead, clock, { ...HEALTHY, iris: 'fault' })], clock);
  const board = await get<Board>('/api/dash/board');
  assert.deepEqual(
    board.kecamatan.map((kecamatan) => kecamatan.name),
    ['Gemolong', 'Masaran', 'Sragen Kota', 'Tangen'],
  );
  assert.deepEqual(board.notActive.map((station) => `${station.kecamatan}/${station.name}`).sort(), [
    'Masaran/Loket 2',
    'Plupuh/Loket 1',
  ]);
  assert.equal(kecamatanOf(board, 'Masaran').stations.length, 1);
  assert.deepEqual(board.summary, {
    canRecord: 2,
    total: 4,
    cannot: ['Gemolong', 'Tangen'],
    noNews: [],
    closed: [],
    dataAt: new Date(clock).toISOString(),
  });
  const publicBoard = (await district.app.inject({ url: '/api/public/board' })).json() as PublicBoard;
  assert.deepEqual(
    publicBoard.kecamatan.map((kecamatan) => [kecamatan.name, kecamatan.state]),
    [
      ['Gemolong', 'cannot-record'],
      ['Masaran', 'can-record'],
      ['Sragen Kota', 'can-record'],
      ['Tangen', 'cannot-record'],
    ],
  );
  const html = (await district.app.inject({ url: '/publik' })).body;
  const order = ['Gemolong', 'Tangen', 'Masaran', 'Sragen Kota'].map((name) =>
    html.indexOf(`>${name}</span>`),
  );
  assert.deepEqual(
    [...order].sort((left, right) => left - right),
    order,
    'the page lists those that cannot record first',
  );
  await postEvents(district, ahead, [heartbeat(ahead, clock, HEALTHY)], clock);
});

test('outside service hours a silent station is closed, with the next opening; no news when the office opens', async () => {
  clock = T0 + 10 * HOUR; // Monday 20:00 WIB
  const board = await get<Board>('/api/dash/board');
  assert.deepEqual(
    board.kecamatan.map((kecamatan) => [kecamatan.state, kecamatan.open, kecamatan.nextOpening]),
    Array(4).fill(['closed', false, new Date(T0 + 22 * HOUR).toISOString()]),
  );
  assert.equal(stationOf(board, slow).state, 'closed');
  assert.deepEqual([board.summary.canRecord, board.summary.closed.length], [0, 4]);

  clock = T0 + 23 * HOUR; // Tuesday 09:00 WIB: nobody heard since Monday 10:14
  viewer = await login(district.app, STAFF.viewer); // sessions last 16 hours
  const morning = await get<Board>('/api/dash/board');
  assert.deepEqual(
    morning.kecamatan.map((kecamatan) => kecamatan.state),
    ['no-news', 'no-news', 'no-news', 'no-news'],
  );
  assert.deepEqual(morning.summary.noNews, ['Gemolong', 'Masaran', 'Sragen Kota', 'Tangen']);
});

test('figures count service hours only, on the district clock, and leave out stations not active', async () => {
  clock = T0 + 10 * HOUR; // Monday 20:00 WIB
  viewer = await login(district.app, STAFF.viewer);
  const figures = await get<Figures>('/api/dash/figures?months=1');
  assert.deepEqual(figures.kecamatan, ['Gemolong', 'Masaran', 'Sragen Kota', 'Tangen']);
  const hours = figures.months[0].hoursUnable;
  // Tangen could not record from 10:00 to closing at 15:00; the evening does not count.
  assert.equal(hours.Tangen, 5);
  // Heard every minute until 10:14 (the slow clock on the district clock), no news from 10:24 to 15:00.
  assert.deepEqual([hours['Sragen Kota'], hours.Masaran], [4.6, 4.6]);
  // The year-ahead clock, heard at 10:00 and 10:14 (district clock): also silent 10:10-10:14.
  assert.equal(hours.Gemolong, 4.7);
});

test('an admin sets the time zone, service hours and closed days; others may not; bad input is refused', async () => {
  clock = T0 + 10 * HOUR; // Monday 20:00 WIB
  admin = await login(district.app, STAFF.admin);
  viewer = await login(district.app, STAFF.viewer);
  await post('/api/dash/calendar/closed-days', { date: '2025-03-04', note: 'Libur' }, viewer, 403);
  await post('/api/dash/calendar/hours', { week: { mon: ['15:00-08:00'] } }, admin, 400);
  await post('/api/dash/calendar/hours', { kecamatan: 'Tangenn', week: null }, admin, 404);
  await post('/api/dash/calendar/time-zone', { timeZone: 'UTC' }, admin, 400);
  await post('/api/dash/calendar/closed-days', { date: '2025-03-04', note: 'Isra Mikraj' }, admin);
  await post(
    '/api/dash/calendar/hours',
    {
      kecamatan: 'Tangen',
      week: { mon: [], tue: ['08:00-12:00'], wed: [], thu: [], fri: [], sat: [], sun: [] },
    },
    admin,
  );
  let board = await get<Board>('/api/dash/board');
  assert.equal(
    kecamatanOf(board, 'Gemolong').nextOpening,
    new Date(T0 + 46 * HOUR).toISOString(),
    'Wednesday 08:00',
  );
  assert.equal(
    kecamatanOf(board, 'Tangen').nextOpening,
    new Date(T0 + 7 * DAY + 22 * HOUR).toISOString(),
    'next Tuesday',
  );

  await post('/api/dash/calendar/time-zone', { timeZone: 'WITA' }, admin);
  board = await get<Board>('/api/dash/board');
  assert.equal(board.timeZone, 'WITA');
  assert.equal(kecamatanOf(board, 'Gemolong').nextOpening, new Date(T0 + 45 * HOUR).toISOString());
  const calendar = await get<ServiceCalendar>('/api/dash/calendar');
  assert.deepEqual(calendar.closedDays, [{ date: '2025-03-04', kecamatan: null, note: 'Isra Mikraj' }]);
  assert.deepEqual(
    calendar.kecamatan.map((entry) => entry.name),
    ['Tangen'],
  );

  await post('/api/dash/calendar/closed-days', { date: '2025-03-04', remove: true }, admin);
  await post('/api/dash/calendar/closed-days', { date: '2025-03-04', remove: true }, admin, 404);
  await post('/api/dash/calendar/hours', { kecamatan: 'Tangen', week: null }, admin);
  await post('/api/dash/calendar/time-zone', { timeZone: 'WIB' }, admin);
  const reset = await get<Board>('/api/dash/board');
  assert.equal(kecamatanOf(reset, 'Tangen').nextOpening, new Date(T0 + 22 * HOUR).toISOString());
  const audit = await get<{ action: string }[]>('/api/dash/audit', admin);
  assert.ok(
    audit.some((entry) => entry.action === 'calendar.closed-day'),
    'changes are audited',
  );
});

test('/publik is light HTML: gzip under 2 KB, cached 30 s with an ETag, trailing slash, favicon; the states in words', async () => {
  clock = T0 + 10 * HOUR; // Monday 20:00 WIB: closed
  const response = await district.app.inject({ url: '/publik', headers: { 'accept-encoding': 'gzip' } });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-encoding'], 'gzip');
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(String(response.headers['cache-control']), /max-age=30/);
  const bytes = response.rawPayload.length;
  console.log(`/publik: ${bytes} bytes gzip over the wire`);
  assert.ok(bytes < 2048, `/publik is ${bytes} bytes gzip`);
  const html = gunzipSync(response.rawPayload).toString('utf8');
  assert.ok(!/<script/i.test(html), 'no script');
  assert.match(
    html,
    /<li class="closed"><span class="name">Tangen<\/span> <span class="badge">◌ Kantor tutup · buka Selasa, 4 Maret pukul 08\.00 WIB<\/span>/,
  );
  assert.match(
    html,
    /0 dari 4 kecamatan bisa merekam sekarang; tutup: Gemolong, Masaran, Sragen Kota, Tangen/,
  );
  assert.ok(!html.includes('Plupuh') && !html.includes('Loket'), 'not active and internals left out');

  const again = await district.app.inject({
    url: '/publik/',
    headers: { 'if-none-match': String(response.headers.etag) },
  });
  assert.equal(again.statusCode, 304);
  const brotli = await district.app.inject({
    url: '/publik/?lang=en',
    headers: { 'accept-encoding': 'br, gzip' },
  });
  assert.equal(brotli.headers['content-encoding'], 'br');

  clock = T0 + 23 * HOUR; // Tuesday 09:00 WIB: no news since Monday
  const plain = (await district.app.inject({ url: '/publik?lang=en' })).body;
  assert.match(plain, /<html lang="en">/);
  assert.match(plain, /\? No news since Monday 3 March at 10:14 WIB · may not be able to record/);
  clock = T0 + 23 * HOUR + MINUTE;
  await postEvents(district, broken, [heartbeat(broken, clock, { ...HEALTHY, fingerprint: 'fault' })], clock);
  await postEvents(district, masaran, [heartbeat(masaran, clock, HEALTHY)], clock);
  const morning = (await district.app.inject({ url: '/publik' })).body;
  assert.match(
    morning,
    /<li class="cannot-record"><span class="name">Tangen<\/span> <span class="badge">✖ Tidak bisa merekam hari ini/,
  );
  assert.match(
    morning,
    /<li class="can-record"><span class="name">Masaran<\/span> <span class="badge">✔ Bisa merekam/,
  );
  assert.match(
    morning,
    /1 dari 4 kecamatan bisa merekam sekarang; tidak bisa: Tangen; tanpa kabar: Gemolong, Sragen Kota/,
  );
  assert.ok(morning.indexOf('Tangen') < morning.indexOf('Masaran</span>'), 'cannot record first');

  const icon = await district.app.inject({ url: '/favicon.ico' });
  assert.equal(icon.statusCode, 200);
  assert.match(String(icon.headers['content-type']), /^image\//);
  assert.ok(icon.rawPayload.length > 0);
});

test('/publik escapes every name', async () => {
  const hostile = new TestStation();
  await hostile.enroll(district, 'Loket 1', '<script>alert("x")</script> & Co');
  const html = (await district.app.inject({ url: '/publik' })).body;
  assert.ok(!html.includes('<script>alert'), 'no markup from a name');
  assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co'));
});
