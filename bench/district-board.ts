// The board of 1,000 stations (50 kecamatan, 300 open faults): the API's answer time, the signed-in
// `/` with the server's first view (docs/dashboard.md), and the time from navigation until Chromium
// shows the board (the last kecamatan visible), against a static HTML page of the very same rows (the
// rendered board saved without its script, same CSS) served over loopback HTTP in the same Chromium
// run. Goal: the dashboard within 1.5x the static page. Also the time until React has taken the page
// over (the board answers clicks): a first view shown early is honest only next to that.
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
const pageTimes: number[] = [];
let pageBytes = 0;
for (let round = 0; round < 20; round++) {
  const started = performance.now();
  const response = await fetch(`${district.server.url}/`, { headers: { cookie, 'accept-encoding': 'identity' } });
  pageBytes = (await response.arrayBuffer()).byteLength;
  pageTimes.push(performance.now() - started);
}
pageTimes.sort((left, right) => left - right);

const browser = await launchChromium();
// Staff's browsers are on the district's clock (WIB here): the first view's times are written in it.
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'Asia/Jakarta' });
await context.addCookies([{ name: 'siaga_session', value: cookie.split('=')[1], url: district.server.url }]);
const page = await context.newPage();
const renderTimes: number[] = [];
const mountedTimes: number[] = [];
for (let round = 0; round < 5; round++) {
  await page.goto('about:blank');
  const started = performance.now();
  // From the navigation's start, not its load event: a server-rendered board is shown while the app's
  // script still runs. The static page below is timed the same way.
  await page.goto(`${district.server.url}/#/`, { waitUntil: 'commit' });
  await page.locator('article.kecamatan').nth(49).waitFor();
  renderTimes.push(performance.now() - started);
  // main.tsx marks <html data-app-mounted> once React has committed (hydrated or rendered).
  await page.locator('html[data-app-mounted]').waitFor({ state: 'attached' });
  mountedTimes.push(performance.now() - started);
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
  await page.goto(staticUrl, { waitUntil: 'commit' });
  await page.locator('article.kecamatan').nth(49).waitFor();
  staticTimes.push(performance.now() - started);
}
staticServer.close();
await browser.close();
await district.close();
rmSync(webDir, { recursive: true, force: true });
renderTimes.sort((left, right) => left - right);
mountedTimes.sort((left, right) => left - right);
staticTimes.sort((left, right) => left - right);
console.log(
  `board: 1000 stations, 50 kecamatan, 300 open faults; ${rows} station rows rendered; JSON ${(bytes / 1024).toFixed(0)} KiB`,
);
console.log(
  `  GET /api/dash/board  median ${percentile(apiTimes, 0.5).toFixed(0)} ms, max ${apiTimes[apiTimes.length - 1].toFixed(0)} ms`,
);
console.log(
  `  GET / signed in, with the first view (${(pageBytes / 1024).toFixed(0)} KiB)  median ${percentile(pageTimes, 0.5).toFixed(0)} ms, max ${pageTimes[pageTimes.length - 1].toFixed(0)} ms`,
);
console.log(
  `  Chromium, full page load to board shown (first is cold)  median ${percentile(renderTimes, 0.5).toFixed(0)} ms, max ${renderTimes[renderTimes.length - 1].toFixed(0)} ms`,
);
console.log(
  `  Chromium, full page load to board interactive (React mounted)  median ${percentile(mountedTimes, 0.5).toFixed(0)} ms, max ${mountedTimes[mountedTimes.length - 1].toFixed(0)} ms`,
);
console.log(
  `  the same rows as static HTML (${(staticHtml.length / 1024).toFixed(0)} KiB)  median ${percentile(staticTimes, 0.5).toFixed(0)} ms, max ${staticTimes[staticTimes.length - 1].toFixed(0)} ms`,
);
console.log(
  `  dashboard / static: ${(percentile(renderTimes, 0.5) / percentile(staticTimes, 0.5)).toFixed(2)}x (goal <= 1.5x)`,
);
console.log(
  `  interactive / static: ${(percentile(mountedTimes, 0.5) / percentile(staticTimes, 0.5)).toFixed(2)}x`,
);
