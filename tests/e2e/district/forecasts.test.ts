// Forecasts in the dashboard, in Debian's Chromium against a real district server: stations post
// signed forecast.reported and consumables events over HTTP; the board shows the forecasts as amber
// warnings beside a station that can record, and the district's own blank-card forecast with the
// summary; the forecast page shows each forecast in words with a uPlot chart of its series and
// limit line (pixels drawn on the canvas), under the dashboard's Content-Security-Policy with no
// violation; nothing scrolls sideways on a 360 px phone. Screenshots into a temporary folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
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
import { screenshotDirectory } from '../../helpers/screenshots';
import { addStaff, HEALTHY, heartbeat, openAllWeek, PASSWORD, STAFF } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { buildDashboardWeb } from '../../helpers/dashboard-web';

const DAY = 86_400_000;
const clock = Date.now();
let dir: string;
let screenshots: string;
let server: RunningServer;
let browser: Browser;
const plupuh = new TestStation();
const gemolong = new TestStation();

async function send(station: TestStation, events: Event[]): Promise<void> {
  const body = JSON.stringify({ events });
  const response = await fetch(server.url + PATHS.events, {
    method: 'POST',
    body,
    headers: station.headers('POST', PATHS.events, body, clock),
  });
  assert.equal(response.status, 200, await response.text());
}

const daily = (days: number, value: (day: number) => number) =>
  Array.from({ length: days }, (_, day) => ({
    at: new Date(clock - (days - 1 - day) * DAY).toISOString(),
    value: value(day),
  }));

const FORECASTS: Forecast[] = [
  {
    code: 'FORECAST_UPS_BATTERY_FADING',
    role: 'ups',
    deviceKey: null,
    likelyInDays: null,
    message: {
      id: 'Tegangan baterai UPS saat listrik padam turun dari 13,1 V ke 12,2 V dalam 4 minggu.',
      en: 'UPS battery voltage on outage fell from 13.1 V to 12.2 V in 4 weeks.',
    },
    series: [
      { metric: 'battery-volts', unit: 'V', points: daily(28, (day) => 13.1 - day / 30), limit: 11.5 },
    ],
    computedAt: new Date(clock).toISOString(),
  },
  {
    code: 'FORECAST_RIBBON_RUNNING_OUT',
    role: 'card-printer',
    deviceKey: 'usb:EV-PLU-1',
    likelyInDays: 5,
    message: {
      id: 'Pita YMCKO tersisa 150 cetakan; rata-rata 30 kartu dicetak per hari.',
      en: '150 prints left on the YMCKO ribbon; 30 cards printed a day on average.',
    },
    series: [{ metric: 'prints-left', unit: 'prints', points: daily(10, (day) => 420 - day * 30), limit: 0 }],
    computedAt: new Date(clock).toISOString(),
  },
];

async function signIn(page: Page): Promise<void> {
  await page.goto(server.url + '/');
  await page.fill('input[name=username]', STAFF.viewer);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.locator('article.kecamatan').first().waitFor();
}

/** Records every Content-Security-Policy violation of the page, from before its first script. */
async function watchPolicy(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const violations: string[] = [];
    (window as unknown as { violations: string[] }).violations = violations;
    document.addEventListener('securitypolicyviolation', (event) =>
      violations.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`,
      ),
    );
  });
  return () => page.evaluate(() => (window as unknown as { violations: string[] }).violations);
}

/** Pixels of the canvas near `rgb` (anti-aliasing blends the edges). */
async function pixelsOf(page: Page, selector: string, rgb: [number, number, number]): Promise<number> {
  return page.locator(selector).evaluate((canvas, colour) => {
    const context = (canvas as HTMLCanvasElement).getContext('2d')!;
    const { data } = context.getImageData(
      0,
      0,
      (canvas as HTMLCanvasElement).width,
      (canvas as HTMLCanvasElement).height,
    );
    let count = 0;
    for (let index = 0; index < data.length; index += 4) {
      if (
        data[index + 3] > 200 &&
        Math.abs(data[index] - colour[0]) < 30 &&
        Math.abs(data[index + 1] - colour[1]) < 30 &&
        Math.abs(data[index + 2] - colour[2]) < 30
      ) {
        count++;
      }
    }
    return count;
  }, rgb);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-forecasts-e2e-'));
  screenshots = screenshotDirectory(join(dir, 'screenshots'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  await openAllWeek(db);
  server = await startServer({ db, port: 0, host: '127.0.0.1', now: () => clock, dashboard: { webDir } });
  const facade = { db: server.app.district.db, app: server.app } as unknown as TestDistrict;
  await plupuh.enroll(facade, 'Loket 1', 'Plupuh');
  await gemolong.enroll(facade, 'Loket 1', 'Gemolong');
  await send(plupuh, [
    plupuh.event('forecast.reported', { forecasts: FORECASTS }, clock - 60_000),
    heartbeat(plupuh, clock - 30_000, HEALTHY),
  ]);
  // Gemolong: 250 blank cards three days ago, 160 now: 30 a day, 5 days left.
  await send(gemolong, [
    gemolong.event('consumables.reported', { blankCards: 250, ribbons: [] }, clock - 3 * DAY),
    gemolong.event('consumables.reported', { blankCards: 160, ribbons: [] }, clock - 60_000),
    heartbeat(gemolong, clock - 30_000, HEALTHY),
  ]);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the board shows forecasts as amber warnings beside a station that can record, and blank cards running out with the summary', async () => {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  const violations = await watchPolicy(page);
  await signIn(page);
  const row = page.locator(`tr[data-station="${plupuh.stationId}"]`);
  assert.equal(await row.getAttribute('data-state'), 'can-record');
  assert.match(await row.locator('.badge').first().innerText(), /Bisa merekam/);
  const items = row.locator('li.forecast');
  assert.equal(await items.count(), 2);
  const first = await items.first().innerText();
  assert.match(
    first,
    /^Perkiraan pita printer habis dalam 5 hari · Printer kartu · Pita YMCKO tersisa 150 cetakan/,
  );
  assert.match(await items.nth(1).innerText(), /baterai UPS melemah \(waktunya belum bisa diperkirakan\)/);
  const colours = await items.first().evaluate((item) => ({
    border: getComputedStyle(item).borderLeftColor,
    tag: getComputedStyle(item.querySelector('.tag')!).borderColor,
  }));
  assert.deepEqual(
    colours,
    { border: 'rgb(242, 176, 30)', tag: 'rgb(242, 176, 30)' },
    'amber, not the red of a fault',
  );
  assert.equal(await row.locator('li.bad').count(), 0);
  const district = page.locator('[data-district-forecasts] li.forecast');
  assert.equal(await district.count(), 1);
  assert.match(
    await district.innerText(),
    /kartu blangko habis dalam 5 hari · Kecamatan Gemolong \/ Loket 1 · Printer kartu · Kartu blangko tersisa 160 lembar/,
  );
  assert.match(await page.locator('[data-summary]').innerText(), /2 dari 2 kecamatan bisa merekam sekarang/);
  await page.screenshot({ path: join(screenshots, 'dashboard-board-forecasts.png'), fullPage: true });
  assert.deepEqual(await violations(), []);
  await page.close();
});

test('the forecast page shows each forecast in words with a chart of its series and limit line', async () => {
  const page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  const violations = await watchPolicy(page);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await signIn(page);
  // From the station's row on the board to its forecasts.
  await page.locator(`tr[data-station="${plupuh.stationId}"] li.forecast a`).first().click();
  await page.waitForSelector('.forecast-card canvas');
  assert.equal(new URL(page.url()).hash, `#/perkiraan/${encodeURIComponent(plupuh.stationId)}`);
  assert.match(
    await page.locator('.forecasts h2').innerText(),
    /Perkiraan untuk Kecamatan Plupuh \/ Loket 1/,
  );
  const cards = page.locator('.forecast-card');
  assert.equal(await cards.count(), 2);
  const ribbon = cards.first();
  assert.equal(await ribbon.getAttribute('data-forecast'), 'FORECAST_RIBBON_RUNNING_OUT');
  const text = await ribbon.innerText();
  assert.match(text, /pita printer habis/);
  assert.match(text, /kemungkinan dalam 5 hari/);
  assert.match(text, /Pita YMCKO tersisa 150 cetakan; rata-rata 30 kartu dicetak per hari\./);
  assert.match(text, /sisa cetakan pita: 10 titik dari .* sampai .*; terakhir 150 cetakan; batas 0 cetakan/);
  assert.match(await cards.nth(1).innerText(), /tren jelas, tanggal belum bisa diperkirakan/);
  // The chart is drawn: the series in dark blue and the limit in red, on uPlot's canvas with its axes.
  for (const index of [0, 1]) {
    const canvas = `.forecast-card >> nth=${index} >> canvas`;
    const series = await pixelsOf(page, canvas, [18, 58, 95]);
    const limit = await pixelsOf(page, canvas, [198, 40, 40]);
    assert.ok(series > 200, `card ${index}: series pixels ${series}`);
    assert.ok(limit > 100, `card ${index}: limit pixels ${limit}`);
  }
  const box = (await ribbon.locator('canvas').boundingBox())!;
  assert.ok(box.width > 600 && box.height > 150, JSON.stringify(box));
  assert.ok((await ribbon.locator('.u-axis').count()) >= 2, 'uPlot axes');
  // uPlot's stylesheet arrived: its plot layer sits over the canvas, not below it.
  assert.equal(
    await ribbon.locator('.u-over').evaluate((element) => getComputedStyle(element).position),
    'absolute',
  );
  // The time axis speaks Bahasa Indonesia: no English month abbreviations.
  const axes = (await ribbon.locator('.u-axis').allInnerTexts()).join(' ');
  assert.doesNotMatch(axes, /\b(May|Aug|Oct|Dec)\b/);
  await page.screenshot({ path: join(screenshots, 'dashboard-forecasts-station.png'), fullPage: true });
  // All forecasts of the district, from the navigation: the district's own blank-card forecast too.
  await page.click('header nav a[href="#/perkiraan"]');
  await page.waitForSelector('.forecast-card[data-source="district"] canvas');
  assert.equal(await page.locator('.forecast-card').count(), 3);
  const cardsForecast = await page.locator('.forecast-card[data-source="district"]').innerText();
  assert.match(cardsForecast, /kartu blangko habis/);
  assert.match(cardsForecast, /kemungkinan dalam 5 hari/);
  assert.match(cardsForecast, /dihitung kabupaten dari laporan stok/);
  assert.match(cardsForecast, /terakhir 160 lembar; batas 0 lembar/);
  assert.match(await page.locator('.forecasts').innerText(), /kurang dari 14 hari/);
  await page.screenshot({ path: join(screenshots, 'dashboard-forecasts.png'), fullPage: true });
  assert.deepEqual(await violations(), [], 'uPlot needs nothing the policy refuses');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone (360x740) the board and the forecast page never scroll sideways; the chart fits', async () => {
  const phone = await browser.newPage({
    viewport: { width: 360, height: 740 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  await signIn(phone);
  for (const [hash, selector, name] of [
    ['#/', 'li.forecast', 'board'],
    ['#/perkiraan', '.forecast-card canvas', 'forecasts'],
  ]) {
    await phone.goto(server.url + '/' + hash);
    await phone.waitForSelector(selector);
    const widths = await phone.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
    }));
    assert.ok(widths.page <= 360 && widths.body <= 360, `${name}: ${JSON.stringify(widths)}`);
    await phone.screenshot({
      path: join(screenshots, `dashboard-phone-forecasts-${name}.png`),
      fullPage: true,
    });
  }
  const box = (await phone.locator('.forecast-card canvas').first().boundingBox())!;
  assert.ok(box.x >= 0 && box.x + box.width <= 360 && box.width >= 240, JSON.stringify(box));
  assert.ok((await pixelsOf(phone, '.forecast-card >> nth=0 >> canvas', [18, 58, 95])) > 100);
  await phone.close();
});
