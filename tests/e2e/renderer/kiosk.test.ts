// The kiosk UI in Debian Chromium with StationApi backed by the real station service on a
// simulated kit: the board, the daily check end to end, a device failing mid-session, the PIN
// lockout, and both languages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/browser';
import { startKioskServer } from '../../helpers/kiosk-server';
import type { KioskServer } from '../../helpers/kiosk-server';
import { writeY4m } from '../../helpers/y4m';
import { PIN_ATTEMPTS } from '../../../electron/station/service';

let browser: Browser;
let directory: string;
const servers: KioskServer[] = [];

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'siaga-kiosk-e2e-'));
  browser = await launchChromium({ videoFile: writeY4m(join(directory, 'face.y4m'), { scene: 'normal' }) });
});

after(async () => {
  await browser?.close();
  for (const server of servers) {
    await server.close();
  }
  rmSync(directory, { recursive: true, force: true });
});

async function open(
  options: Parameters<typeof startKioskServer>[0] = {},
): Promise<{ server: KioskServer; page: Page }> {
  const server = await startKioskServer({ skipBuild: servers.length > 0, ...options });
  servers.push(server);
  await server.service.runCheck({ mode: 'active' });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.getByTestId('board').waitFor();
  return { server, page };
}

test('the board shows a tile per role, "can record today" at the top, in Indonesian then English', async () => {
  const { page } = await open();
  const tiles = page.locator('[data-testid^="tile-"]');
  assert.equal(await tiles.count(), 8);
  assert.equal(await page.getByTestId('can-record').getAttribute('data-can-record'), 'true');
  assert.match(await page.getByTestId('can-record').innerText(), /Hari ini BISA merekam/);
  assert.equal(await page.getByTestId('tile-fingerprint').getAttribute('data-status'), 'ok');
  assert.match(await page.getByTestId('tile-fingerprint').innerText(), /Pemindai sidik jari/);
  await page.getByTestId('language-en').click();
  await page.getByText('Recording is POSSIBLE today').waitFor();
  assert.match(await page.getByTestId('tile-fingerprint').innerText(), /Fingerprint scanner/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.close();
});

test('a device that fails mid-session turns its tile red within 2 s', async () => {
  const { server, page } = await open({ passiveIntervalMs: 300 });
  await page.getByTestId('tile-fingerprint').and(page.locator('[data-status="ok"]')).waitFor();
  const failedAt = Date.now();
  server.station.set('fingerprint-missing');
  await page.locator('[data-testid="tile-fingerprint"][data-status="fault"]').waitFor({ timeout: 2000 });
  const elapsed = Date.now() - failedAt;
  assert.ok(elapsed < 2000, `red after ${elapsed} ms`);
  assert.match(await page.getByTestId('tile-fingerprint').innerText(), /Pasang kembali kabel USB/);
  assert.equal(await page.getByTestId('can-record').getAttribute('data-can-record'), 'false');
  // The debounced fault opens and the board says whether the district was told.
  await page.getByTestId('district-fingerprint').waitFor({ timeout: 5000 });
  assert.match(await page.getByTestId('district-fingerprint').innerText(), /Kabupaten: (menunggu|sudah)/);
  await page.getByTestId('nav-faults').click();
  await page.getByTestId('fault-FINGERPRINT_MISSING').waitFor();
  await page.close();
});

test('the operator runs the daily check end to end and the result is queued for the district', async () => {
  const { server, page } = await open();
  await page.getByTestId('start-daily').click();
  await page.locator('[data-testid="automatic-next"]:not([disabled])').waitFor({ timeout: 10_000 });
  assert.equal(
    await page.getByTestId('automatic-progress').getAttribute('data-done'),
    await page.getByTestId('automatic-progress').getAttribute('data-total'),
  );
  await page.getByTestId('automatic-next').click();
  await page.locator('[data-testid="camera-verdict"][data-code="CAMERA_OK"]').waitFor({ timeout: 10_000 });
  await page.getByTestId('camera-next').click();
  for (const step of ['fingerprint', 'signature', 'iris']) {
    await page.getByTestId(`step-${step}`).waitFor();
    await page.getByTestId('answer-yes').click();
  }
  await page.getByTestId('blank-cards').fill('240');
  await page.getByTestId('ribbon-prints').fill('180');
  await page.getByTestId('stock-next').click();
  await page.getByTestId('operator-name').fill('Siti Rahmawati');
  await page.getByTestId('operator-nip').fill('19850312');
  await page.getByTestId('finish').click();
  assert.match(await page.getByTestId('sign-off-error').innerText(), /NIP harus 18 angka/);
  await page.getByTestId('operator-nip').fill('198503122010012003');
  await page.getByTestId('finish').click();
  await page.locator('[data-testid="step-done"][data-can-record="true"]').waitFor();
  const events = server.store.pending(100).filter((event) => event.type === 'daily-check.completed');
  assert.equal(events.length, 1);
  const payload = JSON.parse(events[0]!.payload) as {
    operatorNip: string;
    consumables: { blankCards: number };
    steps: { id: string }[];
  };
  assert.equal(payload.operatorNip, '198503122010012003');
  assert.equal(payload.consumables.blankCards, 240);
  assert.ok(payload.steps.some((step) => step.id === 'manual-camera'));
  await page.getByTestId('wizard-close').click();
  await page.getByTestId('daily-state').getByText('sudah selesai').waitFor();
  assert.match(await page.getByTestId('supplies').innerText(), /240/);
  await page.close();
});

test('the technician PIN locks after repeated wrong entries, even for the right PIN', async () => {
  const { page } = await open({ initialPin: '135790' });
  await page.getByTestId('nav-technician').click();
  for (let attempt = 1; attempt < PIN_ATTEMPTS; attempt++) {
    await page.getByTestId('pin-input').fill('111111');
    await page.getByTestId('pin-submit').click();
    await page
      .getByTestId('pin-message')
      .getByText(`Sisa percobaan: ${PIN_ATTEMPTS - attempt}`)
      .waitFor();
  }
  await page.getByTestId('pin-input').fill('111111');
  await page.getByTestId('pin-submit').click();
  await page.locator('[data-testid="pin-message"][data-locked="true"]').waitFor();
  await page.getByTestId('pin-input').fill('135790');
  await page.getByTestId('pin-submit').click();
  await page.locator('[data-testid="pin-message"][data-locked="true"]').waitFor();
  assert.equal(await page.getByTestId('technician').count(), 0);
  await page.close();
});

test('the right PIN opens technician mode: raw USB tree, log and a diagnostics bundle', async () => {
  const { page } = await open({ initialPin: '135790' });
  await page.getByTestId('nav-technician').click();
  await page.getByTestId('pin-input').fill('135790');
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('usb-tree').getByText('09b0:2400').waitFor();
  await page.getByTestId('tab-actions').click();
  await page.getByTestId('export-diagnostics').click();
  await page.getByTestId('notice').getByText('.zip').waitFor();
  await page.close();
});
