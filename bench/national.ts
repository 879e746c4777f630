// The national and province views of a whole country on one service (SQLite; `--postgres`: on a
// throwaway PostgreSQL, as tests/helpers/postgres.ts starts it): 38 provinces, 514
// districts, 7,300 kecamatan, 20,000 stations with recent heartbeats, 2,000 open faults, a month of
// cannot-record spans and a consumables report per station. Times: the rollup API (national and one
// province), and from navigation until Chromium shows the view (the last area rendered), against a
// static HTML page of the very same view served over loopback in the same run (as district-board.ts).
// Goals: national view shown < 1.5 s, province view < 1 s.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { addUser } from '../district/server/auth/users';
import { launchChromium } from '../tests/helpers/browser';
import { startPostgres } from '../tests/helpers/postgres';
import { buildBenchDashboard, percentile, startBenchDistrict, staticDocument } from './district-seed';
import { DISTRICTS, KECAMATAN, PROVINCES, provinceCode, seedCountry, STATIONS } from './national-seed';

const webDir = await buildBenchDashboard();
const postgres = process.argv.includes('--postgres') ? await startPostgres() : undefined;
const engine = postgres === undefined ? 'SQLite' : 'PostgreSQL';
const district = await startBenchDistrict({ dashboard: { webDir }, url: postgres?.url });
const seedStarted = performance.now();
await seedCountry(district.db, Date.now());
const seedMs = performance.now() - seedStarted;
await addUser(
  district.db,
  {
    username: 'pusat',
    name: 'Pusat',
    role: 'viewer',
    password: 'bench-password-123',
    scope: { level: 'national' },
  },
  { cost: 2 ** 10, blockSize: 8, parallelization: 1 },
);
const login = await fetch(`${district.server.url}/api/dash/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'pusat', password: 'bench-password-123' }),
});
const cookie = String(login.headers.get('set-cookie')).split(';')[0];

async function timeApi(path: string): Promise<{ times: number[]; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let round = 0; round < 10; round++) {
    const started = performance.now();
    const response = await fetch(`${district.server.url}${path}`, { headers: { cookie } });
    bytes = (await response.arrayBuffer()).byteLength;
    times.push(performance.now() - started);
  }
  return { times: times.sort((left, right) => left - right), bytes };
}
const nationalApi = await timeApi('/api/dash/rollup');
const provinceApi = await timeApi(`/api/dash/rollup?province=${provinceCode(0)}`);

const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 360, height: 800 } });
await context.addCookies([{ name: 'siaga_session', value: cookie.split('=')[1], url: district.server.url }]);
const page = await context.newPage();

/** Page loads from about:blank until the `count`th area is shown; the first is cold. */
async function timeShown(target: Page, url: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    await target.goto('about:blank');
    const started = performance.now();
    await target.goto(url);
    await target
      .locator('li.area')
      .nth(count - 1)
      .waitFor();
    times.push(performance.now() - started);
  }
  return times.sort((left, right) => left - right);
}

async function staticCopy(target: Page, count: number): Promise<number[]> {
  const html = staticDocument(await target.content());
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    response.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const times = await timeShown(target, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, count);
  server.close();
  return times;
}

const districtsInProvince = Math.ceil(DISTRICTS / PROVINCES);
const nationalShown = await timeShown(page, `${district.server.url}/#/nasional`, PROVINCES);
// A string: the bench is type-checked without the DOM library.
const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
const nationalStatic = await staticCopy(page, PROVINCES);
const provinceShown = await timeShown(
  page,
  `${district.server.url}/#/provinsi/${provinceCode(0)}`,
  districtsInProvince,
);
const provinceStatic = await staticCopy(page, districtsInProvince);
await browser.close();
await district.close();
await postgres?.stop();
rmSync(webDir, { recursive: true, force: true });

const median = (times: number[]): string =>
  `median ${percentile(times, 0.5).toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms`;
console.log(
  `national: ${PROVINCES} provinces, ${DISTRICTS} districts, ${KECAMATAN} kecamatan, ${STATIONS} stations, ${STATIONS / 10} open faults (${engine}; seeded in ${(seedMs / 1000).toFixed(1)} s)`,
);
console.log(
  `  GET /api/dash/rollup (national, ${(nationalApi.bytes / 1024).toFixed(0)} KiB)  ${median(nationalApi.times)}`,
);
console.log(
  `  GET /api/dash/rollup?province= (${districtsInProvince} districts, ${(provinceApi.bytes / 1024).toFixed(0)} KiB)  ${median(provinceApi.times)}`,
);
console.log(
  `  Chromium 360 px, national view shown (first is cold)  ${median(nationalShown)} (goal < 1500 ms); horizontal overflow ${overflow} px`,
);
console.log(
  `    the same view as static HTML  ${median(nationalStatic)}; ratio ${(percentile(nationalShown, 0.5) / percentile(nationalStatic, 0.5)).toFixed(2)}x`,
);
console.log(`  Chromium 360 px, province view shown  ${median(provinceShown)} (goal < 1000 ms)`);
console.log(
  `    the same view as static HTML  ${median(provinceStatic)}; ratio ${(percentile(provinceShown, 0.5) / percentile(provinceStatic, 0.5)).toFixed(2)}x`,
);
