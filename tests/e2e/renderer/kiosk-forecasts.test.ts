// The technician screen's forecasts tab in Debian Chromium over the real station service: no
// forecast says so; forecasts the agent holds show their code in words, "kemungkinan dalam N hari",
// the evidence and a sparkline with the limit line. A screenshot goes to a temporary folder.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { META, writeMeta } from '../../../electron/agent/store/meta';
import { launchChromium } from '../../helpers/browser';
import { startKioskServer } from '../../helpers/kiosk-server';
import type { KioskServer } from '../../helpers/kiosk-server';
import { PREDICTOR_CASES, caseSeries } from '../../helpers/predictor-cases';
import { screenshotDirectory } from '../../helpers/screenshots';

let browser: Browser;
const servers: KioskServer[] = [];

before(async () => {
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  for (const server of servers) {
    await server.close();
  }
});

async function openForecasts(server: KioskServer): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.getByTestId('nav-technician').click();
  await page.getByTestId('pin-input').fill('135790');
  await page.getByTestId('pin-submit').click();
  await page.getByTestId('tab-forecasts').click();
  await page.getByTestId('forecasts').waitFor();
  return page;
}

test('no forecasts: the tab says there is no worrying trend', async () => {
  const server = await startKioskServer({ initialPin: '135790' });
  servers.push(server);
  const page = await openForecasts(server);
  assert.match(await page.getByTestId('forecasts-none').innerText(), /Tidak ada perkiraan/);
  assert.equal(await page.getByTestId('forecast').count(), 0);
  await page.close();
});

test('forecasts show in words with days, evidence and a chart of their series', async () => {
  const server = await startKioskServer({ initialPin: '135790', skipBuild: true });
  servers.push(server);
  const forecasts = ['FORECAST_UPS_BATTERY_FADING', 'FORECAST_USB_RECONNECTS_RISING'].map((code) => {
    const testCase = PREDICTOR_CASES.find((candidate) => candidate.code === code)!;
    const { points, now } = caseSeries(testCase, 30);
    return testCase.predict(points, now)!;
  });
  writeMeta(server.store, META.forecasts, { forecasts, signature: 'seeded', reportedAt: 0 });

  const page = await openForecasts(server);
  const cards = page.getByTestId('forecast');
  assert.equal(await cards.count(), 2);
  const battery = page.locator('[data-testid="forecast"][data-code="FORECAST_UPS_BATTERY_FADING"]');
  assert.match(await battery.locator('h3').innerText(), /Tegangan baterai UPS menurun/);
  assert.equal(
    await battery.getByTestId('forecast-when').innerText(),
    `kemungkinan dalam ${forecasts[0]!.likelyInDays} hari`,
  );
  assert.match(await battery.getByTestId('forecast-message').innerText(), /turun 0,\d\d V per minggu/);
  const path = await battery.locator('path').getAttribute('d');
  assert.match(path ?? '', /^M0 [\d.]+( L[\d.]+ [\d.]+){29}$/);
  assert.equal(await battery.locator('line.forecast-limit').count(), 1);
  assert.match(await battery.locator('figcaption').innerText(), /batas 10,5 V/);

  const directory = screenshotDirectory();
  await page.screenshot({ path: join(directory, 'technician-forecasts.png'), fullPage: true });
  console.log(`screenshot: ${join(directory, 'technician-forecasts.png')}`);

  await page.getByTestId('lock').click();
  await page.close();
});
