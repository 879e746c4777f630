// The district's limits against a real SQLite district: login throttling (atomic counts, growing
// delays, no lock-out of the admin), paced enrollment, security headers on every route, path
// parameters as long as the ids, texts cut in lists and on the board, the board's cap of faults per
// station, and lists a page at a time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AuditEntry, Board, FaultDetail, FaultView } from '../../../district/dash-api';
import { BOARD_FAULTS_PER_STATION, LISTED_TEXT_MAX, MAX_PAGE_SIZE } from '../../../district/dash-api';
import { accountKey, THROTTLE } from '../../../district/server/auth/throttle';
import { addUser } from '../../../district/server/auth/users';
import {
  DATA_CONTENT_SECURITY_POLICY,
  HTML_CONTENT_SECURITY_POLICY,
  STRICT_TRANSPORT_SECURITY,
} from '../../../district/server/security-headers';
import { PATHS } from '../../../protocol/requests';
import {
  addStaff,
  login,
  PASSWORD,
  postEvents,
  STAFF,
  staffHeaders,
  TEST_SCRYPT,
} from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { registeredRoutes, startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { assertAtomicLoginCount } from '../../helpers/login-throttle';

let clock = Date.now();
let district: TestDistrict;
let admin: Login;
const station = new TestStation();

before(async () => {
  district = await startTestDistrict({ now: () => clock, trustProxy: '127.0.0.1' });
  await addStaff(district.db);
  admin = await login(district.app, STAFF.admin);
  await station.enroll(district, 'Loket 1', 'Sragen Kota');
});
after(async () => {
  await district?.close();
});

const loginFrom = (address: string, username: string, password: string) =>
  district.app.inject({
    method: 'POST',
    url: '/api/dash/login',
    remoteAddress: address,
    payload: { username, password },
  });

async function get<T>(url: string): Promise<T> {
  const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(admin) });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  return response.json() as T;
}

test('40 concurrent wrong passwords: all 40 counted, 5 checked, 35 refused with 429 and Retry-After', async () => {
  await assertAtomicLoginCount(district.db, clock);
  const answers = await Promise.all(
    Array.from({ length: 40 }, () => loginFrom('10.0.0.1', STAFF.admin, 'salah-salah-salah')),
  );
  const statuses = answers.map((answer) => answer.statusCode);
  assert.equal(statuses.filter((status) => status === 401).length, THROTTLE.freePerAccount);
  assert.equal(statuses.filter((status) => status === 429).length, 40 - THROTTLE.freePerAccount);
  for (const refused of answers.filter((answer) => answer.statusCode === 429)) {
    assert.equal((refused.json() as { error: string }).error, 'too-many-attempts');
    assert.ok(Number(refused.headers['retry-after']) >= 1, String(refused.headers['retry-after']));
  }
  const [row] = await district.db.query<{ failures: number | string }>(
    'SELECT failures FROM login_throttle WHERE key = $1',
    [accountKey(STAFF.admin, '10.0.0.1')],
  );
  assert.equal(Number(row.failures), 40);
  // Even the right password waits at the flooded address ...
  assert.equal((await loginFrom('10.0.0.1', STAFF.admin, PASSWORD)).statusCode, 429);
  // ... and so does a colleague there (the address spent its budget of failures) ...
  assert.equal((await loginFrom('10.0.0.1', STAFF.viewer, PASSWORD)).statusCode, 429);
  // ... but the admin at her own desk gets in: nobody can lock her out from elsewhere.
  assert.equal((await loginFrom('10.0.0.2', STAFF.admin, PASSWORD)).statusCode, 200);
  // The wait ends: after it, an attempt is checked again (and a right one clears the count).
  const retryAfterMs =
    Number((await loginFrom('10.0.0.1', STAFF.admin, PASSWORD)).headers['retry-after']) * 1000;
  assert.ok(retryAfterMs <= THROTTLE.maxDelayMs);
  clock += retryAfterMs;
  assert.equal((await loginFrom('10.0.0.1', STAFF.admin, PASSWORD)).statusCode, 200);
  assert.equal(
    (
      await district.db.query('SELECT 1 FROM login_throttle WHERE key = $1', [
        accountKey(STAFF.admin, '10.0.0.1'),
      ])
    ).length,
    0,
  );
});

test('an office logging in all day from one address is never throttled: only failures use up its budget', async () => {
  for (let attempt = 0; attempt < THROTTLE.freePerAddress * 2; attempt += 1) {
    const answer = await loginFrom('10.0.5.1', attempt % 2 === 0 ? STAFF.viewer : STAFF.technician, PASSWORD);
    assert.equal(answer.statusCode, 200, `login ${attempt + 1}: ${answer.body}`);
  }
  // A correct password takes back only its own attempt: failures before it still count.
  for (let attempt = 0; attempt < THROTTLE.freePerAccount - 1; attempt += 1) {
    assert.equal((await loginFrom('10.0.5.2', STAFF.admin, 'salah-salah-salah')).statusCode, 401);
  }
  assert.equal((await loginFrom('10.0.5.2', STAFF.viewer, PASSWORD)).statusCode, 200);
  const [row] = await district.db.query<{ failures: number | string }>(
    'SELECT failures FROM login_throttle WHERE key = $1',
    ['10.0.5.2'],
  );
  assert.equal(Number(row.failures), THROTTLE.freePerAccount - 1);
});

test('delays grow 1 s, 2 s, 4 s ... and one address trying many accounts hits its own budget', async () => {
  const waits: number[] = [];
  for (let attempt = 0; attempt < THROTTLE.freePerAccount + 3; attempt += 1) {
    const answer = await loginFrom('10.0.1.1', STAFF.technician, 'salah-salah-salah');
    assert.equal(answer.statusCode, 401, `attempt ${attempt + 1} is checked after waiting`);
    const next = await loginFrom('10.0.1.1', STAFF.technician, 'salah-salah-salah');
    if (next.statusCode === 429) {
      const waitMs = Number(next.headers['retry-after']) * 1000;
      waits.push(waitMs);
      clock += waitMs;
    } else {
      assert.equal(next.statusCode, 401);
    }
  }
  // Each refused attempt counts too, so the waits more than double, up to the cap.
  assert.ok(waits.length >= 3, JSON.stringify(waits));
  assert.equal(waits[0], THROTTLE.firstDelayMs);
  for (let index = 1; index < waits.length; index += 1) {
    assert.ok(waits[index] >= Math.min(2 * waits[index - 1], THROTTLE.maxDelayMs), JSON.stringify(waits));
  }
  assert.equal(Math.max(...waits), THROTTLE.maxDelayMs);
  // Spraying: a different account every time from one address (real accounts: a made-up one costs a
  // full-strength dummy hash).
  for (let index = 0; index < THROTTLE.freePerAddress + 5; index += 1) {
    await addUser(
      district.db,
      { username: `tamu${index}`, name: '', role: 'viewer', password: PASSWORD },
      TEST_SCRYPT,
    );
  }
  let refused = 0;
  for (let attempt = 0; attempt < THROTTLE.freePerAddress + 5; attempt += 1) {
    const answer = await loginFrom('10.0.2.1', `tamu${attempt}`, 'salah-salah-salah');
    refused += answer.statusCode === 429 ? 1 : 0;
  }
  assert.equal(refused, 5);
});

test('enrollment attempts are paced per address; a good enrollment uses up nothing', async () => {
  const attempt = (address: string) =>
    district.app.inject({
      method: 'POST',
      url: PATHS.enroll,
      remoteAddress: address,
      payload: { code: 'TEBAKAN-SALAH', publicKey: station.publicKeyBase64, appVersion: '0.1.0' },
    });
  const statuses: number[] = [];
  for (let index = 0; index < 12; index += 1) {
    statuses.push((await attempt('10.0.3.1')).statusCode);
  }
  assert.deepEqual(statuses, [...Array<number>(10).fill(401), 429, 429]);
  const refused = await attempt('10.0.3.1');
  assert.equal((refused.json() as { error: string }).error, 'rate-limited');
  assert.ok(Number(refused.headers['retry-after']) >= 1);
  assert.equal((await attempt('10.0.3.2')).statusCode, 401, 'another address is not held up');
  clock += 6_000;
  assert.equal((await attempt('10.0.3.1')).statusCode, 401, 'the allowance refills (10 a minute)');
});

test('every route in the route table answers with the security headers; HSTS only over HTTPS', async () => {
  const routes = registeredRoutes(district.app);
  assert.ok(routes.length >= 25, `found ${routes.length} routes`);
  for (const route of routes) {
    const url = route.url.replace(/:\w+/g, 'x');
    for (const over of ['http', 'https']) {
      const response = await district.app.inject({
        method: route.method as 'GET',
        url,
        headers: { ...staffHeaders(admin, route.method), 'x-forwarded-proto': over },
        ...(route.method === 'POST' ? { payload: '{}' } : {}),
      });
      const where = `${route.method} ${url} over ${over} (${response.statusCode})`;
      const html = String(response.headers['content-type']).startsWith('text/html');
      assert.equal(
        response.headers['content-security-policy'],
        html ? HTML_CONTENT_SECURITY_POLICY : DATA_CONTENT_SECURITY_POLICY,
        where,
      );
      assert.equal(response.headers['x-content-type-options'], 'nosniff', where);
      assert.equal(response.headers['x-frame-options'], 'DENY', where);
      assert.equal(response.headers['referrer-policy'], 'no-referrer', where);
      assert.equal(
        response.headers['strict-transport-security'],
        over === 'https' ? STRICT_TRANSPORT_SECURITY : undefined,
        where,
      );
    }
  }
  admin = await login(district.app, STAFF.admin);
  // An answer to no route at all gets them too.
  const missing = await district.app.inject({ method: 'GET', url: '/tidak-ada' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.headers['content-security-policy'], DATA_CONTENT_SECURITY_POLICY);
});

test('a proxy that is not trusted cannot claim HTTPS', async () => {
  const response = await district.app.inject({
    method: 'GET',
    url: '/api/public/board',
    remoteAddress: '10.0.4.1',
    headers: { 'x-forwarded-proto': 'https' },
  });
  assert.equal(response.headers['strict-transport-security'], undefined);
});

test('the longest ids the schema allows fit in a path (no 414)', async () => {
  const faultId = '\u{1F5A8}'.repeat(128);
  clock += 1000;
  await postEvents(district, station, [station.fault('fault.opened', faultId, {}, clock)], clock);
  const url = `/api/dash/faults/${encodeURIComponent(station.stationId)}/${encodeURIComponent(faultId)}`;
  assert.ok(url.length > 1500, String(url.length));
  const found = await district.app.inject({ method: 'GET', url, headers: staffHeaders(admin) });
  assert.equal(found.statusCode, 200, found.body);
  assert.equal((found.json() as FaultDetail).faultId, faultId);
  const longStation = await district.app.inject({
    method: 'GET',
    url: `/api/dash/faults/${'s'.repeat(64)}/${encodeURIComponent(faultId)}`,
    headers: staffHeaders(admin),
  });
  assert.equal(longStation.statusCode, 404, longStation.body);
});

test('long texts are cut in lists and on the board, whole on the fault page', async () => {
  const long = { id: 'Pesan panjang '.repeat(60), en: 'Long message '.repeat(60) };
  clock += 1000;
  await postEvents(
    district,
    station,
    [station.fault('fault.opened', 'long-1', { message: long }, clock)],
    clock,
  );
  const listed = (await get<FaultView[]>('/api/dash/faults?state=active')).find(
    (fault) => fault.faultId === 'long-1',
  );
  assert.ok(listed !== undefined);
  for (const text of [listed.message.id, listed.message.en]) {
    assert.equal(text.length, LISTED_TEXT_MAX);
    assert.ok(text.endsWith('\u2026'));
  }
  const board = await get<Board>('/api/dash/board');
  const onBoard = board.kecamatan
    .flatMap((kecamatan) => kecamatan.stations)
    .flatMap((status) => status.problems)
    .find((problem) => problem.fault?.faultId === 'long-1');
  assert.equal(onBoard?.fault?.message.en.length, LISTED_TEXT_MAX);
  const detail = await get<FaultDetail>(`/api/dash/faults/${station.stationId}/long-1`);
  assert.deepEqual(detail.message, long);
});

test('the board shows at most 50 faults of a station, the most severe, and counts the rest', async () => {
  const many = new TestStation();
  await many.enroll(district, 'Loket 9', 'Masaran');
  clock += 1000;
  const events = Array.from({ length: BOARD_FAULTS_PER_STATION + 15 }, (_, index) =>
    many.fault(
      'fault.opened',
      `many-${index}`,
      { severity: index >= BOARD_FAULTS_PER_STATION + 10 ? 'critical' : 'minor' },
      clock,
    ),
  );
  await postEvents(district, many, events, clock);
  const board = await get<Board>('/api/dash/board');
  const status = board.kecamatan
    .flatMap((kecamatan) => kecamatan.stations)
    .find((s) => s.stationId === many.stationId);
  assert.ok(status !== undefined);
  assert.equal(status.activeFaults, BOARD_FAULTS_PER_STATION + 15);
  assert.equal(status.hiddenFaults, 15);
  const shown = status.problems.filter((problem) => problem.fault !== null);
  assert.equal(shown.length, BOARD_FAULTS_PER_STATION);
  assert.equal(
    shown.filter((problem) => problem.fault?.severity === 'critical').length,
    5,
    'the critical ones are never hidden',
  );
  // The intake stored every one of them.
  const all = await get<FaultView[]>(
    `/api/dash/faults?state=active&station=${many.stationId}&limit=${MAX_PAGE_SIZE}`,
  );
  assert.equal(all.length, BOARD_FAULTS_PER_STATION + 15);
});

test('lists come a page at a time: a default, a maximum, and pages that do not overlap', async () => {
  const manyId = (await get<Board>('/api/dash/board')).kecamatan
    .flatMap((kecamatan) => kecamatan.stations)
    .find((s) => s.name === 'Loket 9')?.stationId;
  const first = await get<FaultView[]>(`/api/dash/faults?state=all&station=${manyId}&limit=20`);
  const second = await get<FaultView[]>(`/api/dash/faults?state=all&station=${manyId}&limit=20&offset=20`);
  assert.equal(first.length, 20);
  assert.equal(second.length, 20);
  const ids = new Set([...first, ...second].map((fault) => fault.faultId));
  assert.equal(ids.size, 40);
  for (const url of [
    '/api/dash/faults',
    '/api/dash/audit',
    '/api/dash/inventory/devices',
    '/api/dash/inventory/loans',
  ]) {
    for (const query of [`limit=${MAX_PAGE_SIZE + 1}`, 'limit=0', 'offset=-1', 'limit=abc']) {
      const response = await district.app.inject({
        method: 'GET',
        url: `${url}?${query}`,
        headers: staffHeaders(admin),
      });
      assert.equal(response.statusCode, 400, `${url}?${query}`);
    }
  }
  const audit = await get<AuditEntry[]>('/api/dash/audit?limit=3');
  assert.equal(audit.length, 3);
  const older = await get<AuditEntry[]>('/api/dash/audit?limit=3&offset=3');
  assert.ok(older.every((entry) => !audit.some((newer) => newer.id === entry.id)));
  assert.ok(older[0].at <= audit[2].at);
  // Without a limit: the default page.
  assert.ok((await get<AuditEntry[]>('/api/dash/audit')).length <= 100);
});

test('dashboard texts have a maximum length: a longer one is refused with 400, nothing stored', async () => {
  const technician = await login(district.app, STAFF.technician);
  for (const [url, body] of [
    [`/api/dash/faults/${station.stationId}/long-1/actions`, { type: 'repair', assignee: 'a'.repeat(101) }],
    [`/api/dash/faults/${station.stationId}/long-1/actions`, { type: 'close', note: 'n'.repeat(1001) }],
    ['/api/dash/inventory/spares', { serialNumber: 'S'.repeat(101), vendor: 'HP', model: 'X' }],
    ['/api/dash/inventory/loans/x/return', { returnedOn: '2026-01-01'.repeat(100) }],
  ] as const) {
    const response = await district.app.inject({
      method: 'POST',
      url,
      headers: staffHeaders(technician, 'POST'),
      payload: JSON.stringify(body),
    });
    assert.equal(response.statusCode, 400, `${url} ${response.body}`);
  }
  const detail = await get<FaultDetail>(`/api/dash/faults/${station.stationId}/long-1`);
  assert.equal(detail.state, 'open');
});
