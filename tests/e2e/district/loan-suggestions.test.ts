// "Cari pinjaman" in Debian's Chromium against a real district server: from the fingerprint fault
// at Tangen, one click shows the ranked list (Gemolong's scanner by the district's table, the spare
// as "perkiraan"), a technician lends the first one and sees who was emailed (a real SMTP peer);
// an admin's bad coordinate is refused naming the field and keeps what was typed; on a 360 px phone
// nothing scrolls sideways. Screenshots into a temporary folder (SIAGA_SCREENSHOTS_DIR to keep them).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { localDay } from '../../../district/server/calendar/service-hours';
import { addClosedDay } from '../../../district/server/calendar/store';
import { openDatabase } from '../../../district/server/db/open';
import { addSpare } from '../../../district/server/inventory/devices';
import { setDistance, setOffice } from '../../../district/server/inventory/offices';
import { createNotifier } from '../../../district/server/notify/notifier';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import type { Event } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import { launchChromium } from '../../helpers/browser';
import { addStaff, HEALTHY, heartbeat, openAllWeek, PASSWORD, STAFF } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { screenshotDirectory } from '../../helpers/screenshots';
import { startSmtp } from '../../helpers/smtp';
import type { TestSmtp } from '../../helpers/smtp';
import { buildDashboardWeb } from '../../helpers/dashboard-web';

const clock = Date.now();
let dir: string;
let screenshots: string;
let server: RunningServer;
let smtp: TestSmtp;
let browser: Browser;
let page: Page;
const tangen = new TestStation();
const gemolong = new TestStation();
const sukodono = new TestStation();

async function send(station: TestStation, events: Event[]): Promise<void> {
  const body = JSON.stringify({ events });
  const response = await fetch(server.url + PATHS.events, {
    method: 'POST',
    body,
    headers: station.headers('POST', PATHS.events, body, clock),
  });
  assert.equal(response.status, 200, await response.text());
}

const scanner = (serialNumber: string) => ({
  key: `usb:${serialNumber}`,
  vendor: 'Cross Match',
  model: 'Guardian 200',
  serialNumber,
  transport: 'usb' as const,
});

const inventory = (station: TestStation, serialNumber: string): Event =>
  station.event(
    'inventory.changed',
    { added: [{ role: 'fingerprint', device: scanner(serialNumber) }], removed: [] },
    clock,
  );

async function logIn(target: Page, username: string): Promise<void> {
  await target.goto(server.url + '/');
  await target.fill('input[name=username]', username);
  await target.fill('input[name=password]', PASSWORD);
  await target.click('button[type=submit]');
  await target.waitForSelector('header .user');
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-loan-e2e-'));
  screenshots = screenshotDirectory(join(dir, 'screenshots'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  smtp = await startSmtp();
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  await openAllWeek(db);
  server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    now: () => clock,
    dashboard: {
      webDir,
      districtName: 'Disdukcapil Kabupaten Sragen',
      notifier: createNotifier({ smtpUrl: smtp.url, from: 'Siaga <siaga@sragen.example.go.id>' }),
    },
  });
  const district = { app: server.app, db } as unknown as TestDistrict;
  await tangen.enroll(district, 'Loket 1', 'Tangen');
  await gemolong.enroll(district, 'Loket 1', 'Gemolong');
  await sukodono.enroll(district, 'Loket 1', 'Sukodono');
  await addClosedDay(db, {
    date: localDay(clock, 'WIB').date,
    kecamatan: 'Gemolong',
    note: '',
    nowMs: clock,
  });
  const offices: [string | null, number, number, string[]][] = [
    [null, -7.4265, 111.0219, ['gudang@sragen.example.go.id']],
    ['Tangen', -7.3703, 111.0905, ['teknisi.tangen@sragen.example.go.id']],
    ['Gemolong', -7.3944, 110.8325, ['teknisi.gemolong@sragen.example.go.id']],
    ['Sukodono', -7.3189, 111.0296, []],
  ];
  for (const [kecamatan, latitude, longitude, technicianEmails] of offices) {
    await setOffice(db, { kecamatan, latitude, longitude, technicianEmails }, clock);
  }
  await setDistance(db, {
    from: 'Tangen',
    to: 'Gemolong',
    roadKm: 12,
    minutes: 18,
    remove: false,
    nowMs: clock,
  });
  await addSpare(db, {
    serialNumber: 'CM-SPARE-1',
    vendor: 'Cross Match',
    model: 'Guardian 200',
    role: 'fingerprint',
    note: '',
    nowMs: clock,
  });
  await send(gemolong, [inventory(gemolong, 'CM-GEM-1'), heartbeat(gemolong, clock, HEALTHY)]);
  await send(sukodono, [inventory(sukodono, 'CM-SUK-1'), heartbeat(sukodono, clock, HEALTHY)]);
  await send(tangen, [
    inventory(tangen, 'CM-TAN-3'),
    tangen.fault('fault.opened', 'fp-1', { device: scanner('CM-TAN-3') }, clock),
    heartbeat(tangen, clock, { ...HEALTHY, fingerprint: 'fault' }),
  ]);
  browser = await launchChromium();
  page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('from the fault, one click: the ranked list; accept the first and both technicians are emailed', async () => {
  await logIn(page, STAFF.technician);
  await page.goto(`${server.url}/#/gangguan/${tangen.stationId}/fp-1`);
  await page.click('button.find-loan');
  const items = page.locator('.loan-candidate');
  await items.first().waitFor();
  const texts = await items.allInnerTexts();
  assert.equal(texts.length, 2, texts.join('\n---\n'));
  assert.match(texts[0], /CM-GEM-1/);
  assert.match(texts[0], /Kantor Kec\. Gemolong tutup hari ini/);
  assert.match(texts[0], /12 km, 18 menit \(tabel kabupaten\)/);
  assert.match(texts[0], /pemeriksaan terakhir: (Baik|OK)/i);
  assert.match(texts[1], /CM-SPARE-1/);
  assert.match(texts[1], /Cadangan di gudang kabupaten/);
  assert.match(texts[1], /perkiraan/);
  assert.doesNotMatch(texts.join('\n'), /CM-SUK-1|CM-TAN-3/);
  await page.screenshot({ path: join(screenshots, 'loan-suggestions.png'), fullPage: true });

  await items.first().locator('button:has-text("Pinjamkan")').click();
  // No letter number: refused in the page, nothing sent.
  await items.first().locator('form.loan-accept button[type=submit]').click();
  assert.equal(await page.locator('form.loan-accept .error').innerText(), 'Isi Nomor surat.');
  await page.fill('form.loan-accept input[name=reference]', '027/PP/XII/2026');
  await items.first().locator('form.loan-accept button[type=submit]').click();
  const done = page.locator('.loan-done');
  await done.waitFor();
  assert.match(await done.innerText(), /Pinjam pakai 027\/PP\/XII\/2026 dicatat\./);
  assert.match(await done.innerText(), /teknisi\.gemolong@sragen\.example\.go\.id/);
  assert.match(await done.innerText(), /teknisi\.tangen@sragen\.example\.go\.id/);
  const mails = await smtp.waitFor(2);
  assert.deepEqual(mails.flatMap((mail) => mail.to).sort(), [
    'teknisi.gemolong@sragen.example.go.id',
    'teknisi.tangen@sragen.example.go.id',
  ]);
  await page.screenshot({ path: join(screenshots, 'loan-accepted.png'), fullPage: true });
  // Asked again, the lent scanner is gone from the list: only the spare is left.
  await page.reload();
  await page.click('button.find-loan');
  await page.locator('.loan-candidate').first().waitFor();
  assert.deepEqual(
    await page
      .locator('.loan-candidate')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-device'))),
    ['sn:cross match:CM-SPARE-1'],
  );
});

test('an admin edits an office: a bad latitude is refused naming the field, and what was typed stays', async () => {
  const admin = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  await logIn(admin, STAFF.admin);
  await admin.goto(`${server.url}/#/kantor`);
  await admin.waitForSelector('form.office-form');
  await admin.selectOption('form.office-form select[name=kecamatan]', 'Sukodono');
  await admin.fill('form.office-form input[name=latitude]', '111,03');
  await admin.fill('form.office-form input[name=technicianEmails]', 'teknisi.sukodono@sragen.example.go.id');
  await admin.click('form.office-form button[type=submit]');
  const error = admin.locator('form.office-form .error');
  await error.waitFor();
  assert.match(await error.innerText(), /^latitude: /);
  assert.equal(await admin.inputValue('form.office-form input[name=latitude]'), '111,03');
  assert.equal(
    await admin.inputValue('form.office-form input[name=technicianEmails]'),
    'teknisi.sukodono@sragen.example.go.id',
  );
  await admin.fill('form.office-form input[name=latitude]', '-7,3189');
  await admin.click('form.office-form button[type=submit]');
  await admin.waitForSelector('form.office-form [role=status]');
  assert.match(
    await admin.locator('.offices table').first().innerText(),
    /teknisi\.sukodono@sragen\.example\.go\.id/,
  );
  await admin.screenshot({ path: join(screenshots, 'offices.png'), fullPage: true });
  await admin.close();
});

test('on a 360 px phone the suggestions and the offices page do not scroll sideways', async () => {
  const phone = await browser.newPage({
    viewport: { width: 360, height: 740 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  await logIn(phone, STAFF.admin);
  for (const [name, hash, ready] of [
    ['suggestions', `#/gangguan/${tangen.stationId}/fp-1`, '.loan-candidate'],
    ['offices', '#/kantor', 'form.distance-form'],
  ] as const) {
    await phone.goto(`${server.url}/${hash}`);
    if (name === 'suggestions') {
      await phone.click('button.find-loan');
    }
    await phone.locator(ready).first().waitFor();
    const widths = await phone.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
    }));
    assert.ok(widths.page <= 360 && widths.body <= 360, `${name}: ${JSON.stringify(widths)}`);
    await phone.screenshot({ path: join(screenshots, `loan-phone-${name}.png`), fullPage: true });
  }
  await phone.close();
});
