// GET / with the server's first view of the board, attacked over HTTP: hostile names in the JSON
// block, a district with no stations or only stations not active yet, a closed office, HEAD and other
// paths, Accept-Encoding odd and huge, forged and doubled cookies, another district's cookie, a
// role or scope changed and an account disabled after login, another origin asking, and the
// first-view module missing, half written and rebuilt while the server runs.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Board } from '../../../district/dash-api';
import { FIRST_VIEW_DATA, FIRST_VIEW_MODULE } from '../../../district/dash-first-view';
import type { FirstViewData } from '../../../district/dash-first-view';
import { addUser } from '../../../district/server/auth/users';
import { addClosedDay } from '../../../district/server/calendar/store';
import { addStation } from '../../../district/server/stations/stations';
import { addDistrict } from '../../../district/server/tenancy/districts';
import { login, PASSWORD, staffHeaders, TEST_SCRYPT } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { buildDashboardWeb } from '../../helpers/dashboard-web';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { COUNTRY_NOW, seedCountry, SRAGEN } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const HOSTILE_NAMES = [
  '</script><script>alert(1)</script>',
  '<!--<script>',
  'Loket A\u2028B\u2029C',
  '\u202Eloket\u202C',
  '$& $1 $` $\'',
  'x'.repeat(500),
];
const EMPTY = '33.15';
const NOT_ACTIVE = '82.71';

let webDir: string;
let builtModule: string;
let district: TestDistrict;
let country: Country;
const clock = { now: COUNTRY_NOW };
const accounts: Record<string, Login> = {};

before(async () => {
  webDir = join(mkdtempSync(join(tmpdir(), 'siaga-first-view-hostile-')), 'web');
  await buildDashboardWeb(webDir);
  builtModule = readFileSync(join(webDir, FIRST_VIEW_MODULE), 'utf8');
  district = await startTestDistrict({ now: () => clock.now, dashboard: { webDir, districtName: 'Disdukcapil' } });
  country = await seedCountry(district, clock);
  for (const name of HOSTILE_NAMES) {
    await addStation(district.db, { name, kecamatan: name.slice(0, 40), district: SRAGEN, nowMs: clock.now });
  }
  await addDistrict(district.db, { code: EMPTY, name: 'Kabupaten Kosong', province: '33', timeZone: 'WIT' });
  await addDistrict(district.db, { code: NOT_ACTIVE, name: 'Kota Belum', province: '33', timeZone: 'WITA' });
  await addStation(district.db, { name: 'Loket Baru', kecamatan: 'Baru', district: NOT_ACTIVE, nowMs: clock.now });
  for (const [username, code] of [
    ['kosong', EMPTY],
    ['belum', NOT_ACTIVE],
    ['pindah', SRAGEN],
    ['berhenti', SRAGEN],
  ] as const) {
    await addUser(
      district.db,
      { username, name: `Akun ${username}`, role: 'viewer', password: PASSWORD, scope: { level: 'district', code } },
      TEST_SCRYPT,
    );
    accounts[username] = await login(district.app, username);
  }
});

after(async () => {
  await district?.close();
  rmSync(join(webDir, '..'), { recursive: true, force: true });
});

function bodyOf(response: LightMyRequestResponse): string {
  const coding = response.headers['content-encoding'];
  const raw = response.rawPayload;
  return (coding === 'br' ? brotliDecompressSync(raw) : coding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

/** The JSON block the page carries, parsed, or null for the plain page. */
function carried(html: string): FirstViewData | null {
  const block = new RegExp(`<script type="application/json" id="${FIRST_VIEW_DATA}">([\\s\\S]*?)</script>`).exec(html);
  return block === null ? null : (JSON.parse(block[1]) as FirstViewData);
}

const page = (headers: Record<string, string>, url = '/', method: 'GET' | 'HEAD' = 'GET') =>
  district.app.inject({ method, url, headers });

async function apiBoard(session: Login): Promise<Board> {
  const response = await district.app.inject({ method: 'GET', url: '/api/dash/board', headers: staffHeaders(session) });
  assert.equal(response.statusCode, 200);
  return response.json() as Board;
}

test('hostile names: the JSON block parses to the API board, and no name adds a script or ends the block', async () => {
  const html = bodyOf(await page({ cookie: country.accounts.sragen.cookie }));
  const data = carried(html);
  assert.notEqual(data, null);
  assert.deepEqual(data?.board, await apiBoard(country.accounts.sragen));
  const plain = readFileSync(join(webDir, 'index.html'), 'utf8');
  // One script more than index.html: the JSON block; no name opened another.
  assert.equal(html.split('<script').length, plain.split('<script').length + 1);
  assert.equal(html.split('</script>').length, plain.split('</script>').length + 1);
  for (const name of HOSTILE_NAMES) {
    assert.ok(data?.board.notActive.some((station) => station.name === name), `${JSON.stringify(name.slice(0, 12))} carried whole`);
  }
  const block = html.slice(html.indexOf(`id="${FIRST_VIEW_DATA}"`));
  assert.ok(!/[\u2028\u2029]/.test(block.slice(0, block.indexOf('</script>'))), 'U+2028/U+2029 raw in the JSON block');
});

test('a district without stations, and one with only stations not active yet: a first view matching the API', async () => {
  for (const username of ['kosong', 'belum']) {
    const html = bodyOf(await page({ cookie: accounts[username].cookie }));
    const data = carried(html);
    assert.deepEqual(data?.board, await apiBoard(accounts[username]), username);
    assert.match(html, /data-summary/);
  }
  assert.match(bodyOf(await page({ cookie: accounts.kosong.cookie })), /data-time-zone="Asia\/Jayapura"/);
  assert.match(bodyOf(await page({ cookie: accounts.belum.cookie })), /Loket Baru/);
});

test('a closed office: the first view says closed, as the API does', async () => {
  await addClosedDay(district.db, { date: '2026-03-11', kecamatan: 'Tangen', note: 'rapat', nowMs: clock.now, district: SRAGEN });
  const data = carried(bodyOf(await page({ cookie: country.accounts.sragen.cookie })));
  const tangen = data?.board.kecamatan.find((kecamatan) => kecamatan.name === 'Tangen');
  assert.equal(tangen?.open, false);
  assert.deepEqual(data?.board, await apiBoard(country.accounts.sragen));
});

test('HEAD, a query, /index.html and odd Accept-Encoding: the same private page or a plain answer, never cached', async () => {
  const cookie = country.accounts.sragen.cookie;
  const head = await page({ cookie }, '/', 'HEAD');
  assert.equal(head.statusCode, 200);
  assert.equal(head.body, '');
  assert.equal(head.headers['cache-control'], 'private, no-store');
  assert.equal(carried(bodyOf(await page({ cookie }, '/?x=1')))?.session.user.username, 'sragen-admin');
  assert.equal((await page({ cookie }, '/index.html')).statusCode, 404);
  for (const acceptEncoding of ['gzip', 'br', 'br;q=0, gzip', '*', 'identity', 'gzip;q=0, br;q=0', 'gzip;q=abc', 'x'.repeat(4000)]) {
    const response = await page({ cookie, 'accept-encoding': acceptEncoding });
    assert.equal(response.statusCode, 200, acceptEncoding.slice(0, 20));
    assert.equal(response.headers['cache-control'], 'private, no-store');
    assert.match(String(response.headers.vary), /cookie/i);
    assert.equal(response.headers.etag, undefined);
    assert.notEqual(carried(bodyOf(response)), null, acceptEncoding.slice(0, 20));
  }
});

test('another origin, a forged cookie, a doubled cookie, another district: no CORS, the plain page, or that district alone', async () => {
  const sragen = country.accounts.sragen;
  const foreign = await page({ cookie: sragen.cookie, origin: 'https://evil.example' });
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  assert.equal(foreign.headers['access-control-allow-credentials'], undefined);
  for (const cookie of ['siaga_session=AAAA', `siaga_session=AAAA; ${sragen.cookie}`, 'siaga_session=', `${sragen.cookie}x`]) {
    const response = await page({ cookie });
    const html = bodyOf(response);
    assert.equal(carried(html), null, cookie.slice(0, 30));
    assert.ok(!html.includes(sragen.csrf), 'the CSRF token in the plain page');
    assert.equal(response.headers['cache-control'], 'no-cache');
  }
  const denpasar = bodyOf(await page({ cookie: country.accounts.denpasar.cookie }));
  assert.deepEqual(carried(denpasar)?.session.user.scope, { level: 'district', code: '51.71' });
  for (const marker of ['Sragen Kota', 'Tangen', sragen.csrf, country.stations.tangen.stationId]) {
    assert.ok(!denpasar.includes(marker), marker);
  }
});

test('a scope changed and an account disabled after login: the next / follows the account as it is now', async () => {
  assert.notEqual(carried(bodyOf(await page({ cookie: accounts.pindah.cookie }))), null);
  await district.db.run("UPDATE users SET scope_level = 'province', scope_code = '33' WHERE username = 'pindah'");
  assert.equal(carried(bodyOf(await page({ cookie: accounts.pindah.cookie }))), null);
  await district.db.run('UPDATE users SET disabled_at = $1 WHERE username = $2', [new Date(clock.now).toISOString(), 'berhenti']);
  const html = bodyOf(await page({ cookie: accounts.berhenti.cookie }));
  assert.equal(carried(html), null);
  assert.ok(!html.includes(accounts.berhenti.csrf), 'the CSRF token of a disabled account');
});

test('the first-view module missing, half written, then rebuilt while the server runs: the plain page, then the first view', async () => {
  const cookie = country.accounts.sragen.cookie;
  const modulePath = join(webDir, FIRST_VIEW_MODULE);
  unlinkSync(modulePath);
  let response = await page({ cookie });
  assert.equal(response.statusCode, 200);
  assert.equal(carried(bodyOf(response)), null);
  writeFileSync(modulePath, builtModule.slice(0, builtModule.length / 2));
  response = await page({ cookie });
  assert.equal(response.statusCode, 200);
  assert.equal(carried(bodyOf(response)), null);
  writeFileSync(modulePath, builtModule);
  response = await page({ cookie });
  assert.equal(response.statusCode, 200);
  assert.notEqual(carried(bodyOf(response)), null);
});
