// The server-rendered first view of the board (routes/first-view.ts, first-view-state.ts) in
// Debian's Chromium against a real district server: the rows are in the document with JavaScript
// off; with it on, the board is visible before React runs, React hydrates the very same nodes (no
// hydration error), asks for neither the session nor the board again, and a fault link works; a
// hostile station name runs nothing; `#/gangguan`, a fault link, English or another time zone never
// show the server's board for a single frame; logging out then pressing Back shows the login, not the board.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { openDatabase } from '../../../district/server/db/open';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import type { Event } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import { launchChromium } from '../../helpers/browser';
import { addStaff, HEALTHY, heartbeat, openAllWeek, PASSWORD, STAFF } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { buildDashboardWeb } from '../../helpers/dashboard-web';

const HOSTILE_NAME = '</script><script>alert(1)</script>';
const clock = Date.now();
let dir: string;
let server: RunningServer;
let browser: Browser;
let cookie: string;
const healthy = new TestStation();
const broken = new TestStation();

async function send(station: TestStation, events: Event[]): Promise<void> {
  const body = JSON.stringify({ events });
  const response = await fetch(server.url + PATHS.events, {
    method: 'POST',
    body,
    headers: station.headers('POST', PATHS.events, body, clock),
  });
  assert.equal(response.status, 200, await response.text());
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-first-view-e2e-'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  await openAllWeek(db);
  server = await startServer({ db, port: 0, host: '127.0.0.1', now: () => clock, dashboard: { webDir } });
  const facade = { db: server.app.district.db, app: server.app } as unknown as TestDistrict;
  await healthy.enroll(facade, 'Loket 1', 'Plupuh');
  await broken.enroll(facade, HOSTILE_NAME, 'Tangen');
  await send(healthy, [heartbeat(healthy, clock - 30_000, HEALTHY)]);
  await send(broken, [
    broken.fault('fault.opened', 'fp-1', { firstSeen: new Date(clock - 3_600_000).toISOString() }, clock - 60_000),
    heartbeat(broken, clock - 30_000, { ...HEALTHY, fingerprint: 'fault' }),
  ]);
  const login = await fetch(`${server.url}/api/dash/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: STAFF.viewer, password: PASSWORD }),
  });
  assert.equal(login.status, 200);
  cookie = String(login.headers.get('set-cookie')).split(';')[0].split('=')[1];
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Observed {
  /** At the first server-rendered kecamatan the parser inserted: visible, and React not there yet. */
  first: { visible: boolean; mounted: boolean } | null;
  /** Frames (and parser insertions) in which any of the server's first view was visible. */
  visibleSamples: number;
  samples: number;
}

/**
 * A signed-in page that watches the server's first view from before the document exists: at every
 * parser insertion and every animation frame, whether any of it is visible.
 */
async function signedInPage(
  options: BrowserContextOptions = {},
  language?: 'en',
): Promise<{ page: Page; problems: string[]; apiRequests: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    ...options,
  });
  await context.addCookies([{ name: 'siaga_session', value: cookie, url: server.url }]);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`${message.type()}: ${message.text()}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const apiRequests: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/api/')) {
      apiRequests.push(path);
    }
  });
  if (language !== undefined) {
    await page.addInitScript((chosen) => window.localStorage.setItem('siaga.language', chosen), language);
  }
  // As text: tsx would wrap the named functions of a callback in a helper the page does not have.
  await page.addInitScript(`(() => {
    const observed = { first: null, visibleSamples: 0, samples: 0 };
    window.observed = observed;
    const sample = () => {
      const root = document.querySelector('#root[data-server-rendered]');
      if (root === null) {
        return;
      }
      observed.samples++;
      if (Array.from(root.children).some((child) => child.checkVisibility())) {
        observed.visibleSamples++;
      }
      const article = root.querySelector('article.kecamatan');
      if (article !== null && observed.first === null) {
        observed.first = {
          visible: article.checkVisibility(),
          mounted: document.documentElement.hasAttribute('data-app-mounted'),
        };
        article.parsed = true;
      }
    };
    new MutationObserver(sample).observe(document, { childList: true, subtree: true });
    const frame = () => {
      sample();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })();`);
  return { page, problems, apiRequests, close: () => context.close() };
}

const observed = (page: Page) => page.evaluate(() => (window as unknown as { observed: Observed }).observed);

test('with JavaScript off the board rows are already in the document', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies([{ name: 'siaga_session', value: cookie, url: server.url }]);
  const page = await context.newPage();
  await page.goto(server.url + '/');
  assert.equal(await page.locator('#root[data-server-rendered] article.kecamatan').count(), 2);
  assert.equal(await page.locator('tr[data-station]').count(), 2);
  assert.equal(await page.locator(`tr[data-station="${broken.stationId}"] .station-name`).textContent(), HOSTILE_NAME);
  await context.close();
});

test('the board is visible before React runs; React hydrates the same nodes, asks nothing again, and a fault link works', async () => {
  const { page, problems, apiRequests, close } = await signedInPage();
  await page.goto(server.url + '/');
  await page.locator('html[data-app-mounted]').waitFor({ state: 'attached' });
  const seen = await observed(page);
  assert.deepEqual(seen.first, { visible: true, mounted: false }, 'shown by the parser, before React');
  assert.ok(
    await page.locator('article.kecamatan').first().evaluate((article) => (article as unknown as { parsed?: boolean }).parsed === true),
    'the parsed nodes are the ones React kept (hydrated, not rendered afresh)',
  );
  assert.deepEqual(apiRequests, [], 'session and board came with the page');
  await page.locator(`tr[data-station="${broken.stationId}"] a[href^="#/gangguan/"]`).click();
  await page.locator('.fault-detail').waitFor();
  assert.deepEqual(problems, [], 'no console error, no hydration mismatch, no dialog');
  await close();
});

test('`#/gangguan`, a fault link, English or another time zone never show the server board for a frame', async () => {
  const cases: { name: string; hash: string; options?: BrowserContextOptions; language?: 'en'; ready: string }[] = [
    { name: 'faults', hash: '#/gangguan', ready: 'a[href="#/gangguan"].current' },
    { name: 'fault link', hash: `#/gangguan/${broken.stationId}/fp-1`, ready: '.fault-detail' },
    { name: 'English', hash: '#/', language: 'en', ready: 'a[href="#/"].current:text("Board")' },
    { name: 'Makassar', hash: '', options: { timezoneId: 'Asia/Makassar' }, ready: 'article.kecamatan >> text=WITA' },
  ];
  for (const entry of cases) {
    const { page, problems, close } = await signedInPage(entry.options, entry.language);
    await page.goto(server.url + '/' + entry.hash);
    await page.locator(entry.ready).first().waitFor();
    // A few more frames after React's render, then the count.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
    const seen = await observed(page);
    assert.ok(seen.samples > 0, `${entry.name}: the first view was in the document`);
    assert.equal(seen.visibleSamples, 0, `${entry.name}: never visible`);
    assert.deepEqual(problems, [], entry.name);
    await close();
  }
});

test('logging out then pressing Back shows the login form, not the board', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Jakarta' });
  const page = await context.newPage();
  await page.goto(server.url + '/');
  await page.fill('input[name=username]', STAFF.viewer);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.locator('article.kecamatan').first().waitFor();
  await page.reload();
  await page.locator('html[data-app-mounted] #root[data-server-rendered] article.kecamatan').first().waitFor();
  await page.click('header button:text("Keluar")');
  await page.locator('input[name=username]').waitFor();
  await page.goto(server.url + '/publik');
  await page.goBack();
  await page.locator('input[name=username]').waitFor();
  assert.equal(await page.locator('#siaga-first-view-data').count(), 0, 'the page came from the server, plain');
  assert.equal(await page.locator('article.kecamatan').count(), 0);
  await context.close();
});

test('a slow link and an API down at load: the board is there before app.js; in another zone, the loading line', async () => {
  for (const [timezoneId, shown] of [
    ['Asia/Jakarta', true],
    ['Asia/Makassar', false],
  ] as const) {
    const { page, problems, close } = await signedInPage({ timezoneId });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.context().route('**/app.js', async (route) => {
      await held;
      await route.continue();
    });
    await page.context().route('**/api/**', (route) => route.abort('connectionrefused'));
    await page.goto(`${server.url}/#/`, { waitUntil: 'commit' });
    await page.waitForSelector('#root', { state: 'attached' });
    await page.waitForTimeout(300);
    assert.equal(await page.locator('article.kecamatan').first().isVisible(), shown, timezoneId);
    assert.equal(await page.locator('text=/Memuat dasbor/').isVisible(), !shown, timezoneId);
    release();
    // The app needs no request: the session and board came with the page.
    await page.locator('html[data-app-mounted]').waitFor({ state: 'attached' });
    await page.locator(`tr[data-station="${broken.stationId}"]`).waitFor();
    assert.equal(await page.locator('text=/Memuat dasbor/').count(), 0, 'the loading line is gone');
    assert.equal(await page.locator('[data-server-unreachable], form.login').count(), 0);
    assert.deepEqual(problems.filter((problem) => !problem.includes('ERR_CONNECTION_REFUSED')), [], timezoneId);
    await close();
  }
});
