// The district's escalation rules page (#/eskalasi) in Debian's Chromium against a real district
// server: an admin sees the server file's rules, changes the contact's addresses and saves them as
// the district's own; a bad address is refused with the server's words and saves nothing; a viewer
// reads them and cannot change them. A screenshot at 360 px goes to a temporary folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { createNotifier } from '../../../district/server/notify/notifier';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import { launchChromium } from '../../helpers/browser';
import { addStaff, PASSWORD, STAFF } from '../../helpers/dashboard';
import { buildDashboardWeb } from '../../helpers/dashboard-web';
import { screenshotDirectory } from '../../helpers/screenshots';

let dir: string;
let screenshots: string;
let db: Db;
let server: RunningServer;
let browser: Browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-escalation-e2e-'));
  screenshots = screenshotDirectory(join(dir, 'screenshots'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    dashboard: {
      webDir,
      escalation: {
        config: EscalationConfigSchema.parse({
          rules: [{ id: 'unacknowledged-1d', condition: 'unacknowledged', afterHours: 24, notify: 'technicians' }],
          contacts: { technicians: { emails: ['lama@example.go.id'] } },
        }),
        notifier: createNotifier({ smtpUrl: null, from: 'Siaga <siaga@localhost>' }),
        timer: false,
      },
    },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function signedIn(username: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const page = await context.newPage();
  await page.goto(server.url + '/');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('header .user');
  return page;
}

const saved = () => db.query<{ settings: string; updated_by: string }>('SELECT settings, updated_by FROM escalation_settings');

test("an admin changes the district's contacts; a bad address is refused and saves nothing", async () => {
  const page = await signedIn(STAFF.admin, 360);
  await page.goto(`${server.url}/#/eskalasi`);
  await page.waitForSelector('.escalation-settings textarea');
  assert.match(await page.locator('.escalation-settings').innerText(), /dari berkas server/);
  const emails = page.locator('.escalation-contact textarea').first();
  assert.equal(await emails.inputValue(), 'lama@example.go.id');

  await emails.fill('bukan-alamat');
  await page.click('.escalation-settings button[type=submit]');
  const refusal = page.locator('.escalation-settings [role=alert]');
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /email/i);
  assert.deepEqual(await saved(), []);

  await emails.fill('kepala.teknisi@sragen.go.id\nwakil@sragen.go.id');
  await page.click('.escalation-settings button[type=submit]');
  await page.locator('.escalation-settings .notice', { hasText: 'Tersimpan.' }).waitFor();
  const [row] = await saved();
  assert.equal(row.updated_by, STAFF.admin);
  assert.deepEqual((JSON.parse(row.settings) as { contacts: { technicians: { emails: string[] } } }).contacts.technicians.emails, [
    'kepala.teknisi@sragen.go.id',
    'wakil@sragen.go.id',
  ]);
  await page.locator('.escalation-settings p.muted', { hasText: 'milik kabupaten/kota ini' }).waitFor();
  await page.screenshot({ path: join(screenshots, 'escalation-settings-360.png'), fullPage: true });
  await page.context().close();
});

test('a viewer reads the rules and cannot change them', async () => {
  const page = await signedIn(STAFF.viewer);
  await page.goto(`${server.url}/#/eskalasi`);
  await page.waitForSelector('.escalation-settings textarea');
  assert.equal(await page.locator('.escalation-settings button[type=submit]').count(), 0);
  assert.equal(await page.locator('.escalation-contact textarea').first().isDisabled(), true);
  assert.match(await page.locator('.escalation-contact textarea').first().inputValue(), /kepala\.teknisi@sragen\.go\.id/);
  await page.context().close();
});
