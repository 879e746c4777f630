// A forwarding district's faults and devices are read-only at the province (docs/peering.md), on
// SQLite and PostgreSQL through the real routes: every dashboard write route of fastify's own
// table, given a forwarded station's fault or device, answers 409 `forwarded` in Indonesian and
// English, writes an audit row and changes nothing, for the province's, the nation's and the
// district's own account on the province's service alike; the same routes still act on the
// province's own stations; the forward keeps updating the copy; escalation here leaves forwarded
// faults to their own server. Hostile: forged and edited ids, a station re-enrolled directly, a
// peer row deleted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FaultDetail } from '../../../district/dash-api';
import { saveEscalationSettings } from '../../../district/server/escalation/district-settings';
import { EscalationConfigSchema } from '../../../district/server/escalation/config';
import { applyFaultAction } from '../../../district/server/faults/lifecycle';
import { addSpare, deviceIdOf } from '../../../district/server/inventory/devices';
import { createLoan } from '../../../district/server/inventory/loans';
import { createNotifier } from '../../../district/server/notify/notifier';
import { ForwardedRefusal } from '../../../district/server/peering/forwarded';
import { addPeer } from '../../../district/server/peering/peers';
import type { Event } from '../../../protocol/events';
import { forwardedStationId, PEER_PATHS } from '../../../protocol/peering';
import { HEALTHY, heartbeat, postEvents, staffHeaders } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { registeredRoutes, startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';
import { startSmtp } from '../../helpers/smtp';
import type { TestSmtp } from '../../helpers/smtp';
import { COUNTRY_NOW, seedCountry, SRAGEN } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const HOUR = 3_600_000;
const PEER_NAME = 'Kabupaten Sragen (server sendiri)';
const SRAGEN_MAIL = 'teknisi@sragen.example';
const clock = { now: COUNTRY_NOW };
let district: TestDistrict;
let country: Country;
let smtp: TestSmtp;
let postgres: TestPostgres | null = null;
const peer = new TestStation();
const downstream = new TestStation();
downstream.stationId = 'st-smb-1';
let forwardedId: string;
// Sragen's device ids carry the district (migration 731).
const forwardedDevice = deviceIdOf({ key: '', vendor: 'Cross Match', serialNumber: 'FWD1' }, '', SRAGEN);
const ownDevice = deviceIdOf({ key: '', vendor: 'Cross Match', serialNumber: 'OWN1' }, '', SRAGEN);
let ownSpare: string;

const scanner = (serialNumber: string) => ({
  key: `usb:080b:0010:${serialNumber}`,
  vendor: 'Cross Match',
  model: 'Guardian',
  serialNumber,
  transport: 'usb' as const,
});

async function forward(events: Event[]): Promise<void> {
  const body = JSON.stringify({
    stations: [{ id: downstream.stationId, name: 'Loket Sambungmacan', kecamatan: 'Sambungmacan' }],
    events: events.map((event) => ({ event, receivedAt: new Date(clock.now).toISOString(), source: 'http' })),
  });
  const response = await district.app.inject({
    method: 'POST',
    url: PEER_PATHS.events,
    headers: peer.headers('POST', PEER_PATHS.events, body, clock.now),
    payload: body,
  });
  assert.equal(response.statusCode, 200, response.body);
}

async function call(method: string, url: string, session: Login, body?: unknown) {
  return district.app.inject({
    method: method as 'GET',
    url,
    headers: staffHeaders(session, method),
    ...(method === 'GET' ? {} : { payload: JSON.stringify(body ?? {}) }),
  });
}

/** Everything a write on the forwarded station could change. */
async function forwardedState(): Promise<unknown> {
  const db = district.db;
  return {
    faults: await db.query('SELECT * FROM faults WHERE station_id = $1 ORDER BY fault_id', [forwardedId]),
    history: await db.query('SELECT * FROM fault_history WHERE station_id = $1 ORDER BY id', [forwardedId]),
    commands: await db.query('SELECT * FROM station_commands WHERE station_id = $1', [forwardedId]),
    devices: await db.query("SELECT * FROM devices WHERE station_id = $1 OR id = $2 ORDER BY id", [forwardedId, forwardedDevice]),
    loans: await db.query('SELECT * FROM loans WHERE to_station_id = $1 OR from_station_id = $1 OR device_id = $2', [forwardedId, forwardedDevice]),
    letters: await db.query('SELECT * FROM escalation_letters WHERE station_id = $1', [forwardedId]),
    notices: await db.query('SELECT * FROM escalation_notices WHERE station_id = $1', [forwardedId]),
  };
}

async function refusals(): Promise<{ username: string; target: string; district_code: string }[]> {
  return district.db.query(
    "SELECT username, target, district_code FROM audit_log WHERE action = 'forwarded.refused' ORDER BY at, id",
  );
}

/** The write routes of the dashboard (fastify's own table), with who may call them. */
function writeRoutes(): { method: string; url: string }[] {
  return registeredRoutes(district.app).filter((route) => {
    const access = district.app.dashboard.routes.find(
      (candidate) => candidate.method === route.method && candidate.url === route.url,
    )?.access;
    return !['GET', 'HEAD', 'OPTIONS'].includes(route.method) && access !== undefined && access !== 'public' && route.url !== '/api/dash/logout';
  });
}

function assertForwardedRefusal(response: { statusCode: number; body: string }, label: string): void {
  assert.equal(response.statusCode, 409, `${label}: ${response.body}`);
  const answer = JSON.parse(response.body) as { error: string; message: string };
  assert.equal(answer.error, 'forwarded', label);
  assert.match(answer.message, /memakai server Siaga sendiri; gangguan dan perangkatnya ditindaklanjuti di sana/);
  assert.match(answer.message, /its faults and devices are handled there, not here/);
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(dialect, () => {
    before(async () => {
      clock.now = COUNTRY_NOW;
      postgres = dialect === 'postgres' ? await startPostgres() : null;
      smtp = await startSmtp();
      district = await startTestDistrict({
        url: postgres?.url,
        now: () => clock.now,
        dashboard: {
          escalation: {
            config: EscalationConfigSchema.parse({
              rules: [{ id: 'unacknowledged-1h', condition: 'unacknowledged', afterHours: 1, notify: 'technicians' }],
              contacts: { technicians: { emails: [] } },
              digestHour: 23,
            }),
            notifier: createNotifier({ smtpUrl: smtp.url, from: 'Siaga <siaga@example.go.id>' }),
            timer: false,
          },
        },
      });
      country = await seedCountry(district, clock);
      const added = await addPeer(district.db, { districtName: PEER_NAME, district: SRAGEN, nowMs: clock.now });
      const enrolled = await district.app.inject({
        method: 'POST',
        url: PEER_PATHS.enroll,
        payload: { code: added.code, publicKey: peer.publicKeyBase64, appVersion: '0.1.0' },
      });
      assert.equal(enrolled.statusCode, 200, enrolled.body);
      peer.stationId = added.peerId;
      forwardedId = forwardedStationId(peer.stationId, downstream.stationId);
      await forward([
        downstream.event('inventory.changed', { added: [{ role: 'fingerprint', device: scanner('FWD1') }], removed: [] }, clock.now),
        heartbeat(downstream, clock.now, { ...HEALTHY, fingerprint: 'fault' }),
        downstream.fault('fault.opened', 'fp-fwd', { firstSeen: new Date(clock.now - 3 * HOUR).toISOString(), device: scanner('FWD1') }, clock.now),
      ]);
      const tangen = country.stations.tangen;
      await postEvents(
        district,
        tangen,
        [tangen.event('inventory.changed', { added: [{ role: 'fingerprint', device: scanner('OWN1') }], removed: [] }, clock.now)],
        clock.now,
      );
      ownSpare = await addSpare(district.db, { serialNumber: 'SN-SRG-1', vendor: 'IriTech', model: 'IriShield', role: 'iris', note: '', nowMs: clock.now, district: SRAGEN });
      await saveEscalationSettings(
        district.db,
        SRAGEN,
        {
          rules: [{ id: 'srg-unacknowledged', condition: 'unacknowledged', afterHours: 1, minSeverity: 'minor', notify: 'teknisi' }],
          contacts: { teknisi: { emails: [SRAGEN_MAIL], webhooks: [] } },
        },
        { username: 'sragen-admin', nowMs: clock.now },
      );
    });

    after(async () => {
      await district?.close();
      await smtp?.stop();
      await postgres?.stop();
    });

    test("the forwarded fault's page says where it is handled; the province's own says nothing of it", async () => {
      const forwarded = JSON.parse((await call('GET', `/api/dash/faults/${forwardedId}/fp-fwd`, country.accounts.province)).body) as FaultDetail;
      assert.equal(forwarded.forwardedFrom, PEER_NAME);
      assert.equal(forwarded.state, 'open');
      const own = JSON.parse((await call('GET', `/api/dash/faults/${country.stations.tangen.stationId}/fp-srg`, country.accounts.province)).body) as FaultDetail;
      assert.equal(own.forwardedFrom, null);
      // Reads stay open: the devices list shows the forwarded scanner where it is.
      const devices = await call('GET', `/api/dash/inventory/devices?district=${SRAGEN}`, country.accounts.province);
      assert.ok(devices.body.includes('FWD1'));
    });

    test('escalation here leaves forwarded faults to their own server: the district is not mailed about them', async () => {
      const result = await district.app.dashboard.escalation!.runNow();
      assert.equal(result.failed, 0);
      const notices = await district.db.query<{ station_id: string }>('SELECT station_id FROM escalation_notices ORDER BY station_id');
      // Tangen's own fault (2 h, unacknowledged) escalates; the forwarded one (3 h, never acknowledged here) does not.
      assert.deepEqual(
        notices.map((notice) => notice.station_id).filter((id) => id !== country.stations.denpasar.stationId),
        [country.stations.tangen.stationId],
      );
      await smtp.waitFor(2);
      const mails = smtp.mails.filter((mail) => mail.to.includes(SRAGEN_MAIL));
      assert.equal(mails.length, 1);
      assert.match(mails[0].text, /Tangen/);
      assert.doesNotMatch(mails[0].text, /Sambungmacan/);
    });

    test('every dashboard write route refuses a forwarded fault or device (409, audited) and changes nothing, for every account', async () => {
      const routes = writeRoutes();
      assert.ok(routes.length >= 15, `only ${routes.length} write routes`);
      const before = await forwardedState();
      const auditBefore = (await refusals()).length;
      const ids: Record<string, string> = { stationId: forwardedId, faultId: 'fp-fwd', loanId: 'x', letterId: 'x' };
      // Each body names one forwarded thing: the station, the device, or the station as a loan's destination.
      const bodies = [
        { type: 'acknowledge', stationId: forwardedId, faultId: 'fp-fwd', recipient: 'province' },
        { deviceId: forwardedDevice, toStationId: country.stations.sragenKota.stationId, startsOn: '2026-03-11', dueOn: '2026-03-20', reference: 'PP/1', purpose: 'uji' },
        { deviceId: ownSpare, toStationId: forwardedId, startsOn: '2026-03-11', dueOn: '2026-03-20', reference: 'PP/1', purpose: 'uji' },
      ];
      let refused = 0;
      for (const session of [country.accounts.province, country.accounts.sragen, country.accounts.national]) {
        for (const route of routes) {
          const label = `${route.method} ${route.url}`;
          const usesIds = /:(stationId|faultId)/.test(route.url);
          const path = route.url.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(ids[name] ?? 'x'));
          const query = `?district=${SRAGEN}`;
          if (usesIds) {
            assertForwardedRefusal(await call(route.method, path + query, session, {}), `${label} (path)`);
            refused++;
          }
          for (const body of bodies) {
            assertForwardedRefusal(await call(route.method, path + query, session, body), `${label} ${JSON.stringify(body).slice(0, 60)}`);
            refused++;
          }
        }
      }
      // A name in the query string counts as well.
      assertForwardedRefusal(await call('POST', `/api/dash/escalation-letters?stationId=${forwardedId}`, country.accounts.province, {}), 'query');
      refused++;
      assert.deepEqual(await forwardedState(), before, 'a refused write changed the forwarded station');
      const rows = (await refusals()).slice(auditBefore);
      assert.equal(rows.length, refused);
      assert.ok(rows.every((row) => row.district_code === SRAGEN));
      assert.deepEqual([...new Set(rows.map((row) => row.username))].sort(), ['jateng', 'pusat', 'sragen-admin']);
      assert.deepEqual([...new Set(rows.map((row) => row.target))].sort(), [forwardedId, forwardedDevice].sort());
      // Sragen's admin reads them in the district's audit log.
      const audit = await call('GET', '/api/dash/audit?limit=5', country.accounts.sragen);
      assert.ok(audit.body.includes('forwarded.refused'), audit.body.slice(0, 300));
    });

    test("the fault actions, loans and letters still work on the province's own stations (no route answers forwarded)", async () => {
      const own = country.stations.tangen.stationId;
      const ids: Record<string, string> = { stationId: own, faultId: 'fp-srg', loanId: 'x', letterId: 'x' };
      const body = { type: 'acknowledge', stationId: own, faultId: 'fp-srg', deviceId: ownDevice, toStationId: country.stations.sragenKota.stationId };
      for (const route of writeRoutes()) {
        const path = route.url.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(ids[name] ?? 'x'));
        const response = await call(route.method, `${path}?district=${SRAGEN}`, country.accounts.province, body);
        assert.ok(!response.body.includes('"forwarded"'), `${route.method} ${route.url}: ${response.body}`);
      }
      // The walk acknowledged Tangen's fault; the rest of the lifecycle goes on.
      const repair = await call('POST', `/api/dash/faults/${own}/fp-srg/actions`, country.accounts.province, { type: 'repair', assignee: 'Budi', note: '' });
      assert.equal(repair.statusCode, 200, repair.body);
      assert.equal((JSON.parse(repair.body) as FaultDetail).state, 'in-repair');
      const loan = await call('POST', '/api/dash/inventory/loans', country.accounts.sragen, {
        deviceId: ownSpare,
        toStationId: country.stations.sragenKota.stationId,
        startsOn: '2026-03-11',
        dueOn: '2026-03-20',
        reference: 'PP/SRG/1',
        purpose: 'pinjam',
      });
      assert.equal(loan.statusCode, 200, loan.body);
    });

    test('a loan made here before the rule can still be returned (the only write left on a forwarded station)', async () => {
      const spare = await addSpare(district.db, { serialNumber: 'SN-SRG-2', vendor: 'IriTech', model: 'IriShield', role: 'iris', note: '', nowMs: clock.now, district: SRAGEN });
      const loanId = await createLoan(district.db, {
        deviceId: spare,
        toStationId: forwardedId,
        startsOn: '2026-03-10',
        dueOn: '2026-03-20',
        reference: 'PP/LAMA/1',
        purpose: 'dibuat sebelum aturan',
        createdBy: 'jateng',
        nowMs: clock.now,
      });
      const returned = await call('POST', `/api/dash/inventory/loans/${loanId}/return`, country.accounts.province, { returnedOn: '2026-03-11' });
      assert.equal(returned.statusCode, 200, returned.body);
      assert.deepEqual(await district.db.query('SELECT station_id, status FROM devices WHERE id = $1', [spare]), [{ station_id: null, status: 'spare' }]);
    });

    test('forged and edited ids: an unknown fault of a forwarded station is refused, a forwarded fault id under an own station is unknown', async () => {
      const own = country.stations.tangen.stationId;
      assertForwardedRefusal(await call('POST', `/api/dash/faults/${forwardedId}/tidak-ada/actions`, country.accounts.province, { type: 'acknowledge' }), 'unknown fault');
      const moved = await call('POST', `/api/dash/faults/${own}/fp-fwd/actions`, country.accounts.province, { type: 'acknowledge' });
      assert.equal(moved.statusCode, 404, moved.body);
      for (const edited of [forwardedId.toUpperCase(), `${forwardedId} `, `${forwardedId}x`, forwardedId.replace('_', '%5F')]) {
        const response = await call('POST', `/api/dash/faults/${encodeURIComponent(edited)}/fp-fwd/actions`, country.accounts.province, { type: 'acknowledge' });
        assert.ok([404, 409].includes(response.statusCode), `${edited}: ${response.body}`);
        if (response.statusCode === 409) {
          assertForwardedRefusal(response, edited);
        }
      }
      // A forwarded id in a list of ids, a number, or an object is not an id: refused by the schema, nothing written.
      const before = await forwardedState();
      for (const toStationId of [[forwardedId], { id: forwardedId }]) {
        const response = await call('POST', '/api/dash/inventory/loans', country.accounts.province, { deviceId: ownDevice, toStationId, startsOn: '2026-03-11', dueOn: '2026-03-20', reference: 'R', purpose: 'P' });
        assert.equal(response.statusCode, 400, response.body);
      }
      assert.deepEqual(await forwardedState(), before);
      // The lifecycle refuses on its own too (a caller other than the dashboard).
      await assert.rejects(
        applyFaultAction(district.db, { stationId: forwardedId, faultId: 'fp-fwd', action: { type: 'acknowledge' }, username: 'cli', nowMs: clock.now }),
        ForwardedRefusal,
      );
    });

    test('the forward keeps updating the copy after refusals; a station re-enrolled directly is the province\'s own', async () => {
      clock.now += HOUR;
      await forward([downstream.fault('fault.resolved', 'fp-fwd', { device: scanner('FWD1') }, clock.now)]);
      const copy = JSON.parse((await call('GET', `/api/dash/faults/${forwardedId}/fp-fwd`, country.accounts.province)).body) as FaultDetail;
      assert.equal(copy.state, 'resolved');
      assertForwardedRefusal(await call('POST', `/api/dash/faults/${forwardedId}/fp-fwd/actions`, country.accounts.province, { type: 'close', note: '' }), 'close');

      // The district gives up its server: the station is enrolled here directly, a new row of the province's own.
      const direct = new TestStation();
      await direct.enroll(district, 'Loket Sambungmacan', 'Sambungmacan', SRAGEN);
      await postEvents(district, direct, [direct.fault('fault.opened', 'fp-fwd', { device: scanner('FWD1') }, clock.now)], clock.now);
      const acknowledged = await call('POST', `/api/dash/faults/${direct.stationId}/fp-fwd/actions`, country.accounts.province, { type: 'acknowledge' });
      assert.equal(acknowledged.statusCode, 200, acknowledged.body);
      assert.equal((JSON.parse(acknowledged.body) as FaultDetail).forwardedFrom, null);
      // Its scanner now reports from the direct station: the device is the province's own to lend.
      await postEvents(district, direct, [direct.event('inventory.changed', { added: [{ role: 'fingerprint', device: scanner('FWD1') }], removed: [] }, clock.now)], clock.now);
      const lent = await call('POST', '/api/dash/inventory/loans', country.accounts.province, {
        deviceId: forwardedDevice,
        toStationId: country.stations.sragenKota.stationId,
        startsOn: '2026-03-11',
        dueOn: '2026-03-20',
        reference: 'PP/SRG/2',
        purpose: 'pinjam',
      });
      assert.equal(lent.statusCode, 200, lent.body);
      // The old forwarded row stays a read-only copy.
      assertForwardedRefusal(await call('POST', `/api/dash/faults/${forwardedId}/fp-fwd/actions`, country.accounts.province, { type: 'reopen', note: '' }), 'old copy');
    });

    test('a peer row deleted: its stations stay read-only copies, named by the peer id', async () => {
      await district.db.run('DELETE FROM peer_codes WHERE peer_id = $1', [peer.stationId]);
      await district.db.run('DELETE FROM peers WHERE id = $1', [peer.stationId]);
      const response = await call('POST', `/api/dash/faults/${forwardedId}/fp-fwd/actions`, country.accounts.province, { type: 'reopen', note: '' });
      assertForwardedRefusal(response, 'peer deleted');
      assert.match(response.body, new RegExp(peer.stationId));
      const copy = JSON.parse((await call('GET', `/api/dash/faults/${forwardedId}/fp-fwd`, country.accounts.province)).body) as FaultDetail;
      assert.equal(copy.forwardedFrom, peer.stationId);
    });
  });
}
