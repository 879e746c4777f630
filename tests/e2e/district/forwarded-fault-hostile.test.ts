// Hostile walk of a forwarded district's fault in Debian's Chromium, as the province's admin on a
// 360 px phone in English: reached from the fault list and from the board, with a district name
// and a device serial that have no space to break at; the page says where the fault is handled
// and offers no action, letter or loan; and the loan suggestions of the province's own fault next
// door never list the scanner installed at the forwarded station. Screenshots into a temporary
// folder (SIAGA_SCREENSHOTS_DIR to keep them).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { newStationId } from '../../../district/server/db/ids';
import { openDatabase } from '../../../district/server/db/open';
import { addPeer } from '../../../district/server/peering/peers';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import type { Event } from '../../../protocol/events';
import { forwardedStationId, PEER_PATHS } from '../../../protocol/peering';
import { PATHS } from '../../../protocol/requests';
import { launchChromium } from '../../helpers/browser';
import { addStaff, HEALTHY, heartbeat, openAllWeek, PASSWORD, STAFF } from '../../helpers/dashboard';
import { buildDashboardWeb } from '../../helpers/dashboard-web';
import { TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { screenshotDirectory } from '../../helpers/screenshots';

const clock = Date.now();
/** 80 characters without a space: a district name the layout must still wrap on a phone. */
const DISTRICT_NAME = 'KabupatenKepulauanSiauTagulandangBiaro-ProvinsiSulawesiUtara-WilayahPerbatasanRI';
const LONG_SERIAL = 'CAM-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789';
let dir: string;
let screenshots: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
const tangen = new TestStation();
const gemolong = new TestStation();
const downstream = { broken: new TestStation(), lender: new TestStation() };
let forwardedBroken: string;

const scanner = (serialNumber: string) => ({
  key: `usb:${serialNumber}`,
  vendor: 'Cross Match',
  model: 'Guardian 200',
  serialNumber,
  transport: 'usb' as const,
});

const inventory = (station: TestStation, serialNumber: string): Event =>
  station.event('inventory.changed', { added: [{ role: 'fingerprint', device: scanner(serialNumber) }], removed: [] }, clock);

async function send(station: TestStation, events: Event[]): Promise<void> {
  const body = JSON.stringify({ events });
  const response = await fetch(server.url + PATHS.events, {
    method: 'POST',
    body,
    headers: station.headers('POST', PATHS.events, body, clock),
  });
  assert.equal(response.status, 200, await response.text());
}

const widths = (target: Page) =>
  target.evaluate(() => ({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth }));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-forwarded-e2e-'));
  screenshots = screenshotDirectory(join(dir, 'screenshots'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  await openAllWeek(db);
  server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    now: () => clock,
    dashboard: { webDir, districtName: 'Disdukcapil Provinsi Jawa Tengah' },
  });
  const district = { app: server.app, db } as unknown as TestDistrict;
  await tangen.enroll(district, 'Loket 1', 'Tangen');
  await gemolong.enroll(district, 'Loket Provinsi', 'Gemolong');
  await send(tangen, [
    inventory(tangen, 'CM-TAN-1'),
    tangen.fault('fault.opened', 'fp-own', { device: scanner('CM-TAN-1') }, clock),
    heartbeat(tangen, clock, { ...HEALTHY, fingerprint: 'fault' }),
  ]);
  await send(gemolong, [inventory(gemolong, 'CM-GEM-OWN'), heartbeat(gemolong, clock, HEALTHY)]);

  // The peer forwards into the province's own (default) district, Gemolong shared with its own station.
  const peer = await addPeer(db, { districtName: DISTRICT_NAME, nowMs: clock });
  const key = new TestStation();
  const enrolled = await fetch(server.url + PEER_PATHS.enroll, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: peer.code, publicKey: key.publicKeyBase64, appVersion: '0.1.0' }),
  });
  assert.equal(enrolled.status, 200, await enrolled.text());
  for (const station of Object.values(downstream)) {
    station.stationId = newStationId(clock);
  }
  forwardedBroken = forwardedStationId(peer.peerId, downstream.broken.stationId);
  const body = JSON.stringify({
    stations: [
      { id: downstream.broken.stationId, name: 'Loket Gemolong Utara', kecamatan: 'Gemolong' },
      { id: downstream.lender.stationId, name: 'Loket Gemolong Selatan', kecamatan: 'Gemolong' },
    ],
    events: [
      downstream.broken.fault(
        'fault.opened',
        'cam-fwd',
        {
          role: 'camera',
          code: 'CAMERA_MISSING',
          device: { key: 'camera:0', vendor: 'Logitech', serialNumber: LONG_SERIAL },
          message: { id: 'Kamera tidak terdeteksi', en: 'Camera not detected' },
        },
        clock,
      ),
      heartbeat(downstream.broken, clock, { ...HEALTHY, camera: 'fault' }),
      inventory(downstream.lender, 'CM-GEM-FWD'),
      heartbeat(downstream.lender, clock, HEALTHY),
    ].map((event) => ({ event, receivedAt: new Date(clock).toISOString(), source: 'http' })),
  });
  const forwarded = await fetch(server.url + PEER_PATHS.events, {
    method: 'POST',
    body,
    headers: key.headers('POST', PEER_PATHS.events, body, clock, peer.peerId),
  });
  assert.equal(forwarded.status, 200, await forwarded.text());

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'en-US', timezoneId: 'Asia/Jakarta' });
  await page.addInitScript(() => window.localStorage.setItem('siaga.language', 'en'));
  await page.goto(server.url + '/');
  await page.fill('input[name=username]', STAFF.admin);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('header .user');
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function assertReadOnlyPage(name: string): Promise<void> {
  const note = page.locator('.fault-detail .notice.forwarded');
  await note.waitFor();
  const text = await note.innerText();
  assert.ok(text.startsWith(`${DISTRICT_NAME} runs its own Siaga server`), text);
  assert.equal(await page.locator('.fault-detail .actions').count(), 0, 'no action buttons');
  assert.equal(await page.locator('.fault-detail form').count(), 0, 'no letter or assign form');
  assert.equal(await page.locator('.fault-detail button').count(), 0, 'no button at all on the copy');
  await page.screenshot({ path: join(screenshots, `forwarded-${name}.png`), fullPage: true });
  const measured = await widths(page);
  const wide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((element) => element.getBoundingClientRect().right > 360)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`),
  );
  assert.ok(measured.page <= 360 && measured.body <= 360, `${name}: ${JSON.stringify(measured)} ${wide.join(' ')}`);
  const box = (await note.boundingBox())!;
  assert.ok(box.x >= 0 && box.x + box.width <= 360, `${name}: the line fits: ${JSON.stringify(box)}`);
}

test('from the fault list: the forwarded fault in English on a 360 px phone, read-only, nothing sideways', async () => {
  await page.goto(server.url + '/#/gangguan');
  await page.waitForSelector('table.faults');
  await page.click('table.faults a:has-text("Camera not detected")');
  assert.match(page.url(), new RegExp(`#/gangguan/${forwardedBroken}/cam-fwd$`));
  await assertReadOnlyPage('from-list');
});

test('from the board: the same copy, still read-only', async () => {
  await page.goto(server.url + '/#/');
  await page.locator('article.kecamatan').first().waitFor();
  await page.click('a:has-text("Camera not detected")');
  await assertReadOnlyPage('from-board');
});

test("the province's own fault: its loan suggestions list its own scanner, never the forwarded station's", async () => {
  await page.goto(`${server.url}/#/gangguan/${encodeURIComponent(tangen.stationId)}/fp-own`);
  await page.click('button.find-loan');
  await page.locator('.loan-candidate').first().waitFor();
  const offered = await page.locator('.loan-candidate').evaluateAll((items) =>
    items.map((item) => item.getAttribute('data-device')),
  );
  assert.ok(offered.some((id) => id?.endsWith('CM-GEM-OWN')), JSON.stringify(offered));
  assert.ok(!offered.some((id) => id?.endsWith('CM-GEM-FWD')), JSON.stringify(offered));
  const measured = await widths(page);
  assert.ok(measured.page <= 360 && measured.body <= 360, JSON.stringify(measured));
  await page.screenshot({ path: join(screenshots, 'forwarded-own-fault-loans.png'), fullPage: true });
});
