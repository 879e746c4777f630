// The server-rendered first view of the board (routes/first-view.ts), fetched as a browser would
// without running a script: a signed-in district user's `/` carries the board's rows and the same
// session and board the API answers, never stored; without a session, with an expired or forged one,
// or for a province or national account it is the plain page; another district's stations never
// appear; a hostile station or kecamatan name cannot end the JSON block; a missing or throwing
// first-view.mjs gives the plain page, logged once, and a rebuilt one is picked up.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Board, SessionInfo } from '../../../district/dash-api';
import { FIRST_VIEW_DATA, FIRST_VIEW_MODULE } from '../../../district/dash-first-view';
import type { FirstViewData } from '../../../district/dash-first-view';
import { HTML_CONTENT_SECURITY_POLICY } from '../../../district/server/security-headers';
import { jsonInHtml } from '../../../district/server/routes/first-view';
import { buildDashboardWeb } from '../../helpers/dashboard-web';
import { login, staffHeaders } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { COUNTRY_NOW, seedCountry, SRAGEN } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const HOSTILE_STATION = '</script><script>alert(1)</script>';
const HOSTILE_KECAMATAN = '<!--<script>\u2028$&$` </SCRIPT >';
const clock = { now: COUNTRY_NOW };
let dir: string;
let webDir: string;
let district: TestDistrict;
let country: Country;
const logs: string[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-first-view-'));
  webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  district = await startTestDistrict({
    now: () => clock.now,
    dashboard: { webDir },
    logger: { level: 'warn', stream: { write: (line: string) => logs.push(line) } },
  });
  country = await seedCountry(district, clock);
  await new TestStation().enroll(district, HOSTILE_STATION, HOSTILE_KECAMATAN, SRAGEN);
});
after(async () => {
  await district?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function page(cookie?: string) {
  const response = await district.app.inject({
    method: 'GET',
    url: '/',
    headers: cookie === undefined ? {} : { cookie },
  });
  return { response, html: response.body };
}

/** The JSON block as a browser's parser delimits it: up to the first `</script`, whatever its case. */
function carried(html: string): FirstViewData | null {
  const open = `<script type="application/json" id="${FIRST_VIEW_DATA}">`;
  const start = html.indexOf(open);
  if (start < 0) {
    return null;
  }
  const body = html.slice(start + open.length);
  return JSON.parse(body.slice(0, body.search(/<\/script/i))) as FirstViewData;
}

const plainIndex = () => readFileSync(join(webDir, 'index.html'), 'utf8');

test("a district user's `/` carries the board's rows and the API's very session and board, never stored", async () => {
  const account: Login = country.accounts.sragen;
  const { response, html } = await page(account.cookie);
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['cache-control'], 'private, no-store');
  assert.match(String(response.headers.vary), /cookie/i);
  assert.equal(response.headers.etag, undefined, 'no ETag: never a 304 against the plain page');
  assert.equal(response.headers['content-security-policy'], HTML_CONTENT_SECURITY_POLICY);
  assert.match(html, /<div id="root" data-server-rendered>/);
  assert.match(html, /<meta name="siaga-first-view" data-language="id" data-time-zone="Asia\/Jakarta" \/>/);
  // The rows are in the HTML itself, before any script: the board's kecamatan and stations.
  assert.match(html, /<article class="kecamatan" data-kecamatan="Tangen" data-state="cannot-record">/);
  assert.match(html, /<article class="kecamatan" data-kecamatan="Sragen Kota"/);
  assert.match(html, new RegExp(`<tr data-station="${country.stations.tangen.stationId}" data-state="cannot-record">`));
  assert.match(html, /Kecamatan Tangen/, 'Indonesian words');
  assert.match(html, /WIB/, 'times in the district zone');
  const board = await district.app.inject({ method: 'GET', url: '/api/dash/board', headers: staffHeaders(account) });
  const session = await district.app.inject({ method: 'GET', url: '/api/dash/session', headers: staffHeaders(account) });
  const data = carried(html);
  assert.ok(data !== null);
  assert.deepEqual(data.board, board.json() as Board);
  assert.deepEqual(data.session, session.json() as SessionInfo);
  // Tenancy: nothing of Surakarta or Denpasar, in the markup or the data.
  for (const marker of country.foreignMarkers) {
    assert.ok(!html.includes(marker), `no ${marker} in a Sragen user's page`);
  }
  // Still the one app script, and the head script deciding whether the view is shown.
  assert.equal((html.match(/<script type="module" src="\/app\.js"><\/script>/g) ?? []).length, 1);
  assert.match(html, /<script src="\/chunks\/first-view-check-[A-Z0-9]{8}\.js"><\/script>\n {2}<\/head>/);
});

test('without a session, with an expired or forged one, or for a province or national account: the plain page', async () => {
  const cookies: (string | undefined)[] = [
    undefined,
    'siaga_session=forged-token-of-nobody',
    `${country.accounts.sragen.cookie}x`,
    country.accounts.province.cookie,
    country.accounts.national.cookie,
  ];
  for (const cookie of cookies) {
    const { response, html } = await page(cookie);
    assert.equal(response.statusCode, 200, String(cookie));
    assert.equal(html, plainIndex(), String(cookie));
    assert.equal(response.headers['cache-control'], 'no-cache');
  }
  // Expired: the same cookie 17 hours later (sessions last 16).
  const fresh = await login(district.app, 'sragen-admin');
  assert.ok(carried((await page(fresh.cookie)).html) !== null);
  clock.now = COUNTRY_NOW + 17 * 3_600_000;
  try {
    const { html } = await page(fresh.cookie);
    assert.equal(html, plainIndex());
  } finally {
    clock.now = COUNTRY_NOW;
  }
});

test('a hostile station or kecamatan name is text in the markup and cannot end the JSON block', async () => {
  const { html } = await page(country.accounts.sragen.cookie);
  assert.ok(!html.includes('<script>alert(1)'), 'the name never appears as a tag');
  assert.ok(!html.includes('<!--<script>'), 'nor as a comment opening');
  const block = html.slice(html.indexOf(`id="${FIRST_VIEW_DATA}">`));
  assert.ok(!block.slice(0, block.indexOf('</script>')).includes('\u2028'), 'U+2028 escaped in the JSON');
  // Scripts: the head script, the JSON block and app.js only (and what follows the block is the app).
  assert.equal((html.match(/<script\b/gi) ?? []).length, 3);
  const data = carried(html);
  assert.ok(data !== null, 'the block parses up to its own end');
  const names = data.board.kecamatan.flatMap((kecamatan) => [
    kecamatan.name,
    ...kecamatan.stations.map((station) => station.name),
  ]);
  assert.ok(names.includes(HOSTILE_STATION) && names.includes(HOSTILE_KECAMATAN), 'names come back intact');
  assert.match(html, /&lt;\/script&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'escaped in the markup');
  for (const value of [HOSTILE_STATION, HOSTILE_KECAMATAN, { name: '\u2029</ScRiPt>' }, 'a & b > c']) {
    const text = jsonInHtml(value);
    assert.doesNotMatch(text, /[<>&\u2028\u2029]/);
    assert.deepEqual(JSON.parse(text), value);
  }
});

test('a missing or throwing first-view.mjs gives the plain page, logged once; a rebuilt one is used', async () => {
  const modulePath = join(webDir, FIRST_VIEW_MODULE);
  const built = readFileSync(modulePath);
  const cookie = country.accounts.sragen.cookie;
  try {
    writeFileSync(modulePath, 'export function renderFirstView() { throw new Error("broken render"); }\n');
    for (let round = 0; round < 3; round++) {
      const { response, html } = await page(cookie);
      assert.equal(response.statusCode, 200);
      assert.equal(html, plainIndex());
    }
    assert.equal(logs.filter((line) => line.includes('broken render')).length, 1, logs.join('\n'));
    rmSync(modulePath);
    assert.equal((await page(cookie)).html, plainIndex());
    writeFileSync(modulePath, 'export const nothing = 1;\n');
    assert.equal((await page(cookie)).html, plainIndex());
    assert.equal(logs.filter((line) => line.includes('exports no renderFirstView')).length, 1);
  } finally {
    writeFileSync(modulePath, built);
  }
  // Written again (a new version): the first view is back without a restart.
  assert.ok(carried((await page(cookie)).html) !== null);
});
