// The escalation letter in Debian's Chromium against a real district server: the admin fills in
// the letterhead at #/surat (empty and bad fields, a file that is not an image, one too big, then
// good values with a logo), a technician writes the letter from the fault's page with hostile
// words in it and opens its PDF (pdftotext, pdftoppm), a younger and a recovered fault say why
// no letter yet, a viewer sees no button, and both pages fit a 360 px phone with nothing
// scrolling sideways. Screenshots and the letter's first page go to a temporary folder.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDatabase } from '../../../district/server/db/open';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import type { Event } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import { launchChromium } from '../../helpers/browser';
import { addStaff, PASSWORD, STAFF } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { blankPng } from '../../helpers/png';
import { screenshotDirectory } from '../../helpers/screenshots';
import { buildDashboardWeb } from '../../helpers/dashboard-web';

const DAY = 86_400_000;
// Tuesday 1 December 2026, 10.00 WIB: the district's clock.
const clock = Date.parse('2026-12-01T03:00:00Z');
let dir: string;
let screenshots: string;
let server: RunningServer;
let browser: Browser;
let station: TestStation;

async function send(events: Event[]): Promise<void> {
  const body = JSON.stringify({ events });
  const response = await fetch(server.url + PATHS.events, {
    method: 'POST',
    body,
    headers: station.headers('POST', PATHS.events, body, clock),
  });
  assert.equal(response.status, 200, await response.clone().text());
}

/** A new browser context (its own cookies) logged in as `username`, `width` px wide. */
async function signedIn(username: string, width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width, height: 800 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  await page.goto(server.url + '/');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('header .user');
  return { context, page };
}

const faultUrl = (faultId: string) => `${server.url}/#/gangguan/${station.stationId}/${faultId}`;

/** Nothing on the page is wider than the window (a wide table may scroll inside its own box). */
async function assertNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    window: window.innerWidth,
    document: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
  }));
  if (widths.document > widths.window) {
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter(
          (element) =>
            element.getBoundingClientRect().right > window.innerWidth + 1 ||
            element.scrollWidth > window.innerWidth,
        )
        .slice(0, 5)
        .map(
          (element) =>
            `${element.tagName}.${element.className} ${Math.round(element.getBoundingClientRect().right)} ${element.scrollWidth}`,
        ),
    );
    assert.fail(`${JSON.stringify(widths)}: wider than the window: ${wide.join('; ')}`);
  }
  assert.ok(widths.body <= widths.window, JSON.stringify(widths));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-letter-e2e-'));
  screenshots = screenshotDirectory(join(dir, 'screenshots'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    now: () => clock,
    dashboard: { webDir, districtName: 'Disdukcapil Kabupaten Sragen' },
  });
  station = new TestStation();
  await station.enroll(
    { db, app: server.app } as unknown as TestDistrict,
    'Loket ‮1 <b>utama</b>',
    'Sambungmacan',
  );
  const device = {
    key: 'usb:080b:0010:CM-777',
    vendor: 'Cross Match <img src=x onerror=alert(1)>',
    model: 'Guardian\u200b 200',
    serialNumber: 'CM-777-\u202eKIRI',
    transport: 'usb' as const,
  };
  await send([
    station.fault(
      'fault.opened',
      'f-old',
      {
        device,
        firstSeen: new Date(clock - 31 * DAY).toISOString(),
        message: {
          id: 'Pemindai sidik jari tidak terdeteksi\n\n\n<script>alert(1)</script> ' + 'Z'.repeat(200),
          en: 'Fingerprint scanner not detected',
        },
      },
      clock,
    ),
    station.fault('fault.opened', 'f-young', { firstSeen: new Date(clock - 29 * DAY).toISOString() }, clock),
    station.fault(
      'fault.opened',
      'f-recovered',
      { firstSeen: new Date(clock - 40 * DAY).toISOString() },
      clock,
    ),
    station.fault(
      'fault.resolved',
      'f-recovered',
      { firstSeen: new Date(clock - 40 * DAY).toISOString() },
      clock,
    ),
  ]);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('before the letterhead is set, the fault page says so and writes nothing', async () => {
  const { context, page } = await signedIn(STAFF.technician);
  await page.goto(faultUrl('f-old'));
  await page.waitForSelector('.escalation-letter');
  assert.match(await page.locator('.escalation-letter').innerText(), /Kop surat belum diisi/);
  assert.equal(await page.locator('.letter-form').count(), 0);
  await context.close();
});

test('the admin fills in the letterhead: every bad field says why beside it, then it is saved', async () => {
  const { context, page } = await signedIn(STAFF.admin);
  await page.goto(server.url + '/#/surat');
  await page.waitForSelector('.letter-settings form');
  await page.fill('input[name=agency]', '   ');
  await page.fill('input[name=numberPattern]', '470/Disdukcapil/{year}');
  await page.fill('input[name=signerNip]', '1970 0101');
  await page.fill('input[name=email]', 'bukan-email');
  await page.click('.letter-settings button[type=submit]');
  await page.waitForSelector('.letter-settings [role=alert]');
  const errorOf = (name: string) => page.locator(`label:has(input[name=${name}]) .field-error`).innerText();
  assert.match(await errorOf('agency'), /Wajib diisi/);
  assert.match(await errorOf('numberPattern'), /\{n\} tepat sekali/);
  assert.match(await errorOf('signerNip'), /18 angka/);
  assert.match(await errorOf('email'), /email tidak sah/);
  assert.equal(await page.locator('input[name=agency]').getAttribute('aria-invalid'), 'true');
  // A file that only calls itself an image, then one too big: the logo says why, nothing is sent.
  await page.setInputFiles('input[name=logo]', {
    name: 'logo.png',
    mimeType: 'image/png',
    buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
  });
  await page.click('.letter-settings button[type=submit]');
  await page.waitForFunction(() =>
    /PNG atau JPEG/.test(
      document.querySelector('label:has(input[name=logo]) .field-error')?.textContent ?? '',
    ),
  );
  await page.setInputFiles('input[name=logo]', {
    name: 'pindaian.png',
    mimeType: 'image/png',
    buffer: Buffer.concat([blankPng(8, 8), Buffer.alloc(2 * 1024 * 1024)]),
  });
  await page.waitForFunction(() =>
    /256 KB/.test(document.querySelector('label:has(input[name=logo]) .field-error')?.textContent ?? ''),
  );
  const fill: Record<string, string> = {
    authority: 'Pemerintah Kabupaten Sragen',
    agency: 'Dinas Kependudukan dan Pencatatan Sipil',
    address: 'Jl. Raya Sukowati 255, Sragen 57215',
    email: 'dukcapil@sragenkab.go.id',
    place: 'Sragen',
    numberPattern: '470/{n}/Disdukcapil/{roman}/{year}',
    provincePlace: 'Semarang',
    signerName: 'Drs. Budi Hartono, M.Si.',
    signerNip: '19700101 199003 1 001',
  };
  for (const [name, value] of Object.entries(fill)) {
    await page.fill(`input[name=${name}]`, value);
  }
  await page.fill('textarea[name=copies]', 'Bupati Sragen\nArsip');
  await page.setInputFiles('input[name=logo]', {
    name: 'logo.png',
    mimeType: 'image/png',
    buffer: blankPng(240, 240),
  });
  await page.waitForSelector('.logo-preview');
  await page.click('.letter-settings button[type=submit]');
  await page.waitForSelector('.letter-settings .notice');
  assert.equal(await page.locator('.letter-settings .field-error').count(), 0);
  assert.equal(await page.locator('input[name=agency]').inputValue(), fill.agency);
  await page.screenshot({ path: join(screenshots, 'letter-settings.png'), fullPage: true });
  await context.close();
});

test('a technician writes the letter from the fault page and gets its PDF', async () => {
  const { context, page } = await signedIn(STAFF.technician);
  await page.goto(faultUrl('f-old'));
  await page.waitForSelector('.letter-form');
  await page.selectOption('select[name=recipient]', 'directorate');
  await page.fill(
    'textarea[name=note]',
    'Sudah dicoba ganti kabel USB‮ dan port lain.\n\n\n\nTetap tidak terdeteksi.',
  );
  const opened = context.waitForEvent('page');
  await page.click('button:has-text("Buat surat eskalasi")');
  const item = page.locator('.letters li').first();
  await item.waitFor();
  assert.equal(await item.getAttribute('data-number'), '470/1/Disdukcapil/XII/2026');
  // The PDF opens by itself in a new tab; the list keeps a link to it.
  const tab = await opened;
  assert.match(tab.url(), /\/api\/dash\/escalation-letters\/se-[0-9a-z]+\/pdf$/);
  const href = await item.locator('a').getAttribute('href');
  const pdf = await page.request.get(server.url + href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  const file = join(dir, 'letter.pdf');
  writeFileSync(file, await pdf.body());
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  assert.match(text, /Nomor\s+: 470\/1\/Disdukcapil\/XII\/2026/);
  assert.match(text, /Yth\. Direktur Jenderal Kependudukan dan\s+Pencatatan Sipil/);
  assert.match(text, /Sragen, 1 Desember 2026/);
  assert.match(text, /<script>alert\(1\)<\/script>/, 'the station text is printed as text');
  assert.match(text, /Cross Match <img src=x\s+onerror=alert\(1\)> Guardian 200/);
  assert.match(text, /Sudah dicoba ganti kabel USB dan port lain\./);
  assert.doesNotMatch(text, /[\u200b\u202a-\u202e]/u, 'no invisible or bidi characters in the letter');
  assert.match(text, /NIP\. 19700101 199003 1 001/);
  assert.match(text, /Halaman 1 dari \d/);
  execFileSync('pdftoppm', [
    '-png',
    '-r',
    '60',
    '-f',
    '1',
    '-l',
    '1',
    file,
    join(screenshots, 'letter-page'),
  ]);
  assert.ok(existsSync(join(screenshots, 'letter-page-1.png')));
  await context.close();
});

test('a younger fault and a recovered one say why there is no letter yet, and a viewer gets no button', async () => {
  const technician = await signedIn(STAFF.technician);
  await technician.page.goto(faultUrl('f-young'));
  await technician.page.waitForSelector('.escalation-letter');
  assert.match(await technician.page.locator('.escalation-letter').innerText(), /baru berlangsung 29 hari/);
  await technician.page.goto(faultUrl('f-recovered'));
  await technician.page.waitForFunction(() =>
    /sudah pulih/.test(document.querySelector('.escalation-letter')?.textContent ?? ''),
  );
  assert.doesNotMatch(await technician.page.locator('.escalation-letter').innerText(), /lebih dari 30 hari/);
  assert.equal(await technician.page.locator('.letter-form').count(), 0);
  await technician.context.close();
  const viewer = await signedIn(STAFF.viewer);
  await viewer.page.goto(faultUrl('f-old'));
  await viewer.page.waitForSelector('.escalation-letter .letters li');
  assert.equal(await viewer.page.locator('.letter-form').count(), 0);
  await viewer.context.close();
});

test('on a 360 px phone the letter panel and the settings form fit without scrolling sideways', async () => {
  const technician = await signedIn(STAFF.technician, 360);
  await technician.page.goto(faultUrl('f-old'));
  await technician.page.waitForSelector('.letter-form');
  await technician.page.waitForSelector('.letters li');
  await assertNoSidewaysScroll(technician.page);
  await technician.page
    .locator('.escalation-letter')
    .screenshot({ path: join(screenshots, 'letter-panel-360.png') });
  await technician.context.close();
  const admin = await signedIn(STAFF.admin, 360);
  await admin.page.goto(server.url + '/#/surat');
  await admin.page.waitForSelector('.letter-settings form');
  await admin.page.fill('input[name=signerNip]', '123');
  await admin.page.click('.letter-settings button[type=submit]');
  await admin.page.waitForSelector('.letter-settings .field-error');
  await assertNoSidewaysScroll(admin.page);
  await admin.page.screenshot({ path: join(screenshots, 'letter-settings-360.png'), fullPage: true });
  await admin.context.close();
});
