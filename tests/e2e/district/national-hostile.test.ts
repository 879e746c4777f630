// A province officer in Chromium typing another province's and district's addresses by hand
// (#/provinsi/51, #/kabupaten/51.71, #/nasional): each shows nothing of Bali, and the page says so
// instead of going blank. Screenshots go to a temporary folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../../district/server/db/open';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import { launchChromium } from '../../helpers/browser';
import { PASSWORD } from '../../helpers/dashboard';
import type { TestDistrict } from '../../helpers/district';
import { screenshotDirectory } from '../../helpers/screenshots';
import { COUNTRY_NOW, seedCountry } from '../../helpers/tenancy';
import { buildDashboardWeb } from '../../helpers/dashboard-web';

const clock = { now: COUNTRY_NOW };
let dir: string;
let screenshots: string;
let server: RunningServer;
let browser: Browser;
let page: Page;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-national-hostile-e2e-'));
  screenshots = screenshotDirectory();
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  server = await startServer({ db, port: 0, host: '127.0.0.1', now: () => clock.now, dashboard: { webDir } });
  await seedCountry({ db, app: server.app } as unknown as TestDistrict, clock);
  browser = await launchChromium();
  page = await browser.newPage({
    viewport: { width: 360, height: 780 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`screenshots: ${screenshots}`);
});

const BALI = ['Denpasar', 'fp-dps', 'Bali', 'SN-DPS-1'];

test("a province officer typing Bali's addresses sees nothing of Bali, and is told so", async () => {
  await page.goto(server.url + '/');
  await page.fill('input[name=username]', 'jateng');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.locator('li.area[data-area="33.72"]').waitFor();
  for (const [hash, name] of [
    ['#/provinsi/51', 'provinsi-51'],
    ['#/kabupaten/51.71', 'kabupaten-51-71'],
    ['#/nasional', 'nasional'],
  ] as const) {
    await page.goto(`${server.url}/${hash}`);
    // A hand-typed hash is a same-document navigation: wait for the view to answer.
    await page.waitForFunction(() =>
      /tidak ditemukan|Jawa Tengah/.test(
        document.querySelector('main')?.textContent ?? document.body.innerText,
      ),
    );
    const text = await page.evaluate(() => document.body.innerText);
    await page.screenshot({ path: join(screenshots, `jateng-${name}-360.png`), fullPage: true });
    for (const marker of BALI) {
      assert.ok(!text.includes(marker), `${hash} shows ${marker}: ${text.slice(0, 300)}`);
    }
    // Not a blank page: in Bahasa Indonesia first, "not found" for Bali, or the officer's own province.
    assert.match(
      text,
      hash === '#/nasional' ? /tidak ditemukan|Jawa Tengah/ : /tidak ditemukan/,
      `${hash}: ${text.slice(0, 300)}`,
    );
  }
});
