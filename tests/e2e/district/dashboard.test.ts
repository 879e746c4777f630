// The dashboard in Debian's Chromium against a real district server with seeded stations: log in,
// acknowledge and assign a fault, see it resolve when the station's device recovers (the station
// posts signed events over HTTP), an escalation mail at the local SMTP server, a loan and its
// printable record, a CSV export; screenshots of the board and the public page into a temporary
// folder (tests/helpers/screenshots.ts: `npm run screenshots` puts them into docs/screenshots).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openDatabase } from '../../../district/server/db/open';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { createNotifier } from '../../../district/server/notify/notifier';
import { startServer } from '../../../district/server/server';
import type { RunningServer } from '../../../district/server/server';
import type { Event } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import type { EventsResponse } from '../../../protocol/requests';
import { launchChromium } from '../../helpers/browser';
import { screenshotDirectory } from '../../helpers/screenshots';
import { addStaff, HEALTHY, heartbeat, openAllWeek, PASSWORD, STAFF } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startSmtp } from '../../helpers/smtp';
import type { TestSmtp } from '../../helpers/smtp';
import { buildDashboardWeb } from '../../helpers/dashboard-web';

const HOUR = 3_600_000;
let clock = Date.now();
let dir: string;
let screenshots: string;
let server: RunningServer;
let smtp: TestSmtp;
let browser: Browser;
let page: Page;
const stations = new Map<string, TestStation>();

async function send(station: TestStation, events: Event[]): Promise<EventsResponse> {
  const body = JSON.stringify({ events });
  const response = await fetch(server.url + PATHS.events, {
    method: 'POST',
    body,
    headers: station.headers('POST', PATHS.events, body, clock),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as EventsResponse;
}

const device = (vendor: string, model: string, serialNumber: string) => ({
  key: `usb:${serialNumber}`,
  vendor,
  model,
  serialNumber,
  transport: 'usb' as const,
});

/** Twelve stations in seven kecamatan, in the states a district really sees on a bad morning. */
async function seed(): Promise<void> {
  const layout: [string, string][] = [
    ['Sragen Kota', 'Loket 1'],
    ['Sragen Kota', 'Loket 2'],
    ['Tangen', 'Loket 1'],
    ['Gemolong', 'Loket 1'],
    ['Gemolong', 'Jemput bola'],
    ['Sukodono', 'Loket 1'],
    ['Kalijambe', 'Loket 1'],
    ['Masaran', 'Loket 1'],
    ['Masaran', 'Loket 2'],
    ['Plupuh', 'Loket 1'],
    ['Karangmalang', 'Loket 1'],
    ['Karangmalang', 'Loket 2'],
  ];
  const facade = { db: server.app.district.db, app: server.app } as unknown as TestDistrict;
  for (const [index, [kecamatan, name]] of layout.entries()) {
    const station = new TestStation();
    await station.enroll(facade, name, kecamatan);
    stations.set(`${kecamatan}/${name}`, station);
    await send(station, [
      heartbeat(station, clock - 30_000, HEALTHY),
      station.event(
        'inventory.changed',
        {
          added: [
            {
              role: 'fingerprint',
              device: device(
                'Cross Match',
                'Guardian 200',
                `CM-${kecamatan.slice(0, 3).toUpperCase()}-${index + 1}`,
              ),
            },
            {
              role: 'card-printer',
              device: device('Evolis', 'Primacy', `EV-${kecamatan.slice(0, 3).toUpperCase()}-${index + 1}`),
            },
          ],
          removed: [],
        },
        clock - 60_000,
      ),
      station.event(
        'consumables.reported',
        { blankCards: 250, ribbons: [{ name: 'YMCKO', remaining: 300, unit: 'prints' }] },
        clock - 3 * 24 * HOUR,
      ),
      station.event(
        'consumables.reported',
        {
          blankCards: name === 'Loket 2' ? 30 : 160,
          ribbons: [{ name: 'YMCKO', remaining: 180, unit: 'prints' }],
        },
        clock - 60_000,
      ),
    ]);
  }
  // Tangen: the only station's fingerprint scanner is gone since this morning: Tangen cannot record.
  const tangen = stations.get('Tangen/Loket 1')!;
  const since = new Date(clock - 3 * HOUR).toISOString();
  await send(tangen, [
    tangen.fault(
      'fault.opened',
      'fp-tangen',
      { firstSeen: since, device: device('Cross Match', 'Guardian 200', 'CM-TAN-3') },
      clock - 3 * HOUR,
    ),
    heartbeat(tangen, clock - 20_000, { ...HEALTHY, fingerprint: 'fault' }),
  ]);
  // Masaran Loket 1: iris camera broken for 30 hours, nobody acknowledged it (escalates); Loket 2 still records.
  const masaran = stations.get('Masaran/Loket 1')!;
  await send(masaran, [
    masaran.fault(
      'fault.opened',
      'iris-masaran',
      {
        role: 'iris',
        code: 'IRIS_MISSING',
        firstSeen: new Date(clock - 30 * HOUR).toISOString(),
        device: device('IriTech', 'IriShield MK2120U', 'IT-5521'),
        message: { id: 'Kamera iris tidak terdeteksi', en: 'Iris camera not detected' },
      },
      clock - 30 * HOUR,
    ),
    heartbeat(masaran, clock - 15_000, { ...HEALTHY, iris: 'fault' }),
  ]);
  // Plupuh: the card printer's ribbon is out: records, cannot print.
  const plupuh = stations.get('Plupuh/Loket 1')!;
  await send(plupuh, [
    plupuh.fault(
      'fault.opened',
      'ribbon-plupuh',
      {
        role: 'card-printer',
        code: 'CARD_PRINTER_RIBBON_OUT',
        severity: 'major',
        firstSeen: new Date(clock - 5 * HOUR).toISOString(),
        device: device('Evolis', 'Primacy', 'EV-PLU-10'),
        message: { id: 'Pita printer kartu habis', en: 'Card printer ribbon is out' },
      },
      clock - 5 * HOUR,
    ),
    heartbeat(plupuh, clock - 10_000, { ...HEALTHY, 'card-printer': 'fault' }, false),
  ]);
  // Kalijambe: silent for two hours (its last heartbeat was healthy).
  await server.app.district.db.run(
    'UPDATE stations SET last_heartbeat_at = $1, last_seen_at = $1, heard_at = $1 WHERE id = $2',
    [new Date(clock - 2 * HOUR).toISOString(), stations.get('Kalijambe/Loket 1')!.stationId],
  );
  await server.app.district.db.run(
    'UPDATE station_availability SET last_heartbeat_at = $1 WHERE station_id = $2',
    [new Date(clock - 2 * HOUR).toISOString(), stations.get('Kalijambe/Loket 1')!.stationId],
  );
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'siaga-dashboard-e2e-'));
  screenshots = screenshotDirectory(join(dir, 'screenshots'));
  const webDir = join(dir, 'web');
  await buildDashboardWeb(webDir);
  smtp = await startSmtp();
  const db = await openDatabase({ dataDir: join(dir, 'data') });
  await addStaff(db);
  // The clock is the real one: open all week, so a silent station is "no news" whatever the hour.
  await openAllWeek(db);
  server = await startServer({
    db,
    port: 0,
    host: '127.0.0.1',
    now: () => clock,
    dashboard: {
      webDir,
      districtName: 'Disdukcapil Kabupaten Sragen',
      escalation: {
        config: EscalationConfigSchema.parse({
          rules: [
            { id: 'unacknowledged-1d', condition: 'unacknowledged', afterHours: 24, notify: 'technicians' },
          ],
          contacts: { technicians: { emails: ['kepala.teknisi@sragen.example.go.id'] } },
        }),
        notifier: createNotifier({ smtpUrl: smtp.url, from: 'Siaga <siaga@sragen.example.go.id>' }),
      },
    },
  });
  await seed();
  browser = await launchChromium();
  page = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
});
after(async () => {
  await browser?.close();
  await server?.close();
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('log in and see the board: which kecamatan cannot record, which device, since when', async () => {
  await page.goto(server.url + '/');
  await page.fill('input[name=username]', STAFF.technician);
  await page.fill('input[name=password]', 'salah-kata-sandi');
  await page.click('button[type=submit]');
  await page.waitForSelector('.login .error');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  const tangen = page.locator('article.kecamatan[data-kecamatan="Tangen"]');
  await tangen.waitFor();
  assert.match(await tangen.locator('h2').innerText(), /Tidak bisa merekam/);
  const problem = await tangen.locator('.problems li').first().innerText();
  assert.match(problem, /Pemindai sidik jari/);
  assert.match(problem, /Cross Match Guardian 200 \(No\. seri CM-TAN-3\)/);
  assert.match(problem, /belum ditangani/);
  assert.match(
    await page.locator('article.kecamatan[data-kecamatan="Kalijambe"]').innerText(),
    /Tidak ada kabar sejak/,
  );
  assert.match(
    await page.locator('article.kecamatan[data-kecamatan="Masaran"] h2').innerText(),
    /Bisa merekam/,
  );
  // The summary line: how many kecamatan can record, which cannot, which gave no news during
  // service hours (counted as unable), and the time of the data in WIB.
  const summary = await page.locator('[data-summary]').innerText();
  assert.match(
    summary,
    /6 dari 8 kecamatan bisa merekam sekarang; tidak bisa: Tangen; tidak ada kabar: Kalijambe/,
  );
  const dataAt = new Intl.DateTimeFormat('id-ID', {
    timeZone: 'Asia/Jakarta',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(clock));
  assert.match(summary, new RegExp(`Data per ${dataAt.replace('.', '\\.')} WIB`));
  // Those that cannot record come first; a silent station is "no news" in its own colour, not red.
  const order = await page
    .locator('article.kecamatan')
    .evaluateAll((articles) => articles.map((article) => article.getAttribute('data-kecamatan')));
  assert.deepEqual(new Set(order.slice(0, 2)), new Set(['Tangen', 'Kalijambe']));
  const kalijambe = page.locator('article.kecamatan[data-kecamatan="Kalijambe"]');
  assert.equal(await kalijambe.getAttribute('data-state'), 'no-news');
  const colours = await page.evaluate(() =>
    [
      'article[data-kecamatan="Kalijambe"] h2 .badge',
      'article[data-kecamatan="Tangen"] h2 .badge',
      'tr[data-station] .badge.warn',
    ].map((selector) => getComputedStyle(document.querySelector(selector)!).backgroundColor),
  );
  const [noNews, cannot, cannotPrint] = colours;
  assert.equal(cannot, 'rgb(198, 40, 40)');
  assert.equal(noNews, 'rgb(79, 109, 143)');
  assert.equal(cannotPrint, 'rgb(242, 176, 30)', 'a printing problem is amber, not red');
  assert.match(await page.locator('table thead').first().innerText(), /Kabar terakhir/);
  assert.doesNotMatch(await page.locator('main').innerText(), /heartbeat|detak/i);
  assert.match(await page.locator('header .user').innerText(), /Budi Santoso \(teknisi\)/);
  await page.screenshot({ path: join(screenshots, 'dashboard-board.png'), fullPage: true });
});

test('acknowledge and assign the fault, then see it resolve when the station recovers', async () => {
  await page.locator('article.kecamatan[data-kecamatan="Tangen"] .problems a').first().click();
  await page.waitForSelector('.fault-detail');
  await page.click('button:has-text("Terima")');
  await page.waitForSelector('.fault-detail h2 .state-acknowledged');
  // An empty choice is a visible error, in Indonesian, and nothing is sent.
  await page.click('button:has-text("Tugaskan perbaikan")');
  assert.equal(
    await page.locator('.assign-error').innerText(),
    'Pilih teknisi atau tulis nama orang yang memperbaiki.',
  );
  assert.equal(await page.locator('.fault-detail h2 .state-acknowledged').count(), 1);
  // The list holds the district's technicians and admins (not the viewer), then "someone else".
  const choices = await page.locator('select[name=technician] option').allInnerTexts();
  assert.deepEqual(choices, [
    '— pilih teknisi —',
    'Budi Santoso (teknisi)',
    'Ibu Ratna (admin)',
    'Orang lain (tulis nama)…',
  ]);
  await page.selectOption('select[name=technician]', '__other');
  await page.click('button:has-text("Tugaskan perbaikan")');
  await page.waitForSelector('.assign-error');
  await page.fill('input[name=assignee]', 'Pak Joko (teknisi)');
  await page.fill('input[name=note]', 'ganti kabel USB pemindai');
  await page.click('button:has-text("Tugaskan perbaikan")');
  await page.waitForSelector('.fault-detail h2 .state-in-repair');
  assert.match(await page.locator('.fault-detail h2').innerText(), /Sedang diperbaiki/);
  await page.click('button:has-text("Minta stasiun periksa ulang")');
  await page.waitForSelector('.notice');
  await page.screenshot({ path: join(screenshots, 'dashboard-fault.png'), fullPage: true });

  const tangen = stations.get('Tangen/Loket 1')!;
  clock += 60_000;
  const reply = await send(tangen, [heartbeat(tangen, clock, { ...HEALTHY, fingerprint: 'fault' })]);
  assert.equal(reply.commands?.[0]?.type, 'rerun-checks');
  clock += 60_000;
  await send(tangen, [
    tangen.fault(
      'fault.resolved',
      'fp-tangen',
      {
        firstSeen: new Date(clock - 3 * HOUR).toISOString(),
        device: device('Cross Match', 'Guardian 200', 'CM-TAN-3'),
      },
      clock,
    ),
    heartbeat(tangen, clock, HEALTHY),
  ]);
  await page.reload();
  await page.waitForSelector('.fault-detail h2 .state-resolved');
  const history = await page.locator('.history li').allInnerTexts();
  assert.deepEqual(
    history.map((line) => line.replace(/^.*?(Dibuka|Diterima|Ditugaskan|Minta|Pulih)/, '$1').split(' — ')[0]),
    [
      'Dibuka oleh stasiun',
      'Diterima',
      'Ditugaskan untuk perbaikan',
      'Minta periksa ulang',
      'Pulih menurut pemeriksaan stasiun',
    ],
  );
  await page.click('button:has-text("Tutup (terverifikasi)")');
  await page.waitForSelector('.fault-detail h2 .state-closed');
  // A technician picked from the list: Plupuh's card printer goes to Budi Santoso.
  await page.goto(server.url + '/#/gangguan/' + stations.get('Plupuh/Loket 1')!.stationId + '/ribbon-plupuh');
  await page.waitForSelector('select[name=technician] option:has-text("Budi Santoso")', {
    state: 'attached',
  });
  await page.selectOption('select[name=technician]', 'Budi Santoso');
  await page.click('button:has-text("Tugaskan perbaikan")');
  await page.waitForSelector('.fault-detail h2 .state-in-repair');
  assert.match(await page.locator('.fault-detail dl').innerText(), /Teknisi\s+Budi Santoso/);
  await page.goto(server.url + '/#/');
  await page.locator('article.kecamatan[data-kecamatan="Tangen"] h2:has-text("Bisa merekam")').waitFor();
});

test('an escalation mail arrives at the local SMTP server', async () => {
  const result = await server.app.dashboard.escalation!.runNow();
  assert.equal(result.escalated, 1);
  const [mail] = await smtp.waitFor(1);
  assert.deepEqual(mail.to, ['kepala.teknisi@sragen.example.go.id']);
  assert.match(mail.subject, /Kec\. Masaran \/ Loket 1 — IRIS_MISSING belum diterima 30 jam/);
  assert.match(mail.text, /IriTech IriShield MK2120U \(SN IT-5521\)/);
});

test('record a loan (pinjam pakai), open its printable record, and export CSV', async () => {
  const spare = await page.evaluate(async () => {
    const session = (await (await fetch('/api/dash/session')).json()) as { csrfToken: string };
    const response = await fetch('/api/dash/inventory/spares', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({
        serialNumber: 'IT-SPARE-1',
        vendor: 'IriTech',
        model: 'IriShield MK2120U',
        role: 'iris',
      }),
    });
    return (await response.json()) as { id: string };
  });
  await page.goto(server.url + '/#/inventaris');
  await page.waitForSelector('select[name=deviceId] option[value="' + spare.id + '"]', { state: 'attached' });
  await page.selectOption('select[name=deviceId]', spare.id);
  await page.selectOption('select[name=toStationId]', stations.get('Masaran/Loket 1')!.stationId);
  await page.fill('input[name=startsOn]', '2026-03-02');
  await page.fill('input[name=dueOn]', '2026-04-02');
  await page.fill('input[name=reference]', '470/215/Disdukcapil/2026');
  await page.fill('input[name=purpose]', 'Pengganti kamera iris yang rusak');
  await page.click('.grid-form:has(select[name=deviceId]) button[type=submit]');
  const row = page.locator('table.loans tr:has-text("470/215/Disdukcapil/2026")');
  await row.waitFor();
  assert.match(await row.innerText(), /Gudang\s+Masaran \/ Loket 1\s+2026-03-02\s+2026-04-02/);
  const [record] = await Promise.all([
    page.waitForEvent('popup'),
    row.locator('a:has-text("Berita acara")').click(),
  ]);
  await record.waitForLoadState();
  const text = await record.locator('body').innerText();
  assert.match(text, /BERITA ACARA PINJAM PAKAI/);
  assert.match(text, /IT-SPARE-1/);
  assert.match(text, /Disdukcapil Kabupaten Sragen/);
  await record.close();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('a:has-text("Unduh CSV")'),
  ]);
  const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
  assert.equal(download.suggestedFilename(), 'inventaris.csv');
  assert.match(csv, /^serial_number,vendor,model,role,status,kecamatan,station/);
  assert.match(csv, /IT-SPARE-1,IriTech,IriShield MK2120U,iris,installed,Masaran,Loket 1/);
  await page.screenshot({ path: join(screenshots, 'dashboard-inventory.png'), fullPage: true });
});

test('the figures page and the public page for residents', async () => {
  await page.goto(server.url + '/#/angka');
  await page.waitForSelector('svg.chart');
  // Each chart says what it counts and in what unit; months by name; MTTA and MTTR are drawn too.
  const headings = await page.locator('.figures h2').allInnerTexts();
  assert.ok(
    headings.includes('Jam tidak bisa merekam per bulan, semua kecamatan dijumlah (jam)'),
    headings.join(' | '),
  );
  assert.ok(headings.includes('Waktu tanggap per bulan (jam)'), headings.join(' | '));
  const monthNow = new Intl.DateTimeFormat('id-ID', {
    month: 'short',
    year: 'numeric',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(clock));
  const monthLabels = await page.locator('svg.chart.trend .label').allTextContents();
  assert.ok(monthLabels.includes(monthNow), `${monthNow} in ${monthLabels.join(', ')}`);
  assert.doesNotMatch((await page.locator('svg.chart.trend').textContent()) ?? '', /\b20\d\d-\d\d\b/);
  assert.ok(
    (await page.locator('svg.chart.response-times rect.bar.acknowledge').count()) >= 1,
    'an MTTA bar',
  );
  await page.screenshot({ path: join(screenshots, 'dashboard-figures.png'), fullPage: true });
  await page.goto(server.url + '/#/habis-pakai');
  await page.waitForSelector('table.consumables');
  assert.match(await page.locator('table.consumables tbody tr').first().innerText(), /Stok menipis/);
  await page.screenshot({ path: join(screenshots, 'dashboard-consumables.png'), fullPage: true });

  const visitor = await browser.newPage({
    viewport: { width: 800, height: 900 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  await visitor.goto(server.url + '/publik');
  await visitor.waitForSelector('.public-list li');
  const items = await visitor.locator('.public-list li').allInnerTexts();
  // Silent for two hours within service hours: "no news since", not "cannot record" (issue 10).
  assert.ok(
    items.some((item) => /Kalijambe\s+\? Tidak ada kabar sejak/.test(item)),
    items.join(' | '),
  );
  assert.ok(
    items.some((item) => /Masaran\s+✔ Bisa merekam/.test(item)),
    items.join(' | '),
  );
  assert.ok(!(await visitor.content()).includes('Loket'), 'no station internals on the public page');
  await visitor.screenshot({ path: join(screenshots, 'dashboard-publik.png'), fullPage: true });
  await visitor.setViewportSize({ width: 360, height: 740 });
  assert.ok(
    await visitor.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    'no sideways scrolling on a 360 px phone',
  );
  await visitor.click('button.language-corner');
  await visitor.waitForSelector('text=No news since');
  await visitor.close();
});

test('a damaged link shows "Tautan tidak valid" instead of a blank page', async () => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  for (const hash of ['#/gangguan/%E0%A4%A/x', '#/gangguan/st-1/%ZZ', '#/faults/%3Cgarbage%3E']) {
    await page.goto(`${server.url}/${hash}`);
    const heading = page.locator('.invalid-link h2');
    await heading.waitFor();
    assert.equal(await heading.textContent(), 'Tautan tidak valid', hash);
    assert.equal(await page.locator('header nav').count(), 1, `${hash}: the navigation stays`);
  }
  await page.click('.invalid-link a');
  await page.locator('article.kecamatan').first().waitFor();
  assert.deepEqual(errors, []);
});

test('on a phone (360x740) nothing scrolls sideways: board, a fault, inventory, figures, audit log', async () => {
  const phone = await browser.newPage({
    viewport: { width: 360, height: 740 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  await phone.goto(server.url + '/');
  await phone.fill('input[name=username]', STAFF.admin);
  await phone.fill('input[name=password]', PASSWORD);
  await phone.click('button[type=submit]');
  const pages: [string, string, string][] = [
    ['#/', 'article.kecamatan', 'board'],
    [
      `#/gangguan/${encodeURIComponent(stations.get('Masaran/Loket 1')!.stationId)}/iris-masaran`,
      '.fault-detail select[name=technician]',
      'fault',
    ],
    ['#/gangguan', 'table.faults', 'faults'],
    ['#/inventaris', 'table.loans', 'inventory'],
    ['#/angka', 'svg.chart.response-times', 'figures'],
    ['#/audit', '.audit-log li', 'audit'],
  ];
  for (const [hash, selector, name] of pages) {
    await phone.goto(server.url + '/' + hash);
    await phone.waitForSelector(selector);
    const widths = await phone.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
    }));
    assert.ok(widths.page <= 360 && widths.body <= 360, `${name}: ${JSON.stringify(widths)}`);
    await phone.screenshot({ path: join(screenshots, `dashboard-phone-${name}.png`), fullPage: true });
  }
  // The board's rows are stacked cards on a phone: the badge is readable, not squeezed into a column.
  await phone.goto(server.url + '/#/');
  const badge = phone.locator('article[data-kecamatan="Tangen"] tr[data-station] .badge').first();
  await badge.waitFor();
  const box = (await badge.boundingBox())!;
  assert.ok(box.width >= 100 && box.x + box.width <= 360, JSON.stringify(box));
  assert.equal(
    await phone
      .locator('article[data-kecamatan="Tangen"] thead')
      .evaluate((head) => getComputedStyle(head).display),
    'none',
  );
  await phone.close();
});

test('the audit log reads as sentences with names, not ids and JSON', async () => {
  const admin = await browser.newPage({
    viewport: { width: 1280, height: 900 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
  });
  await admin.goto(server.url + '/');
  await admin.fill('input[name=username]', STAFF.admin);
  await admin.fill('input[name=password]', PASSWORD);
  await admin.click('button[type=submit]');
  await admin.goto(server.url + '/#/audit');
  await admin.waitForSelector('.audit-log li');
  const lines = await admin.locator('.audit-log li').allInnerTexts();
  assert.ok(
    lines.some((line) =>
      /^Budi Santoso \(teknisi\) menandai gangguan Pemindai sidik jari di Kec\. Tangen Loket 1 sedang diperbaiki oleh Pak Joko \(teknisi\), \d+ \w+ 20\d\d,? \d\d\.\d\d WIB$/.test(
        line,
      ),
    ),
    lines.join('\n'),
  );
  assert.ok(
    lines.some((line) =>
      line.startsWith('Budi Santoso (teknisi) menerima gangguan Pemindai sidik jari di Kec. Tangen Loket 1'),
    ),
  );
  const all = lines.join('\n');
  assert.doesNotMatch(all, /[{}"]/, 'no JSON');
  for (const station of stations.values()) {
    assert.ok(!all.includes(station.stationId), 'no station ids');
  }
  await admin.close();
});
