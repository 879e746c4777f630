// The kiosk in Debian Chromium over a real Agent enrolled with a real district: what district staff
// do to a fault shows on the board tile and in the fault list, in Bahasa Indonesia.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { applyFaultAction } from '../../../district/server/faults/lifecycle';
import { launchChromium } from '../../helpers/browser';
import { addStaff, STAFF } from '../../helpers/dashboard';
import { startKioskServer } from '../../helpers/kiosk-server';
import type { KioskServer } from '../../helpers/kiosk-server';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';
import type { HttpDistrict } from '../../helpers/station-district';

let browser: Browser;
let district: HttpDistrict;
let server: KioskServer;

before(async () => {
  browser = await launchChromium();
  district = await startHttpDistrict();
  await addStaff(district.db);
  server = await startKioskServer({
    agent: {
      schedule: { heartbeatIntervalMs: 200 },
      deliveryPolicy: { baseBackoffMs: 50, maxBackoffMs: 500 },
    },
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await district?.close();
});

test('the tile and the fault list say who at the district took the fault and which technician comes', async () => {
  const stationId = await enrollStation(district, server.dataDir);
  server.agent.notifyEnrolled();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(server.url);
  await page.getByTestId('board').waitFor();

  server.station.set('fingerprint-missing');
  server.agent.notifyHotplug();
  const tileDistrict = page.getByTestId('district-fingerprint');
  await page.locator('[data-testid="district-fingerprint"][data-district-state="reported"]').waitFor({
    timeout: 10_000,
  });
  assert.match(await tileDistrict.innerText(), /Kabupaten: sudah dilaporkan/);
  const [row] = await district.db.query<{ fault_id: string }>(
    `SELECT fault_id FROM faults WHERE station_id = $1 AND code = 'FINGERPRINT_MISSING'`,
    [stationId],
  );
  assert.ok(row, 'the fault reached the district');

  await applyFaultAction(district.db, {
    stationId,
    faultId: row.fault_id,
    action: { type: 'acknowledge' },
    username: STAFF.technician,
    nowMs: Date.now(),
  });
  await page
    .getByTestId('district-fingerprint')
    .getByText('sudah diterima kabupaten (oleh Budi Santoso)')
    .waitFor();

  await applyFaultAction(district.db, {
    stationId,
    faultId: row.fault_id,
    action: { type: 'repair', assignee: 'Pak Joko', note: 'Kabel USB diganti besok pagi' },
    username: STAFF.admin,
    nowMs: Date.now(),
  });
  await page.getByTestId('district-fingerprint').getByText('teknisi ditugaskan: Pak Joko').waitFor();
  assert.match(await tileDistrict.innerText(), /Pesan kabupaten: “Kabel USB diganti besok pagi”/);

  await page.getByTestId('nav-faults').click();
  const listed = page.getByTestId('fault-district-FINGERPRINT_MISSING');
  await listed.getByText('teknisi ditugaskan: Pak Joko').waitFor();
  assert.equal(await listed.getAttribute('data-district-state'), 'technician-assigned');
  await page.close();
});
