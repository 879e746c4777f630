// A device is its district's (inventory/devices.ts deviceIdOf, migration 731), on SQLite and
// PostgreSQL: a cloned serial number ("0000") in two districts is two devices, each district sees
// and moves only its own, a spare registered by one district never captures the other's station
// device, a loan of another district's device is unknown on every dashboard route (fastify's route
// table), and the same serial moving between two stations of one district is still one device.
// Databases whose devices were made before 731 get their other districts' ids rewritten, loans too.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DeviceView, LoanSuggestions, LoanView } from '../../../district/dash-api';
import { addUser } from '../../../district/server/auth/users';
import { migrate } from '../../../district/server/db/migrations';
import { setServiceWeek } from '../../../district/server/calendar/store';
import { addDistrict, addProvince } from '../../../district/server/tenancy/districts';
import { ALL_WEEK, heartbeat, HEALTHY, login, PASSWORD, postEvents, staffHeaders, TEST_SCRYPT } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { registeredRoutes, startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const SRAGEN = '33.14';
const SURAKARTA = '33.72';
const NOW = Date.parse('2026-03-11T05:00:00.000Z');

/** A cheap scanner whose every unit reports serial number 0000. */
const CLONED = { key: 'usb:080b:0010:0000', vendor: 'Cross Match', model: 'Guardian', serialNumber: '0000', transport: 'usb' as const };
const SOLO_PAD = { key: 'usb:06a8:0043:T7', vendor: 'Topaz', model: 'SigLite', serialNumber: 'T7', transport: 'usb' as const };

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`a device is its district's (${engine})`, () => {
    const clock = { now: NOW };
    let postgres: TestPostgres | undefined;
    let district: TestDistrict;
    const stations = { sragenKota: new TestStation(), tangen: new TestStation(), solo: new TestStation() };
    const accounts = {} as { sragen: Login; solo: Login };

    const get = async <T>(url: string, session: Login): Promise<T> => {
      const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
      assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
      return response.json() as T;
    };
    const post = (url: string, session: Login, body: unknown) =>
      district.app.inject({ method: 'POST', url, headers: staffHeaders(session, 'POST'), payload: JSON.stringify(body) });
    const report = async (station: TestStation, devices: { role: string; device: typeof CLONED }[]) => {
      clock.now += 60_000;
      await postEvents(district, station, [station.event('inventory.reported', { devices } as never, clock.now)], clock.now);
    };
    const devicesOf = (code: string) =>
      district.db.query<{ id: string; station_id: string | null; status: string; serial_number: string }>(
        'SELECT id, station_id, status, serial_number FROM devices WHERE district_code = $1 ORDER BY id',
        [code],
      );

    before(async () => {
      if (engine === 'postgres') {
        postgres = await startPostgres();
      }
      district = await startTestDistrict({ now: () => clock.now, url: postgres?.url });
      await addProvince(district.db, { code: '33', name: 'Jawa Tengah' });
      await addDistrict(district.db, { code: SRAGEN, name: 'Kabupaten Sragen', province: '33', timeZone: 'WIB' });
      await addDistrict(district.db, { code: SURAKARTA, name: 'Kota Surakarta', province: '33', timeZone: 'WIB' });
      for (const code of [SRAGEN, SURAKARTA]) {
        await setServiceWeek(district.db, { kecamatan: null, week: ALL_WEEK, nowMs: NOW, district: code });
      }
      await stations.sragenKota.enroll(district, 'Loket Sragen Kota', 'Sragen Kota', SRAGEN);
      await stations.tangen.enroll(district, 'Loket Tangen', 'Tangen', SRAGEN);
      await stations.solo.enroll(district, 'Loket Laweyan', 'Laweyan', SURAKARTA);
      await addUser(district.db, { username: 'srg', name: 'Sragen', role: 'admin', password: PASSWORD, scope: { level: 'district', code: SRAGEN } }, TEST_SCRYPT);
      await addUser(district.db, { username: 'solo', name: 'Solo', role: 'admin', password: PASSWORD, scope: { level: 'district', code: SURAKARTA } }, TEST_SCRYPT);
      accounts.sragen = await login(district.app, 'srg');
      accounts.solo = await login(district.app, 'solo');
    });
    after(async () => {
      await district?.close();
      await postgres?.stop();
    });

    it('the same cloned serial in two districts is two devices, each seen by its own district only', async () => {
      await report(stations.sragenKota, [{ role: 'fingerprint', device: CLONED }]);
      // Later, from the other district: before, this moved Sragen's row to Surakarta.
      await report(stations.solo, [{ role: 'fingerprint', device: CLONED }, { role: 'signature', device: SOLO_PAD }]);
      const sragen = await get<DeviceView[]>('/api/dash/inventory/devices', accounts.sragen);
      const solo = await get<DeviceView[]>('/api/dash/inventory/devices', accounts.solo);
      assert.deepEqual(sragen.map((device) => [device.serialNumber, device.stationId, device.status]), [
        ['0000', stations.sragenKota.stationId, 'installed'],
      ]);
      assert.deepEqual(solo.map((device) => [device.serialNumber, device.stationId, device.status]).sort(), [
        ['0000', stations.solo.stationId, 'installed'],
        ['T7', stations.solo.stationId, 'installed'],
      ]);
      assert.notEqual(sragen[0].id, solo.find((device) => device.serialNumber === '0000')?.id);
      // Surakarta's next report without the scanner removes its own, never Sragen's.
      await report(stations.solo, [{ role: 'signature', device: SOLO_PAD }]);
      assert.deepEqual((await devicesOf(SRAGEN)).map((row) => row.status), ['installed']);
      assert.deepEqual((await devicesOf(SURAKARTA)).map((row) => [row.serial_number, row.status]).sort(), [
        ['0000', 'removed'],
        ['T7', 'installed'],
      ]);
      await report(stations.solo, [{ role: 'fingerprint', device: CLONED }, { role: 'signature', device: SOLO_PAD }]);
    });

    it('the same serial moving between two stations of one district is still one device', async () => {
      await report(stations.tangen, [{ role: 'fingerprint', device: CLONED }]);
      await report(stations.sragenKota, []);
      const rows = await devicesOf(SRAGEN);
      assert.deepEqual(rows.map((row) => [row.serial_number, row.station_id, row.status]), [
        ['0000', stations.tangen.stationId, 'installed'],
      ]);
      assert.deepEqual((await devicesOf(SURAKARTA)).find((row) => row.serial_number === '0000')?.station_id, stations.solo.stationId);
    });

    it("a spare of one district never captures the other's station device; within a district it is that device", async () => {
      const soloBefore = await devicesOf(SURAKARTA);
      const added = await post('/api/dash/inventory/spares', accounts.sragen, {
        serialNumber: 'T7',
        vendor: 'Topaz',
        model: 'SigLite',
        role: 'signature',
      });
      assert.equal(added.statusCode, 200, `Surakarta's T7 is not Sragen's: ${added.body}`);
      assert.deepEqual(await devicesOf(SURAKARTA), soloBefore);
      // The same serial in Sragen's own inventory is the same device: refused, as ever.
      const again = await post('/api/dash/inventory/spares', accounts.sragen, {
        serialNumber: '0000',
        vendor: 'Cross Match',
        model: 'Guardian',
      });
      assert.equal(again.statusCode, 409, again.body);
      // Surakarta's station goes on reporting its T7: Sragen's spare stays on Sragen's shelf.
      await report(stations.solo, [{ role: 'fingerprint', device: CLONED }, { role: 'signature', device: SOLO_PAD }]);
      const spare = (await devicesOf(SRAGEN)).find((row) => row.serial_number === 'T7');
      assert.deepEqual([spare?.station_id, spare?.status], [null, 'spare']);
      // Sragen's own station reporting the unit installs that spare (one device, not two).
      await report(stations.sragenKota, [{ role: 'signature', device: SOLO_PAD }]);
      assert.deepEqual(
        (await devicesOf(SRAGEN)).map((row) => [row.serial_number, row.station_id, row.status]),
        [
          ['0000', stations.tangen.stationId, 'installed'],
          ['T7', stations.sragenKota.stationId, 'installed'],
        ],
      );
      assert.deepEqual(await devicesOf(SURAKARTA), soloBefore);
    });

    it("another district's device id is unknown on every dashboard route; its own is lent and returned", async () => {
      const foreign = (await devicesOf(SURAKARTA)).find((row) => row.serial_number === '0000')!;
      const own = (await devicesOf(SRAGEN)).find((row) => row.serial_number === '0000')!;
      const soloBefore = await devicesOf(SURAKARTA);
      let walked = 0;
      for (const route of registeredRoutes(district.app)) {
        const access = district.app.dashboard.routes.find(
          (candidate) => candidate.method === route.method && candidate.url === route.url,
        )?.access;
        if (access === undefined || access === 'public' || route.method === 'HEAD' || route.url === '/api/dash/logout') {
          continue;
        }
        const path = route.url.replace(/:(\w+)/g, (_match, name: string) =>
          encodeURIComponent(name === 'deviceId' ? foreign.id : name === 'stationId' ? stations.sragenKota.stationId : 'x'),
        );
        const answer = await district.app.inject({
          method: route.method as 'GET',
          url: `${path}?deviceId=${encodeURIComponent(foreign.id)}`,
          headers: staffHeaders(accounts.sragen, route.method),
          ...(route.method === 'GET'
            ? {}
            : { payload: JSON.stringify({ deviceId: foreign.id, toStationId: stations.sragenKota.stationId }) }),
        });
        assert.equal(answer.statusCode, 404, `${route.method} ${route.url}: ${answer.body}`);
        assert.ok(!answer.body.includes(foreign.id) && !answer.body.includes('Laweyan'), answer.body);
        walked++;
      }
      assert.ok(walked >= 25, `walked ${walked} routes`);
      assert.deepEqual(await devicesOf(SURAKARTA), soloBefore);
      assert.deepEqual(await district.db.query('SELECT id FROM loans WHERE device_id = $1', [foreign.id]), []);
      // Both ways: Sragen's own unit with the same serial is lent and comes back.
      const lent = await post('/api/dash/inventory/loans', accounts.sragen, {
        deviceId: own.id,
        toStationId: stations.sragenKota.stationId,
        startsOn: '2026-03-11',
        dueOn: '2026-03-18',
        reference: 'PP/SRG/1',
        purpose: 'pengganti sementara',
      });
      assert.equal(lent.statusCode, 200, lent.body);
      const loan = lent.json() as LoanView;
      assert.equal(loan.deviceId, own.id);
      const returned = await post(`/api/dash/inventory/loans/${loan.id}/return`, accounts.sragen, { returnedOn: '2026-03-12' });
      assert.equal(returned.statusCode, 200, returned.body);
      assert.equal((await devicesOf(SRAGEN)).find((row) => row.id === own.id)?.station_id, stations.tangen.stationId);
      // Surakarta cannot see Sragen's loan of the same serial either.
      const soloLoans = await get<LoanView[]>('/api/dash/inventory/loans', accounts.solo);
      assert.deepEqual(soloLoans, []);
    });

    it("another district's open fault on a cloned serial does not make this district's spare unusable", async () => {
      const cloneFault = (station: TestStation, faultId: string, serialNumber: string) =>
        station.fault(
          'fault.opened',
          faultId,
          { device: { key: `usb:080b:0010:${serialNumber}`, vendor: 'Cross Match', model: 'Guardian', serialNumber, transport: 'usb' } },
          clock.now,
        );
      await postEvents(district, stations.sragenKota, [heartbeat(stations.sragenKota, clock.now, HEALTHY)], clock.now);
      const spare = await post('/api/dash/inventory/spares', accounts.sragen, {
        serialNumber: 'SPARE-0',
        vendor: 'Cross Match',
        model: 'Guardian',
        role: 'fingerprint',
      });
      assert.equal(spare.statusCode, 200, spare.body);
      await postEvents(district, stations.solo, [cloneFault(stations.solo, 'fp-solo', 'SPARE-0')], clock.now);
      await postEvents(district, stations.sragenKota, [cloneFault(stations.sragenKota, 'fp-srg', 'GRD-9')], clock.now);
      const url = `/api/dash/faults/${stations.sragenKota.stationId}/fp-srg/loan-suggestions`;
      const suggestions = await get<LoanSuggestions>(url, accounts.sragen);
      const offered = suggestions.candidates.map((candidate) => candidate.device.serialNumber);
      assert.ok(offered.includes('SPARE-0'), `Sragen's working spare is offered: ${JSON.stringify(offered)}`);
      // Both ways: the same fault in Sragen itself (its own device) takes it out.
      await postEvents(district, stations.tangen, [cloneFault(stations.tangen, 'fp-tgn', 'SPARE-0')], clock.now);
      const again = await get<LoanSuggestions>(url, accounts.sragen);
      assert.ok(!again.candidates.some((candidate) => candidate.device.serialNumber === 'SPARE-0'), JSON.stringify(again.candidates));
    });

    it('migration 731 gives the devices of other districts made before it their district, and their loans follow', async () => {
      const db = district.db;
      const at = new Date(NOW).toISOString();
      // Rows as a database made before 731 held them.
      await db.run(
        `INSERT INTO devices (id, serial_number, device_key, vendor, model, role, station_id, status, first_seen_at, updated_at, note, district_code)
         VALUES ('sn:topaz:OLD1', 'OLD1', 'usb:06a8:0043:OLD1', 'Topaz', 'SigLite', 'signature', $1, 'installed', $2, $2, NULL, $3),
                ('sn:topaz:OLD2', 'OLD2', NULL, 'Topaz', 'SigLite', 'signature', NULL, 'spare', $2, $2, 'rak', 'default')`,
        [stations.solo.stationId, at, SURAKARTA],
      );
      await db.run(
        `INSERT INTO loans (id, device_id, from_station_id, to_station_id, starts_on, due_on, reference, purpose, created_by, created_at)
         VALUES ('pp-old', 'sn:topaz:OLD1', $1, $1, '2026-03-01', '2026-03-30', 'PP/OLD', 'lama', 'solo', $2)`,
        [stations.solo.stationId, at],
      );
      const before = await db.query('SELECT COUNT(*) AS n FROM devices');
      await db.run('DELETE FROM schema_migrations WHERE id = 731');
      assert.deepEqual(await migrate(db), [731]);
      assert.deepEqual(await migrate(db), [], 'applied once');
      assert.deepEqual(await db.query('SELECT COUNT(*) AS n FROM devices'), before);
      assert.deepEqual(
        (await db.query<{ id: string; district_code: string; note: string | null }>(
          "SELECT id, district_code, note FROM devices WHERE serial_number IN ('OLD1', 'OLD2') ORDER BY serial_number",
        )).map((row) => [row.id, row.district_code]),
        [
          [`d:${SURAKARTA}:sn:topaz:OLD1`, SURAKARTA],
          ['sn:topaz:OLD2', 'default'],
        ],
      );
      assert.deepEqual(await db.query("SELECT device_id FROM loans WHERE id = 'pp-old'"), [
        { device_id: `d:${SURAKARTA}:sn:topaz:OLD1` },
      ]);
      // Ids made since 731 were already their district's and stay as they are.
      assert.equal((await devicesOf(SURAKARTA)).filter((row) => row.id.startsWith(`d:${SURAKARTA}:d:`)).length, 0);
      // The station's next report finds the migrated row: one device, not two.
      await report(stations.solo, [{ role: 'signature', device: { ...SOLO_PAD, key: 'usb:06a8:0043:OLD1', serialNumber: 'OLD1' } }]);
      assert.equal((await devicesOf(SURAKARTA)).filter((row) => row.serial_number === 'OLD1').length, 1);
    });
  });
}
