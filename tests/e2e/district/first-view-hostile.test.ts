// The server's first view of the board attacked in Debian's Chromium: station and kecamatan names
// made to break the page (a 500-character word, `</script>`, `<!--`, U+2028, a right-to-left
// override) on a phone (360 px) and a desk screen (1280 px), shown by the server and after React
// took it over. Screenshots go to a temp folder (SIAGA_SCREENSHOTS_DIR to keep them).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { addStation } from '../../../district/server/stations/stations';
import { launchChromium } from '../../helpers/browser';
import { PASSWORD } from '../../helpers/dashboard';
import { buildDashboardWeb } from '../../helpers/dashboard-web';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { screenshotDirectory } from '../../helpers/screenshots';
import { COUNTRY_NOW, seedCountry, SRAGEN } from '../../helpers/tenancy';

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
const shots = screenshotDirectory();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-first-view-hostile-'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const clock = { now: COUNTRY_NOW };
  district = await startTestDistrict({ now: () => clock.now, dashboard: { webDir, districtName: 'Disdukcapil Sragen' } });
  await seedCountry(district, clock);
  for (const name of HOSTILE_NAMES) {
    // Not enrolled yet: the board's list of stations not active yet carries the name whole.
    await addStation(district.db, { name, kecamatan: name.slice(0, 40), district: SRAGEN, nowMs: clock.now });
  }
  url = await district.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await district?.close();
  rmSync(dir, { recursive: true, force: true });
});

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
