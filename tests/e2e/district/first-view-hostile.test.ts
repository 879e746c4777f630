// The server's first view of the board attacked in Debian's Chromium, app.js held back on the wire
// (a slow district link): station and kecamatan names made to break the page (a 500-character word,
// `</script>`, `<!--`, U+2028, a right-to-left override) on a phone (360 px) and a desk screen
// (1280 px); a link clicked and Back pressed before the app arrives; English chosen; the board's data
// changed, and the session expired, between the HTML and React taking it over. Screenshots go to a
// temp folder (SIAGA_SCREENSHOTS_DIR to keep them).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { KECAMATAN_NAME_MAX_LENGTH } from '../../../district/dash-api';
import { addStation } from '../../../district/server/stations/stations';
import { launchChromium } from '../../helpers/browser';
import { addUser } from '../../../district/server/auth/users';
import { addClosedDay } from '../../../district/server/calendar/store';
import { addDistrict } from '../../../district/server/tenancy/districts';
import { HEALTHY, heartbeat, PASSWORD, postEvents, TEST_SCRYPT } from '../../helpers/dashboard';
import { buildDashboardWeb } from '../../helpers/dashboard-web';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { screenshotDirectory } from '../../helpers/screenshots';
import { COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const HOSTILE_NAMES = [
  '</script><script>window.siagaInjected = 1</script>',
  '<!--<script>',
  'Loket A\u2028B\u2029C',
  '\u202Eloket terbalik\u202C',
  'x'.repeat(500),
];

let dir: string;
let district: TestDistrict;
let url: string;
let browser: Browser;
let country: Country;
const clock = { now: COUNTRY_NOW };
const shots = screenshotDirectory();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-first-view-hostile-'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  district = await startTestDistrict({ now: () => clock.now, dashboard: { webDir, districtName: 'Disdukcapil Sragen' } });
  country = await seedCountry(district, clock);
  for (const name of HOSTILE_NAMES) {
    // Not enrolled yet: the board's list of stations not active yet carries the name whole.
    await addStation(district.db, { name, kecamatan: name.slice(0, 40), district: SRAGEN, nowMs: clock.now });
  }
  // Enrolled and heard: a 500-character station name in a kecamatan named with the most characters allowed, no spaces.
  const long = new TestStation();
  await long.enroll(district, 'y'.repeat(500), 'K'.repeat(KECAMATAN_NAME_MAX_LENGTH), SRAGEN);
  await postEvents(district, long, [heartbeat(long, clock.now, HEALTHY)], clock.now);
  // Denpasar (WITA) closed today; a WIT district with no station at all.
  await addClosedDay(district.db, { date: '2026-03-11', kecamatan: 'Denpasar Barat', note: 'rapat', nowMs: clock.now, district: DENPASAR });
  await addDistrict(district.db, { code: '94.71', name: 'Kota Jayapura', province: '33', timeZone: 'WIT' });
  await addUser(
    district.db,
    { username: 'jayapura', name: 'Akun Jayapura', role: 'viewer', password: PASSWORD, scope: { level: 'district', code: '94.71' } },
    TEST_SCRYPT,
  );
  url = await district.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await district?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface HeldTab {
  context: BrowserContext;
  page: Page;
  errors: string[];
  /** Lets app.js through. */
  release: () => void;
}

/** Sragen's admin (or `username`) signed in, `/` opened with app.js held back until `release()`. */
async function heldTab(
  viewport = { width: 1280, height: 900 },
  options: { english?: boolean; fakeClock?: boolean; hash?: string; username?: string; timeZone?: string } = {},
): Promise<HeldTab> {
  const context = await browser.newContext({ viewport, timezoneId: options.timeZone ?? 'Asia/Jakarta' });
  const reply = await context.request.post(`${url}/api/dash/login`, {
    data: { username: options.username ?? 'sragen-admin', password: PASSWORD },
  });
  assert.equal(reply.status(), 200);
  if (options.english === true) {
    await context.addInitScript(() => window.localStorage.setItem('siaga.language', 'en'));
  }
  const page = await context.newPage();
  if (options.fakeClock === true) {
    // Time flows as usual; fastForward jumps the board's 30-second refresh.
    await page.clock.install();
  }
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      errors.push(message.text());
    }
  });
  let release = (): void => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(
    (address) => address.pathname === '/app.js',
    async (route) => {
      await held;
      await route.continue();
    },
  );
  await page.goto(`${url}/${options.hash ?? ''}`, { waitUntil: 'commit' });
  await page.waitForSelector('#root', { state: 'attached' });
  return { context, page, errors, release };
}

/** What the tab shows: the summary line if visible, the loading line if visible, the hash. */
function seen(page: Page) {
  return page.evaluate(() => {
    const [summary, loading, current] = ['[data-summary]', '[data-first-view-loading]', 'header a.current'].map(
      (selector) => {
        const element = document.querySelector<HTMLElement>(selector);
        return element !== null && element.offsetParent !== null ? (element.textContent ?? '') : null;
      },
    );
    return { summary, loading, current, hash: window.location.hash };
  });
}

for (const viewport of [
  { width: 360, height: 740 },
  { width: 1280, height: 900 },
]) {
  test(`hostile names at ${viewport.width} px: the first view and the hydrated board neither run them nor scroll sideways`, async () => {
    const context = await browser.newContext({ viewport, timezoneId: 'Asia/Jakarta' });
    const reply = await context.request.post(`${url}/api/dash/login`, {
      data: { username: 'sragen-admin', password: PASSWORD },
    });
    assert.equal(reply.status(), 200);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') {
        errors.push(message.text());
      }
    });
    // app.js held back: what shows first is the server's markup alone.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route(
      (address) => address.pathname === '/app.js',
      async (route) => {
        await held;
        await route.continue();
      },
    );
    await page.goto(`${url}/`, { waitUntil: 'commit' });
    await page.waitForSelector('[data-not-active]', { state: 'visible' });
    const sideways = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    const names = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[data-not-active] li')].map((item) => item.textContent ?? ''),
      );
    assert.equal(await page.evaluate(() => document.documentElement.hasAttribute('data-first-view')), true);
    await page.screenshot({ path: join(shots, `first-view-hostile-${viewport.width}-server.png`), fullPage: true });
    assert.equal(await sideways(), 0, 'the server-rendered board scrolls sideways');
    const served = await names();
    assert.match(
      (await page.textContent('main')) ?? '',
      new RegExp(`Kecamatan K{${KECAMATAN_NAME_MAX_LENGTH}}`),
      'the longest kecamatan name shown whole',
    );
    for (const name of HOSTILE_NAMES) {
      assert.ok(served.some((text) => text.includes(name)), `${JSON.stringify(name.slice(0, 20))} shown as text`);
    }
    release();
    await page.waitForSelector('html[data-app-mounted]');
    await page.screenshot({ path: join(shots, `first-view-hostile-${viewport.width}-hydrated.png`), fullPage: true });
    assert.equal(await sideways(), 0, 'the hydrated board scrolls sideways');
    assert.deepEqual(await names(), served, 'React kept the names the server wrote');
    assert.equal(await page.evaluate(() => 'siagaInjected' in window), false, 'a name ran as script');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('a link clicked in the server-rendered board before app.js arrives, and Back: React opens the page the address names', async () => {
  const { context, page, errors, release } = await heldTab();
  await page.waitForSelector('[data-summary]', { state: 'visible' });
  await page.click('a[href="#/gangguan"]');
  assert.equal((await seen(page)).hash, '#/gangguan');
  release();
  await page.waitForSelector('html[data-app-mounted]');
    const faults = await seen(page);
  assert.equal(faults.summary, null, 'the board is gone at #/gangguan');
  assert.equal(faults.loading, null);
  assert.equal(faults.current, 'Gangguan');
  await page.goBack();
  await page.waitForSelector('[data-summary]', { state: 'visible' });
  assert.match((await seen(page)).summary ?? '', /2 dari 3 kecamatan bisa merekam/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Back to #/ before app.js arrives: the first view shown again is hydrated, not rendered over', async () => {
  const { context, page, errors, release } = await heldTab();
  await page.waitForSelector('[data-summary]', { state: 'visible' });
  await page.click('a[href="#/gangguan"]');
  await page.goBack({ waitUntil: 'commit' });
  assert.equal(await page.evaluate(() => window.location.hash), '');
  const marked = await page.evaluate(() => {
    document.querySelector('[data-summary]')?.setAttribute('data-probe', 'server');
    return document.documentElement.hasAttribute('data-first-view');
  });
  assert.equal(marked, true);
  release();
  await page.waitForSelector('html[data-app-mounted]');
  // Hydrated: React kept the server's element (a render over it would have made a new one).
  assert.equal(await page.locator('[data-summary][data-probe="server"]').count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('English chosen, then reloaded: the Indonesian first view never shows, the loading line does, then the English board', async () => {
  const { context, page, errors, release } = await heldTab({ width: 360, height: 740 }, { english: true });
  await page.waitForSelector('[data-first-view-loading]', { state: 'visible' });
  const waiting = await seen(page);
  assert.equal(waiting.summary, null, 'the Indonesian board flashed');
  assert.match(waiting.loading ?? '', /Memuat dasbor Siaga/);
  await page.screenshot({ path: join(shots, 'first-view-hostile-english-waiting.png') });
  release();
  await page.waitForSelector('html[data-app-mounted]');
  const shown = await seen(page);
  assert.match(shown.summary ?? '', /2 of 3 kecamatan can record/);
  assert.equal(shown.loading, null);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [username, timeZone, shows] of [
  ['dps-admin', 'Asia/Makassar', /Kantor tutup/],
  ['jayapura', 'Asia/Jayapura', /Belum ada kecamatan/],
] as const) {
  test(`${username} in ${timeZone}: the district's own zone shows the first view at once and hydrates it without a mismatch`, async () => {
    const { context, page, errors, release } = await heldTab({ width: 360, height: 740 }, { username, timeZone });
    await page.waitForSelector('[data-summary]', { state: 'visible' });
    const served = await seen(page);
    const text = () => page.evaluate(() => document.querySelector('main')?.textContent ?? '');
    const servedText = await text();
    assert.match(servedText, shows);
    await page.screenshot({ path: join(shots, `first-view-hostile-${username}-server.png`), fullPage: true });
    release();
    await page.waitForSelector('html[data-app-mounted]');
    assert.equal((await seen(page)).summary, served.summary);
    assert.equal(await text(), servedText);
    assert.deepEqual(errors, [], 'a hydration mismatch (or another error)');
    await context.close();
  });

  test(`${username} with the browser in WIB: the first view in ${timeZone} never shows; React writes WIB`, async () => {
    const { context, page, errors, release } = await heldTab(undefined, { username });
    await page.waitForSelector('[data-first-view-loading]', { state: 'visible' });
    assert.equal((await seen(page)).summary, null, `the board in ${timeZone} flashed`);
    release();
    await page.waitForSelector('html[data-app-mounted]');
    assert.match((await seen(page)).summary ?? '', / WIB/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the board changed between the HTML and React: the carried board is hydrated, and the first refresh brings the change', async () => {
  const { context, page, errors, release } = await heldTab(undefined, { fakeClock: true });
  await page.waitForSelector('[data-summary]', { state: 'visible' });
  // Tangen's station can record again, after the page was sent.
  clock.now = COUNTRY_NOW + 60_000;
  await postEvents(district, country.stations.tangen, [heartbeat(country.stations.tangen, clock.now, HEALTHY)], clock.now);
  release();
  await page.waitForSelector('html[data-app-mounted]');
  assert.match((await seen(page)).summary ?? '', /2 dari 3 kecamatan bisa merekam/);
  await page.clock.fastForward(31_000);
  await page.waitForFunction(() => /3 dari 3 kecamatan bisa merekam/.test(document.querySelector('[data-summary]')?.textContent ?? ''));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the session expired between the HTML and React: the carried board shows, and the first refresh asks to sign in', async () => {
  const { context, page, errors, release } = await heldTab(undefined, { fakeClock: true });
  await page.waitForSelector('[data-summary]', { state: 'visible' });
  clock.now = COUNTRY_NOW + 17 * 3_600_000;
  release();
  await page.waitForSelector('html[data-app-mounted]');
  await page.clock.fastForward(31_000);
  await page.waitForSelector('form.login', { state: 'visible' });
  assert.equal((await seen(page)).summary, null);
  // The 401 of the refresh is the browser's own console line, not the app failing.
  assert.deepEqual(errors.filter((error) => !/401/.test(error)), []);
  await context.close();
});
