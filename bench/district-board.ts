// The board of 1,000 stations (50 kecamatan, 300 open faults): the API's answer time, and the time
// from navigation until Chromium shows the board (the last kecamatan rendered), against a static
// HTML page of the very same rows (the rendered board saved without its script, same CSS) served
// over loopback HTTP in the same Chromium run. Goal: the dashboard within 1.5x the static page.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { addUser } from '../district/server/auth/users';
import { storeEvents } from '../district/server/intake/intake';
import { launchChromium } from '../tests/helpers/browser';
import {
  addBenchStations,
  buildBenchDashboard,
  faultEvent,
  heartbeatEvent,
  percentile,
  startBenchDistrict,
  staticDocument,
} from './district-seed';

const webDir = await buildBenchDashboard();
const district = await startBenchDistrict({ dashboard: { webDir } });
const stations = await addBenchStations(district.db, 1000, 50);
const now = Date.now();
for (const [index, station] of stations.entries()) {
  // In seq order, as a station sends them: the fault before the heartbeat that reports it.
  const events = index % 10 < 3 ? [faultEvent(station, now - 2000, `f-${index}`)] : [];
  events.push(heartbeatEvent(station, now - 1000, index % 10 >= 3));
  await storeEvents(district.db, station.id, events, { nowMs: now, source: 'http' });
}
await addUser(
  district.db,
  { username: 'bench', name: 'Bench', role: 'viewer', password: 'bench-password-123' },
  { cost: 2 ** 10, blockSize: 8, parallelization: 1 },
);

const login = await fetch(`${district.server.url}/api/dash/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'bench', password: 'bench-password-123' }),
});
const cookie = String(login.headers.get('set-cookie')).split(';')[0];
const apiTimes: number[] = [];
let bytes = 0;
for (let round = 0; round < 20; round++) {
  const started = performance.now();
  const response = await fetch(`${district.server.url}/api/dash/board`, { headers: { cookie } });
  bytes = (await response.arrayBuffer()).byteLength;
  apiTimes.push(performance.now() - started);
}
apiTimes.sort((left, right) => left - right);

const browser = await launchChromium();
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addCookies([{ name: 'siaga_session', value: cookie.split('=')[1], url: district.server.url }]);
const page = await context.newPage();
const renderTimes: number[] = [];
for (let round = 0; round < 5; round++) {
  await page.goto('about:blank');
  const started = performance.now();
  await page.goto(`${district.server.url}/#/`);
  await page.locator('article.kecamatan').nth(49).waitFor();
  renderTimes.push(performance.now() - started);
}
const rows = await page.locator('tr[data-station]').count();

// The same rows as a static page: the rendered document without its script.
const staticHtml = staticDocument(await page.content());
const staticServer = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  response.end(staticHtml);
});
await new Promise<void>((resolve) => staticServer.listen(0, '127.0.0.1', resolve));
const staticUrl = `http://127.0.0.1:${(staticServer.address() as AddressInfo).port}/`;
const staticTimes: number[] = [];
for (let round = 0; round < 5; round++) {
  await page.goto('about:blank');
  const started = performance.now();
  await page.goto(staticUrl);
  await page.locator('article.kecamatan').nth(49).waitFor();
  staticTimes.push(performance.now() - started);
}
staticServer.close();
await browser.close();
await district.close();
rmSync(webDir, { recursive: true, force: true });
renderTimes.sort((left, right) => left - right);
staticTimes.sort((left, right) => left - right);
console.log(
  `board: 1000 stations, 50 kecamatan, 300 open faults; ${rows} station rows rendered; JSON ${(bytes / 1024).toFixed(0)} KiB`,
);
console.log(
  `  GET /api/dash/board  median ${percentile(apiTimes, 0.5).toFixed(0)} ms, max ${apiTimes[apiTimes.length - 1].toFixed(0)} ms`,
);
console.log(
  `  Chromium, full page load to board shown (first is cold)  median ${percentile(renderTimes, 0.5).toFixed(0)} ms, max ${renderTimes[renderTimes.length - 1].toFixed(0)} ms`,
);
console.log(
  `  the same rows as static HTML (${(staticHtml.length / 1024).toFixed(0)} KiB)  median ${percentile(staticTimes, 0.5).toFixed(0)} ms, max ${staticTimes[staticTimes.length - 1].toFixed(0)} ms`,
);
console.log(
  `  dashboard / static: ${(percentile(renderTimes, 0.5) / percentile(staticTimes, 0.5)).toFixed(2)}x (goal <= 1.5x)`,
);
