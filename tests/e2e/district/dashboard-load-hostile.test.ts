// The code-split dashboard loaded the hostile way, in Debian's Chromium against a real district
// server: the API unreachable when the tab opens, a login while the server is down, a session that
// expires mid-use, logging out of an expired session, a link too slow to bring app.js quickly, and
// the web files' HTTP as caches and proxies send it (If-None-Match lists, `*`, compression).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openDatabase } from '../../../district/server/db/open';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import { launchChromium } from '../../helpers/browser';
import { addStaff, openAllWeek, PASSWORD, STAFF } from '../../helpers/dashboard';
import { buildDashboardWeb } from '../../helpers/dashboard-web';

let dir: string;
let server: RunningServer;
let browser: Browser;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-dashboard-load-hostile-'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  await openAllWeek(db);
  server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    dashboard: { webDir, districtName: 'Disdukcapil Kabupaten Sragen' },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A tab signed in as the admin (the cookie set through the API, as a returning staff member has it). */
async function signedIn(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const reply = await context.request.post(`${server.url}/api/dash/login`, {
    data: { username: STAFF.admin, password: PASSWORD },
  });
  assert.equal(reply.status(), 200);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page, errors };
}

/**
 * The page as a server without the first view serves it (index.html alone, docs/dashboard.md): the
 * tests below are about the app's own requests at load, which a first view answers in advance
 * (tests/e2e/district/first-view.test.ts covers that page in the same conditions).
 */
async function withoutFirstView(context: BrowserContext): Promise<void> {
  const origin = new URL(server.url).origin;
  await context.route(
    (url) => url.origin === origin && url.pathname === '/',
    async (route) => {
      // Fetched without the tab's cookie (node's fetch has none), as the page of a server without it.
      const plain = await fetch(route.request().url(), { headers: { 'accept-encoding': 'identity' } });
      await route.fulfill({
        status: plain.status,
        headers: Object.fromEntries(plain.headers),
        body: Buffer.from(await plain.arrayBuffer()),
      });
    },
  );
}

test('the API unreachable when the tab opens: no login form for a signed-in user, a retry that brings the board', async () => {
  const { context, page, errors } = await signedIn();
  await withoutFirstView(context);
  let down = true;
  await context.route('**/api/**', (route) => (down ? route.abort('connectionrefused') : route.continue()));
  await page.goto(`${server.url}/#/`);
  await page.waitForSelector('[data-server-unreachable]');
  assert.equal(await page.locator('form.login').count(), 0, 'a signed-in user is not asked for a password');
  assert.match(await page.locator('[data-server-unreachable]').innerText(), /tidak dapat dihubungi/);
  down = false;
  await page.click('[data-server-unreachable] button');
  await page.waitForSelector('.summary');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a server answering 503 to the session check is not taken for "signed out" either', async () => {
  const { context, page } = await signedIn();
  await withoutFirstView(context);
  await context.route('**/api/dash/session', (route) =>
    route.fulfill({ status: 503, contentType: 'text/html', body: '<h1>503 Service Unavailable</h1>' }),
  );
  await page.goto(`${server.url}/#/angka`);
  await page.waitForSelector('[data-server-unreachable]');
  assert.equal(await page.locator('form.login').count(), 0);
  await context.close();
});

test('the board answering 500 says in Indonesian that the server failed, not "Internal Server Error"', async () => {
  const { context, page } = await signedIn();
  await withoutFirstView(context);
  await context.route('**/api/dash/board**', (route) =>
    route.fulfill({
      status: 500,
      contentType: 'application/json',
      body: '{"statusCode":500,"error":"Internal Server Error","message":"Internal Server Error"}',
    }),
  );
  await page.goto(`${server.url}/#/`);
  await page.waitForSelector('text=/Server Siaga sedang bermasalah/');
  assert.equal(await page.locator('text=Internal Server Error').count(), 0);
  await context.close();
});

test('a login while the server is down says so, not "wrong password"', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/#/`);
  await page.waitForSelector('form.login');
  await context.route('**/api/dash/login', (route) => route.abort('connectionrefused'));
  await page.fill('input[name=username]', STAFF.admin);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('form.login .error');
  const message = await page.locator('form.login .error').innerText();
  assert.doesNotMatch(message, /kata sandi salah/);
  assert.match(message, /tidak dapat dihubungi/);
  await context.unroute('**/api/dash/login');
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('.summary');
  await context.close();
});

test('a session that expires mid-use brings the login form back, and after it the page the user was on', async () => {
  const { context, page, errors } = await signedIn();
  await page.goto(`${server.url}/#/`);
  await page.waitForSelector('.summary');
  await context.clearCookies();
  await page.click('header a[href="#/gangguan"]');
  await page.waitForSelector('form.login');
  await page.fill('input[name=username]', STAFF.admin);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form.login button[type=submit]');
  await page.waitForSelector('header a.current[href="#/gangguan"]');
  assert.equal(new URL(page.url()).hash, '#/gangguan');
  assert.doesNotMatch(await page.locator('main').innerText(), /sign in first/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('logging out of a session that already expired shows the login form without a script error', async () => {
  const { context, page, errors } = await signedIn();
  await page.goto(`${server.url}/#/`);
  await page.waitForSelector('.summary');
  await context.clearCookies();
  await page.click('header button:has-text("Keluar")');
  await page.waitForSelector('form.login');
  await page.waitForTimeout(200);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a slow link: the page says it is loading before app.js arrives, not a blank white page', async () => {
  const { context, page } = await signedIn();
  await withoutFirstView(context);
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await context.route('**/app.js', async (route) => {
    await held;
    await route.continue();
  });
  // DOMContentLoaded waits for the module script: only the document is here.
  await page.goto(`${server.url}/#/`, { waitUntil: 'commit' });
  await page.waitForSelector('#root');
  await page.waitForTimeout(300);
  assert.match(await page.locator('#root').innerText(), /Memuat/);
  release();
  await page.waitForSelector('.summary');
  assert.doesNotMatch(await page.locator('#root').innerText(), /Memuat dasbor/);
  await context.close();
});

test('If-None-Match as caches send it: a list, `*`, the strong form; garbage still gets the file', async () => {
  for (const path of ['/', '/app.js', '/app.css']) {
    const first = await fetch(server.url + path);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/".+"$/);
    const answer = async (ifNoneMatch: string) =>
      (await fetch(server.url + path, { headers: { 'if-none-match': ifNoneMatch } })).status;
    assert.equal(await answer(etag), 304, path);
    assert.equal(await answer(`W/"other", ${etag}`), 304, `${path}: a list naming it`);
    assert.equal(await answer('*'), 304, `${path}: *`);
    assert.equal(await answer(etag.replace(/^W\//, '')), 304, `${path}: compared weakly`);
    assert.equal(await answer('garbage'), 200, `${path}: garbage`);
    assert.equal(await answer('W/"other"'), 200, `${path}: another tag`);
  }
});

test('app.js, the chunks and index.html travel compressed as the browser accepts, the same bytes once decoded', async () => {
  const html = await (await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'identity' } })).text();
  const chunk = /href="(\/chunks\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(chunk !== undefined, 'index.html names a shared chunk');
  for (const path of ['/', '/app.js', chunk]) {
    const plain = Buffer.from(
      await (await fetch(server.url + path, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer(),
    );
    // undici's fetch decodes on its own: raw bytes through node:http instead.
    for (const [coding, decode] of [
      ['gzip', gunzipSync],
      ['br', brotliDecompressSync],
    ] as const) {
      const { headers, body } = await rawGet(server.url + path, coding);
      assert.equal(headers['content-encoding'], coding, `${path} ${coding}`);
      assert.match(String(headers.vary), /accept-encoding/i);
      assert.ok(body.length < plain.length, `${path} ${coding}: smaller`);
      assert.deepEqual(decode(body), plain, `${path} ${coding}: same bytes`);
    }
    const identity = await rawGet(server.url + path, 'identity');
    assert.equal(identity.headers['content-encoding'], undefined);
    assert.deepEqual(identity.body, plain);
  }
});

async function rawGet(
  url: string,
  acceptEncoding: string,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': acceptEncoding } }, (response) => {
      const parts: Buffer[] = [];
      response.on('data', (part: Buffer) => parts.push(part));
      response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(parts) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

test('#/eskalasi opened by link on a 360 px phone: each rule and contact a box of its own, one field a line, nothing sideways', async () => {
  const { context, page, errors } = await signedIn();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${server.url}/#/eskalasi`);
  await page.waitForSelector('.escalation-rule');
  const layout = await page.evaluate(() => {
    const boxes = [...document.querySelectorAll('.escalation-rule, .escalation-contact')];
    return {
      scrollWidth: document.documentElement.scrollWidth,
      boxes: boxes.map((box) => ({
        border: getComputedStyle(box).borderTopWidth,
        // The left edge of every field's label: all alike when each field starts its own line.
        lefts: [...box.querySelectorAll('label.field')].map((label) =>
          Math.round(label.getBoundingClientRect().left),
        ),
        // Every input under its label's text, never beside it.
        beside: [...box.querySelectorAll('label.field')].some((label) => {
          const control = label.querySelector('input, select, textarea');
          return (
            control !== null && control.getBoundingClientRect().top < label.getBoundingClientRect().top + 10
          );
        }),
      })),
    };
  });
  assert.ok(layout.boxes.length >= 2, 'the server file has rules and contacts');
  assert.ok(layout.scrollWidth <= 360, `no sideways scroll: ${layout.scrollWidth}`);
  for (const box of layout.boxes) {
    assert.notEqual(box.border, '0px', 'a rule or contact is a box of its own');
    assert.equal(new Set(box.lefts).size, 1, `one field a line: ${box.lefts.join(',')}`);
    assert.equal(box.beside, false, 'the control under its label');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a page whose code failed to load (link dropped) loads when opened again once the link is back', async () => {
  const { context, page, errors } = await signedIn();
  await page.goto(`${server.url}/#/`);
  await page.waitForSelector('.summary');
  const figuresChunk = /\/chunks\/Figures-[A-Z0-9]{8}\.js$/;
  await context.route(figuresChunk, (route) => route.abort('internetdisconnected'));
  await page.click('header a[href="#/angka"]');
  await page.waitForSelector('[data-chunk-failed]');
  await context.unroute(figuresChunk);
  await page.click('header a[href="#/gangguan"]');
  await page.waitForSelector('header a.current[href="#/gangguan"]');
  await page.click('header a[href="#/angka"]');
  await page.waitForSelector('main a:has-text("Unduh CSV")');
  assert.equal(await page.locator('[data-chunk-failed]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
