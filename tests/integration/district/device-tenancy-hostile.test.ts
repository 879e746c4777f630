// Attacks on "a device is its district's" (inventory/devices.ts deviceIdOf, migration 731), as a
// hostile station, a careless district and an old database would: serial numbers that look like
// ids, cloned serials across districts, a spare registered in one district and reported by another's
// station, the printed loan record of another district, and migration 731 on a database holding
// devices of several districts with their loans and audit rows (SQLite and PostgreSQL).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addUser } from '../../../district/server/auth/users';
import { addSpare, listDevices } from '../../../district/server/inventory/devices';
import { createLoan, returnLoan } from '../../../district/server/inventory/loans';
import { migrate } from '../../../district/server/db/migrations';
import { addDistrict, addProvince } from '../../../district/server/tenancy/districts';
import type { InventoryDevice } from '../../../protocol/events';
import type { DeviceView, LoanView } from '../../../district/dash-api';
import { login, PASSWORD, postEvents, staffHeaders, TEST_SCRYPT } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const NOW = Date.parse('2026-03-11T05:00:00.000Z');
const SRAGEN = '33.14';
const BANTUL = '34.02';

function scanner(
  serialNumber: string | undefined,
  vendor: string | undefined = 'Futronic',
  key = `usb:1491:0020:${serialNumber ?? 'none'}`,
): InventoryDevice {
  return {
    role: 'fingerprint',
    device: { key, vendor, model: 'FS80H', serialNumber, transport: 'usb' },
  };
}

async function report(
  district: TestDistrict,
  station: TestStation,
  devices: InventoryDevice[],
  atMs: number,
): Promise<void> {
  await postEvents(district, station, [station.event('inventory.reported', { devices }, atMs)], atMs);
}

async function devicesOf(district: TestDistrict, session: Login): Promise<DeviceView[]> {
  const response = await district.app.inject({
    method: 'GET',
    url: '/api/dash/inventory/devices',
    headers: staffHeaders(session),
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as DeviceView[];
}

interface Setup {
  district: TestDistrict;
  sragen: { station: TestStation; other: TestStation; session: Login };
  bantul: { station: TestStation; session: Login };
  defaultStation: TestStation;
}

async function setUp(url?: string): Promise<Setup> {
  const clock = { now: NOW - 3_600_000 };
  const district = await startTestDistrict({
    url,
    now: () => clock.now,
    dashboard: { districtName: 'Dinas Dukcapil Kabupaten Bawaan' },
  });
  await addProvince(district.db, { code: '33', name: 'Jawa Tengah' });
  await addProvince(district.db, { code: '34', name: 'DI Yogyakarta' });
  await addDistrict(district.db, { code: SRAGEN, name: 'Kabupaten Sragen', province: '33', timeZone: 'WIB' });
  await addDistrict(district.db, { code: BANTUL, name: 'Kabupaten Bantul', province: '34', timeZone: 'WIB' });
  const station = new TestStation();
  const other = new TestStation();
  const bantulStation = new TestStation();
  const defaultStation = new TestStation();
  await station.enroll(district, 'Loket Sragen Kota', 'Sragen Kota', SRAGEN);
  await other.enroll(district, 'Loket Tangen', 'Tangen', SRAGEN);
  await bantulStation.enroll(district, 'Loket Bantul', 'Bantul', BANTUL);
  await defaultStation.enroll(district, 'Loket Bawaan', 'Kota', undefined);
  for (const [username, code] of [
    ['srg', SRAGEN],
    ['btl', BANTUL],
  ] as const) {
    await addUser(
      district.db,
      { username, name: username, role: 'admin', password: PASSWORD, scope: { level: 'district', code } },
      TEST_SCRYPT,
    );
  }
  clock.now = NOW;
  return {
    district,
    sragen: { station, other, session: await login(district.app, 'srg') },
    bantul: { station: bantulStation, session: await login(district.app, 'btl') },
    defaultStation,
  };
}

describe('device tenancy under attack (SQLite)', () => {
  let setup: Setup;
  before(async () => {
    setup = await setUp();
  });
  after(async () => {
    await setup.district.close();
  });

  it('serials that look like ids, unicode, colons, spaces or 100 characters stay in their own district', async () => {
    const { district, sragen, bantul, defaultStation } = setup;
    const odd = [
      'd:34.02:sn:futronic:0000',
      'sn:futronic:0000',
      '0000:d:34.02',
      'Ｓ０００ 序列',
      ' 0000 ',
      'x'.repeat(100),
    ];
    // Bantul's station reports the plain "0000" and each odd serial too: none may touch Sragen's rows.
    await report(district, bantul.station, [scanner('0000'), ...odd.map((serial) => scanner(serial))], NOW);
    await report(
      district,
      sragen.station,
      [scanner('0000'), ...odd.map((serial) => scanner(serial))],
      NOW + 1000,
    );
    await report(district, defaultStation, [scanner('0000')], NOW + 2000);
    const seenBySragen = await devicesOf(district, sragen.session);
    const seenByBantul = await devicesOf(district, bantul.session);
    assert.equal(seenBySragen.length, odd.length + 1);
    assert.equal(seenByBantul.length, odd.length + 1);
    for (const device of seenBySragen) {
      assert.equal(device.stationId, sragen.station.stationId, device.id);
      assert.equal(device.status, 'installed');
    }
    for (const device of seenByBantul) {
      assert.equal(device.stationId, bantul.station.stationId, device.id);
      assert.equal(
        device.status,
        'installed',
        `${device.id} must not be taken over by Sragen's later report`,
      );
    }
    // Three districts, one "0000" each: three rows, none shared.
    const rows = await district.db.query<{ id: string; district_code: string }>(
      "SELECT id, district_code FROM devices WHERE serial_number = '0000' ORDER BY district_code",
    );
    assert.deepEqual(
      rows.map((row) => row.district_code),
      [SRAGEN, BANTUL, 'default'].sort(),
    );
    assert.equal(new Set(rows.map((row) => row.id)).size, 3);
    // Bantul's station stops reporting the odd serials: only Bantul's rows go.
    await report(district, bantul.station, [scanner('0000')], NOW + 3000);
    assert.equal(
      (await devicesOf(district, bantul.session)).filter((device) => device.status === 'installed').length,
      1,
    );
    assert.equal(
      (await devicesOf(district, sragen.session)).filter((device) => device.status === 'installed').length,
      odd.length + 1,
    );
  });

  it("a device without vendor or serial number is its station's key, in its district", async () => {
    const { district, sragen, bantul } = setup;
    const keyOnly = scanner(undefined, undefined, 'serial:/dev/ttyS0');
    await report(district, bantul.station, [scanner('0000'), keyOnly], NOW + 4000);
    await report(
      district,
      sragen.station,
      [
        keyOnly,
        ...(await devicesOf(district, sragen.session))
          .filter((device) => device.status === 'installed' && device.serialNumber !== null)
          .map((device) => scanner(device.serialNumber!)),
      ],
      NOW + 5000,
    );
    const bantulKey = (await devicesOf(district, bantul.session)).find(
      (device) => device.deviceKey === 'serial:/dev/ttyS0',
    );
    const sragenKey = (await devicesOf(district, sragen.session)).find(
      (device) => device.deviceKey === 'serial:/dev/ttyS0',
    );
    assert.ok(bantulKey !== undefined && sragenKey !== undefined);
    assert.notEqual(bantulKey.id, sragenKey.id);
    assert.equal(bantulKey.status, 'installed');
  });

  it("a spare Sragen registers is not captured when Bantul's station reports the same serial; Sragen's own station installs it", async () => {
    const { district, sragen, bantul } = setup;
    const spare = await district.app.inject({
      method: 'POST',
      url: '/api/dash/inventory/spares',
      headers: staffHeaders(sragen.session, 'POST'),
      payload: JSON.stringify({
        serialNumber: 'SPR-77',
        vendor: 'Futronic',
        model: 'FS80H',
        role: 'fingerprint',
        note: 'cadangan',
      }),
    });
    assert.equal(spare.statusCode, 200, spare.body);
    const spareId = (spare.json() as { id: string }).id;
    await report(district, bantul.station, [scanner('0000'), scanner('SPR-77')], NOW + 6000);
    const sragenSpare = (await devicesOf(district, sragen.session)).find((device) => device.id === spareId);
    assert.equal(sragenSpare?.status, 'spare', "Bantul's report must leave Sragen's spare on its shelf");
    assert.equal(sragenSpare?.stationId, null);
    assert.ok(
      (await devicesOf(district, bantul.session)).some(
        (device) => device.serialNumber === 'SPR-77' && device.id !== spareId,
      ),
    );
    // Registering the same serial again in Bantul: its own spare is a conflict there, not Sragen's.
    const again = await district.app.inject({
      method: 'POST',
      url: '/api/dash/inventory/spares',
      headers: staffHeaders(bantul.session, 'POST'),
      payload: JSON.stringify({
        serialNumber: 'SPR-77',
        vendor: 'futronic',
        model: 'FS80H',
        role: 'fingerprint',
        note: '',
      }),
    });
    assert.equal(again.statusCode, 409, again.body);
    assert.doesNotMatch(again.body, /33\.14|Sragen/);
    // Sragen's other station plugs the spare in: the same device, now installed there.
    await report(district, sragen.other, [scanner('SPR-77')], NOW + 7000);
    const installed = (await devicesOf(district, sragen.session)).find((device) => device.id === spareId);
    assert.equal(installed?.status, 'installed');
    assert.equal(installed?.stationId, sragen.other.stationId);
  });

  it("another district's device or station in a loan is unknown; the printed record names the loan's own district", async () => {
    const { district, sragen, bantul } = setup;
    const bantulDevice = (await devicesOf(district, bantul.session)).find(
      (device) => device.serialNumber === '0000',
    )!;
    const crossLoan = await district.app.inject({
      method: 'POST',
      url: '/api/dash/inventory/loans',
      headers: staffHeaders(sragen.session, 'POST'),
      payload: JSON.stringify({
        deviceId: bantulDevice.id,
        toStationId: sragen.other.stationId,
        startsOn: '2026-03-11',
        dueOn: '2026-03-20',
        reference: 'PP/1',
        purpose: 'x',
      }),
    });
    assert.equal(crossLoan.statusCode, 404, crossLoan.body);
    const sragenSpare = await addSpare(district.db, {
      serialNumber: 'SPR-88',
      vendor: 'Futronic',
      model: 'FS80H',
      role: 'fingerprint',
      note: '',
      nowMs: NOW,
      district: SRAGEN,
    });
    const toBantul = await district.app.inject({
      method: 'POST',
      url: '/api/dash/inventory/loans',
      headers: staffHeaders(sragen.session, 'POST'),
      payload: JSON.stringify({
        deviceId: sragenSpare,
        toStationId: bantul.station.stationId,
        startsOn: '2026-03-11',
        dueOn: '2026-03-20',
        reference: 'PP/2',
        purpose: 'x',
      }),
    });
    assert.equal(toBantul.statusCode, 404, toBantul.body);
    const loan = await district.app.inject({
      method: 'POST',
      url: '/api/dash/inventory/loans',
      headers: staffHeaders(sragen.session, 'POST'),
      payload: JSON.stringify({
        deviceId: sragenSpare,
        toStationId: sragen.station.stationId,
        startsOn: '2026-03-11',
        dueOn: '2026-03-20',
        reference: 'PP/SRG/3',
        purpose: 'pengganti',
      }),
    });
    assert.equal(loan.statusCode, 200, loan.body);
    const loanId = (loan.json() as LoanView).id;
    const foreignRecord = await district.app.inject({
      method: 'GET',
      url: `/api/dash/inventory/loans/${loanId}/record`,
      headers: staffHeaders(bantul.session),
    });
    assert.equal(foreignRecord.statusCode, 404);
    const foreignReturn = await district.app.inject({
      method: 'POST',
      url: `/api/dash/inventory/loans/${loanId}/return`,
      headers: staffHeaders(bantul.session, 'POST'),
      payload: JSON.stringify({ returnedOn: '2026-03-12' }),
    });
    assert.equal(foreignReturn.statusCode, 404);
    // The berita acara is Sragen's: its name, not the server's default district's.
    const record = await district.app.inject({
      method: 'GET',
      url: `/api/dash/inventory/loans/${loanId}/record`,
      headers: staffHeaders(sragen.session),
    });
    assert.equal(record.statusCode, 200);
    assert.match(record.body, /Kabupaten Sragen/);
    assert.doesNotMatch(record.body, /Kabupaten Bawaan/);
    // The inventory export of Bantul holds none of Sragen's serials.
    const csv = await district.app.inject({
      method: 'GET',
      url: '/api/dash/export/inventory.csv',
      headers: staffHeaders(bantul.session),
    });
    assert.equal(csv.statusCode, 200);
    assert.doesNotMatch(csv.body, /SPR-88|Sragen|Tangen/);
  });

  it("the default district's loan record keeps the server's --district-name", async () => {
    const { district, defaultStation } = setup;
    const spare = await addSpare(district.db, {
      serialNumber: 'SPR-DEF',
      vendor: 'Futronic',
      model: 'FS80H',
      role: 'fingerprint',
      note: '',
      nowMs: NOW,
    });
    const loanId = await createLoan(district.db, {
      deviceId: spare,
      toStationId: defaultStation.stationId,
      startsOn: '2026-03-11',
      dueOn: '2026-03-20',
      reference: 'PP/DEF/1',
      purpose: 'x',
      createdBy: 'admin',
      nowMs: NOW,
    });
    await addUser(
      district.db,
      { username: 'pusat', name: 'Pusat', role: 'admin', password: PASSWORD, scope: { level: 'national' } },
      TEST_SCRYPT,
    );
    const record = await district.app.inject({
      method: 'GET',
      url: `/api/dash/inventory/loans/${loanId}/record`,
      headers: staffHeaders(await login(district.app, 'pusat')),
    });
    assert.equal(record.statusCode, 200, record.body);
    assert.match(record.body, /Kabupaten Bawaan/);
    await returnLoan(district.db, { loanId, returnedOn: '2026-03-12', nowMs: NOW });
  });
});

/**
 * A database as it stood before migration 731: devices of several districts under unprefixed ids,
 * with open and returned loans and audit rows naming them; then 731 runs (again: it only rewrites
 * rows, so forgetting it replays it on the rows written the old way).
 */
async function migrationCase(district: TestDistrict): Promise<void> {
  const db = district.db;
  await addProvince(db, { code: '33', name: 'Jawa Tengah' });
  await addProvince(db, { code: '34', name: 'DI Yogyakarta' });
  await addDistrict(db, { code: SRAGEN, name: 'Kabupaten Sragen', province: '33', timeZone: 'WIB' });
  await addDistrict(db, { code: BANTUL, name: 'Kabupaten Bantul', province: '34', timeZone: 'WIB' });
  await addDistrict(db, { code: 'x_1', name: 'Kode garis bawah', province: '34', timeZone: 'WIB' });
  const sragen = new TestStation();
  const bantul = new TestStation();
  await sragen.enroll(district, 'Loket Sragen', 'Sragen Kota', SRAGEN);
  await bantul.enroll(district, 'Loket Bantul', 'Bantul', BANTUL);
  const at = new Date(NOW).toISOString();
  const insert = (
    id: string,
    serial: string | null,
    station: string | null,
    status: string,
    districtCode: string,
  ) =>
    db.run(
      `INSERT INTO devices (id, serial_number, device_key, vendor, model, role, station_id, status, first_seen_at, updated_at, note, district_code)
       VALUES ($1, $2, $3, 'futronic', 'FS80H', 'fingerprint', $4, $5, $6, $6, NULL, $7)`,
      [
        id,
        serial,
        serial === null ? 'serial:/dev/ttyS0' : `usb:${serial}`,
        station,
        status,
        at,
        districtCode,
      ],
    );
  await insert('sn:futronic:0000', '0000', null, 'spare', 'default');
  await insert('sn:futronic:1111', '1111', sragen.stationId, 'installed', SRAGEN);
  await insert('sn:futronic:2222', '2222', null, 'spare', BANTUL);
  await insert(`key:${bantul.stationId}:serial:/dev/ttyS0`, null, bantul.stationId, 'installed', BANTUL);
  await insert('sn:futronic:d:x', 'd:x', null, 'spare', 'x_1');
  const loan = (id: string, device: string, to: string, returned: string | null) =>
    db.run(
      `INSERT INTO loans (id, device_id, from_station_id, to_station_id, starts_on, due_on, reference, purpose, created_by, created_at, returned_on)
       VALUES ($1, $2, NULL, $3, '2026-03-01', '2026-03-20', $1, 'uji', 'admin', $4, $5)`,
      [id, device, to, at, returned],
    );
  await loan('pp-open', 'sn:futronic:2222', bantul.stationId, null);
  await loan('pp-done', 'sn:futronic:2222', bantul.stationId, '2026-03-05');
  await loan('pp-srg', 'sn:futronic:1111', sragen.stationId, '2026-03-02');
  await db.run(
    `INSERT INTO audit_log (id, at, username, action, target, detail, district_code)
     VALUES ('audit-731', $1, 'btl', 'inventory.spare-added', 'sn:futronic:2222', '{}', $2)`,
    [at, BANTUL],
  );
  await db.run('DELETE FROM schema_migrations WHERE id = 731');
  assert.deepEqual(await migrate(db), [731]);
  assert.deepEqual(await migrate(db), []);
  const devices = await db.query<{ id: string; district_code: string; status: string }>(
    'SELECT id, district_code, status FROM devices ORDER BY id',
  );
  assert.deepEqual(
    devices.map((device) => [device.id, device.district_code, device.status]).sort(),
    [
      [`d:${BANTUL}:key:${bantul.stationId}:serial:/dev/ttyS0`, BANTUL, 'installed'],
      [`d:${BANTUL}:sn:futronic:2222`, BANTUL, 'spare'],
      [`d:${SRAGEN}:sn:futronic:1111`, SRAGEN, 'installed'],
      ['d:x_1:sn:futronic:d:x', 'x_1', 'spare'],
      ['sn:futronic:0000', 'default', 'spare'],
    ].sort(),
  );
  const loans = await db.query<{ id: string; device_id: string }>(
    'SELECT id, device_id FROM loans ORDER BY id',
  );
  assert.deepEqual(
    loans.map((row) => [row.id, row.device_id]),
    [
      ['pp-done', `d:${BANTUL}:sn:futronic:2222`],
      ['pp-open', `d:${BANTUL}:sn:futronic:2222`],
      ['pp-srg', `d:${SRAGEN}:sn:futronic:1111`],
    ],
  );
  // The open loan still shows on the migrated device, and Bantul's station reporting it keeps one row.
  const listed = await listDevices(db, { scope: { level: 'district', code: BANTUL } });
  assert.equal(listed.find((device) => device.serialNumber === '2222')?.loanId, 'pp-open');
  await postEvents(
    district,
    bantul,
    [bantul.event('inventory.reported', { devices: [scanner('2222', 'Futronic')] }, NOW + 60_000)],
    NOW + 60_000,
  );
  assert.equal(
    Number(
      (
        await db.query<{ n: number | string }>(
          "SELECT COUNT(*) AS n FROM devices WHERE serial_number = '2222'",
        )
      )[0].n,
    ),
    1,
  );
  const [audit] = await db.query<{ target: string }>(
    "SELECT target FROM audit_log WHERE action = 'inventory.spare-added'",
  );
  assert.equal(audit.target, 'sn:futronic:2222', 'audit rows keep the id they were written with');
}

describe('migration 731 on a database of several districts', () => {
  it('SQLite: ids gain their district, loans follow, the default district keeps its ids', async () => {
    const district = await startTestDistrict({ now: () => NOW });
    try {
      await migrationCase(district);
    } finally {
      await district.close();
    }
  });

  describe('PostgreSQL', () => {
    let postgres: TestPostgres;
    before(async () => {
      postgres = await startPostgres();
    });
    after(async () => {
      await postgres.stop();
    });
    it('ids gain their district, loans follow, the default district keeps its ids', async () => {
      const district = await startTestDistrict({ url: postgres.url, now: () => NOW });
      try {
        await migrationCase(district);
      } finally {
        await district.close();
      }
    });
  });
});
