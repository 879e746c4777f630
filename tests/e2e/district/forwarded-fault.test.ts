// The page of a fault forwarded by a district's own server, in Debian's Chromium against a real
// server that a real signed forward fed: one line says (in Indonesian, and in English once the
// language is switched) that the district handles it on its own server, and there is no action,
// letter or loan button; the province's own fault beside it keeps all of them. Screenshots into a
// temporary folder (SIAGA_SCREENSHOTS_DIR to keep them).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../../district/server/db/open';
import { addPeer } from '../../../district/server/peering/peers';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import type { Event } from '../../../protocol/events';
import { forwardedStationId, PEER_PATHS } from '../../../protocol/peering';
import { PATHS } from '../../../protocol/requests';
import { launchChromium } from '../../helpers/browser';
import { addStaff, HEALTHY, heartbeat, openAllWeek, PASSWORD, STAFF } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { buildDashboardWeb } from '../../helpers/dashboard-web';
import { screenshotDirectory } from '../../helpers/screenshots';

const clock = Date.now();
let dir: string;
let screenshots: string;
let server: RunningServer;
let browser: Browser;
let page: Page;
const tangen = new TestStation();
const peer = new TestStation();
const downstream = new TestStation();
downstream.stationId = 'st-smb-1';
let forwardedId: string;

async function post(path: string, signer: TestStation, body: string): Promise<void> {
  const response = await fetch(server.url + path, { method: 'POST', body, headers: signer.headers('POST', path, body, clock) });
  assert.equal(response.status, 200, await response.text());
}

async function open(stationId: string, faultId: string): Promise<void> {
  await page.goto(`${server.url}/#/gangguan/${encodeURIComponent(stationId)}/${faultId}`);
  await page.locator('.fault-detail .history li').first().waitFor();
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-forwarded-e2e-'));
  screenshots = screenshotDirectory(join(dir, 'screenshots'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  await openAllWeek(db);
  server = await startServer({ db, port: 0, host: '127.0.0.1', now: () => clock, dashboard: { webDir, districtName: 'Disdukcapil Kabupaten Sragen' } });
  await tangen.enroll({ app: server.app, db } as unknown as TestDistrict, 'Loket 1', 'Tangen');
  const fault = (station: TestStation): Event[] => [
    heartbeat(station, clock, { ...HEALTHY, fingerprint: 'fault' }),
    station.fault('fault.opened', 'fp-1', {}, clock),
  ];
  await post(PATHS.events, tangen, JSON.stringify({ events: fault(tangen) }));
  const added = await addPeer(db, { districtName: 'Kabupaten Sragen (server sendiri)', nowMs: clock });
  const enrolled = await fetch(server.url + PEER_PATHS.enroll, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: added.code, publicKey: peer.publicKeyBase64, appVersion: '0.1.0' }),
  });
  assert.equal(enrolled.status, 200, await enrolled.text());
  peer.stationId = added.peerId;
  forwardedId = forwardedStationId(peer.stationId, downstream.stationId);
  await post(
    PEER_PATHS.events,
    peer,
    JSON.stringify({
      stations: [{ id: downstream.stationId, name: 'Loket Sambungmacan', kecamatan: 'Sambungmacan' }],
      events: fault(downstream).map((event) => ({ event, receivedAt: new Date(clock).toISOString(), source: 'http' })),
    }),
  );
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
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

test("the province's own fault offers the actions, a letter and a loan search", async () => {
  await open(tangen.stationId, 'fp-1');
  await page.locator('.fault-detail .actions button').first().waitFor();
  assert.ok((await page.locator('.fault-detail .actions button').count()) >= 2);
  assert.equal(await page.locator('.fault-detail .notice.forwarded').count(), 0);
  await page.locator('.fault-detail .escalation-letter').waitFor();
  assert.equal(await page.locator('.fault-detail button.find-loan').count(), 1);
});

test('a forwarded fault shows where it is handled and no button at all', async () => {
  await open(forwardedId, 'fp-1');
  const line = page.locator('.fault-detail .notice.forwarded');
  await line.waitFor();
  assert.match(
    await line.innerText(),
    /^Kabupaten Sragen \(server sendiri\) memakai server Siaga sendiri; tindak lanjut gangguan ini .* dilakukan di server itu/,
  );
  assert.equal(await page.locator('.fault-detail .actions').count(), 0);
  assert.equal(await page.locator('.fault-detail button').count(), 0, await page.locator('.fault-detail').innerHTML());
  assert.equal(await page.locator('.fault-detail .escalation-letter').count(), 0);
  await page.screenshot({ path: join(screenshots, 'forwarded-fault.png'), fullPage: true });

  await page.locator('header button:has-text("English")').first().click();
  await page.waitForFunction(() => document.querySelector('.fault-detail .notice.forwarded')?.textContent?.includes('runs its own Siaga server') === true);
  assert.match(await line.innerText(), /runs its own Siaga server; this fault is handled there/);
  assert.equal(await page.locator('.fault-detail button').count(), 0);
});
