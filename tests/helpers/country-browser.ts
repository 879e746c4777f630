// The seeded country (tenancy.ts: two provinces, three districts, their accounts) behind a district
// server on SQLite with the built dashboard, and Debian's Chromium on a phone-sized page (360 px,
// id-ID, Asia/Jakarta): the setup of the national and province views' e2e tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../district/server/db/open';
import { startServer } from '../../district/server/server';
import type { RunningServer } from '../../district/server/server';
import { launchChromium } from './browser';
import { PASSWORD } from './dashboard';
import { buildDashboardWeb } from './dashboard-web';
import type { TestDistrict } from './district';
import { screenshotDirectory } from './screenshots';
import { COUNTRY_NOW, seedCountry } from './tenancy';

export interface CountryBrowser {
  server: RunningServer;
  page: Page;
  /** Where the test's screenshots go (a temporary folder unless SIAGA_SCREENSHOTS_DIR is set). */
  screenshots: string;
  /** Signs in on the login page as one of the seeded accounts (tenancy.ts), with the test password. */
  signIn(username: string): Promise<void>;
  /** Closes Chromium and the server and removes the temporary folder. */
  close(): Promise<void>;
}

/** `prefix` names the temporary folder (siaga-PREFIX-...), so a run's leftovers say whose they are. */
export async function startCountryBrowser(prefix: string): Promise<CountryBrowser> {
  const clock = { now: COUNTRY_NOW };
  const dir = mkdtempSync(join(tmpdir(), `siaga-${prefix}-`));
  const screenshots = screenshotDirectory();
  const webDir = join(dir, 'web');
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
    console.log(`screenshots: ${screenshots}`);
  };
  try {
    await buildDashboardWeb(webDir);
    const db = await openDatabase({ dataDir: join(dir, 'data') });
    server = await startServer({ db, port: 0, host: '127.0.0.1', now: () => clock.now, dashboard: { webDir } });
    await seedCountry({ db, app: server.app } as unknown as TestDistrict, clock);
    browser = await launchChromium();
    const page = await browser.newPage({
      viewport: { width: 360, height: 780 },
      locale: 'id-ID',
      timezoneId: 'Asia/Jakarta',
    });
    const url = server.url;
    return {
      server,
      page,
      screenshots,
      async signIn(username: string) {
        await page.goto(url + '/');
        await page.fill('input[name=username]', username);
        await page.fill('input[name=password]', PASSWORD);
        await page.click('button[type=submit]');
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
