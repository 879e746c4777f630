// The dashboard split into chunks (scripts/dashboard-web-build.mjs), in Debian's Chromium against a
// real district server: the board loads app.js and its preloaded shared chunks only (no uPlot, no
// zod); the forecast page loads its chunk when opened and draws its uPlot chart; the letter settings
// page builds zod schemas without a Content-Security-Policy violation; chunks are cacheable for a year,
// app.js is revalidated with its ETag; a chunk gone since the tab was opened (the district updated)
// shows a clear line with a reload button, not a blank page, and the other pages still work.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../../district/server/db/open';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import type { Event } from '../../../protocol/events';
import type { Forecast } from '../../../protocol/forecast';
import { PATHS } from '../../../protocol/requests';
import { launchChromium } from '../../helpers/browser';
import { addStaff, HEALTHY, heartbeat, openAllWeek, PASSWORD, STAFF } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { buildDashboardWeb } from '../../helpers/dashboard-web';

const DAY = 86_400_000;
const clock = Date.now();
let dir: string;
let webDir: string;
let server: RunningServer;
let browser: Browser;
const station = new TestStation();

/** The built chunk whose code contains `marker` (exactly one). */
function chunkWith(marker: string): string {
  const names = readdirSync(join(webDir, 'chunks')).filter(
    (name) => name.endsWith('.js') && readFileSync(join(webDir, 'chunks', name), 'utf8').includes(marker),
  );
  assert.equal(names.length, 1, `one chunk holds ${marker}: ${names.join(', ')}`);
  return names[0];
}

const FORECAST: Forecast = {
  code: 'FORECAST_RIBBON_RUNNING_OUT',
  role: 'card-printer',
  deviceKey: 'usb:EV-1',
  likelyInDays: 5,
  message: { id: 'Pita tersisa 150 cetakan.', en: '150 prints left on the ribbon.' },
  series: [
    {
      metric: 'prints-left',
      unit: 'prints',
      points: Array.from({ length: 10 }, (_, day) => ({
        at: new Date(clock - (9 - day) * DAY).toISOString(),
        value: 420 - day * 30,
      })),
      limit: 0,
    },
  ],
  computedAt: new Date(clock).toISOString(),
};

/** Signs in on a fresh page; returns it with the list of same-origin paths it has requested. */
async function signIn(
  username: string,
): Promise<{ page: Page; requested: string[]; violations: () => Promise<string[]> }> {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  const requested: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(server.url)) {
      requested.push(new URL(request.url()).pathname);
    }
  });
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { violations: string[] }).violations = violations;
    document.addEventListener('securitypolicyviolation', (event) =>
      violations.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
      ),
    );
  });
  await page.goto(server.url + '/');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.locator('article.kecamatan').first().waitFor();
  return {
    page,
    requested,
    violations: () => page.evaluate(() => (window as unknown as { violations: string[] }).violations),
  };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-code-splitting-e2e-'));
  webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  await openAllWeek(db);
  server = await startServer({ db, port: 0, host: '127.0.0.1', now: () => clock, dashboard: { webDir } });
  const facade = { db: server.app.district.db, app: server.app } as unknown as TestDistrict;
  await station.enroll(facade, 'Loket 1', 'Plupuh');
  const events: Event[] = [
    station.event('forecast.reported', { forecasts: [FORECAST] }, clock - 60_000),
    heartbeat(station, clock - 30_000, HEALTHY),
  ];
  const body = JSON.stringify({ events });
  const response = await fetch(server.url + PATHS.events, {
    method: 'POST',
    body,
    headers: station.headers('POST', PATHS.events, body, clock),
  });
  assert.equal(response.status, 200, await response.text());
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the board loads without the chunks of uPlot and zod; the forecast page loads its chunk and draws its chart', async () => {
  const uPlotChunk = chunkWith('uPlot');
  const zodChunk = chunkWith('jitless');
  const app = readFileSync(join(webDir, 'app.js'), 'utf8');
  assert.doesNotMatch(app, /uPlot|jitless/, 'app.js carries neither uPlot nor zod');
  const { page, requested, violations } = await signIn(STAFF.viewer);
  await page.locator(`tr[data-station="${station.stationId}"] li.forecast`).waitFor();
  assert.ok(requested.includes('/app.js'));
  assert.ok(!requested.includes(`/chunks/${uPlotChunk}`), `the board did not ask for ${uPlotChunk}`);
  assert.ok(!requested.includes(`/chunks/${zodChunk}`), `the board did not ask for ${zodChunk}`);
  // Every chunk app.js imports is named in index.html, so it downloads alongside app.js.
  const html = readFileSync(join(webDir, 'index.html'), 'utf8');
  for (const [, name] of app.matchAll(/^import[^;]*?from\s*"\.\/chunks\/([^"]+)"/gm)) {
    assert.ok(html.includes(`<link rel="modulepreload" href="/chunks/${name}" />`), `${name} preloaded`);
  }

  await page.click('a[href="#/perkiraan"]');
  const chart = page.locator('.forecast-chart canvas').first();
  await chart.waitFor();
  assert.ok(requested.includes(`/chunks/${uPlotChunk}`), 'the forecast page loaded the uPlot chunk');
  const drawn = await chart.evaluate((canvas) => {
    const { data } = (canvas as HTMLCanvasElement)
      .getContext('2d')!
      .getImageData(0, 0, (canvas as HTMLCanvasElement).width, (canvas as HTMLCanvasElement).height);
    let opaque = 0;
    for (let index = 3; index < data.length; index += 4) {
      opaque += data[index] > 200 ? 1 : 0;
    }
    return opaque;
  });
  assert.ok(drawn > 100, `the chart has drawn pixels (${drawn})`);
  assert.deepEqual(await violations(), []);
  await page.close();
});

test('the letter settings page loads zod in its chunk without a Content-Security-Policy violation', async () => {
  const { page, requested, violations } = await signIn(STAFF.admin);
  await page.click('a[href="#/surat"]');
  await page.locator('.letter-settings form').waitFor();
  assert.ok(requested.includes(`/chunks/${chunkWith('jitless')}`));
  assert.deepEqual(await violations(), []);
  await page.close();
});

test('chunks are cached a year; app.js and index.html are revalidated by ETag; odd chunk names are 404', async () => {
  const chunk = chunkWith('uPlot');
  const answer = await fetch(`${server.url}/chunks/${chunk}`);
  assert.equal(answer.status, 200);
  assert.equal(answer.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.match(String(answer.headers.get('content-type')), /^text\/javascript/);
  for (const file of ['/app.js', '/']) {
    const first = await fetch(server.url + file);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-cache');
    const etag = first.headers.get('etag');
    assert.ok(etag !== null);
    const again = await fetch(server.url + file, { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal((await again.arrayBuffer()).byteLength, 0);
    const stale = await fetch(server.url + file, { headers: { 'if-none-match': 'W/"0-0"' } });
    assert.equal(stale.status, 200);
  }
  for (const name of [
    'Gone-ABCDEFGH.js',
    'app.js',
    '..%2Fapp.js',
    '..%2F..%2Fpackage.json',
    'x-ABCDEFGH.exe',
  ]) {
    const missing = await fetch(`${server.url}/chunks/${name}`);
    assert.equal(missing.status, 404, name);
    assert.doesNotMatch(await missing.text(), /import|dashboard not built/, name);
  }
});

test('a chunk gone since the page was opened shows "tidak dapat dimuat" with a reload button; other pages still work', async () => {
  const { page } = await signIn(STAFF.viewer);
  // The district's software was updated while the tab stayed open: its figures chunk is no more.
  rmSync(join(webDir, 'chunks', chunkWith('/api/dash/figures?months=6')));
  await page.click('a[href="#/angka"]');
  const failed = page.locator('[data-chunk-failed]');
  await failed.waitFor();
  assert.match(await failed.innerText(), /Halaman ini tidak dapat dimuat/);
  assert.equal(await failed.locator('button').innerText(), 'Muat ulang');
  await page.click('a[href="#/"]');
  await page.locator('article.kecamatan').first().waitFor();
  await page.click('a[href="#/gangguan"]');
  await page.locator('main .toolbar button.selected').waitFor();
  assert.equal(await page.locator('[data-chunk-failed]').count(), 0);
  await page.close();
});
