// Hostile cases of the read-only forwarded districts (docs/peering.md, "Staff actions on forwarded
// stations"), against a real SQLite service whose peer forwards into the province's own default
// district (so forwarded and own stations share kecamatan, spares and the device id space): ids
// spelled in another case, with whitespace or percent-encoding; a forwarded device as the loaned
// device, a forwarded station as the loan's target, a spare with a forwarded device's serial;
// ids hidden in nested objects; the loan suggestions of the province's own fault; a new
// enrollment code for a forwarded station; the peer's row removed and the district added again;
// and the downstream resolving a fault the province was refused.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FaultDetail, LoanSuggestions } from '../../../district/dash-api';
import { setServiceWeek } from '../../../district/server/calendar/store';
import { newStationId } from '../../../district/server/db/ids';
import { addSpare, deviceIdOf } from '../../../district/server/inventory/devices';
import { addPeer } from '../../../district/server/peering/peers';
import { DEFAULT_DISTRICT } from '../../../district/server/tenancy/scope';
import { forwardedStationId, PEER_PATHS } from '../../../protocol/peering';
import { PATHS } from '../../../protocol/requests';
import type { Event } from '../../../protocol/events';
import { addStaff, ALL_WEEK, HEALTHY, heartbeat, login, postEvents, STAFF, staffHeaders } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { runDistrictCommand } from '../../helpers/district-cli';

const NOW = Date.parse('2026-03-11T05:00:00.000Z');
const HOUR = 3_600_000;
const clock = { now: NOW };
let district: TestDistrict;
let technician: Login;
let admin: Login;

interface Peer {
  key: TestStation;
  peerId: string;
}

/** Enrolls a downstream district server here (the service's only district: the default one). */
async function enrolledPeer(name: string): Promise<Peer> {
  const peer = await addPeer(district.db, { districtName: name, nowMs: clock.now });
  assert.equal(peer.districtCode, DEFAULT_DISTRICT);
  const key = new TestStation();
  const response = await district.app.inject({
    method: 'POST',
    url: PEER_PATHS.enroll,
    payload: { code: peer.code, publicKey: key.publicKeyBase64, appVersion: '0.1.0' },
  });
  assert.equal(response.statusCode, 200, response.body);
  return { key, peerId: peer.peerId };
}

/** A signed forward by `peer` of `events`, each of a downstream station named in `stations`. */
async function forward(
  peer: Peer,
  stations: { station: TestStation; name: string; kecamatan: string }[],
  events: Event[],
): Promise<void> {
  const body = JSON.stringify({
    stations: stations.map(({ station, name, kecamatan }) => ({ id: station.stationId, name, kecamatan })),
    events: events.map((event) => ({ event, receivedAt: new Date(clock.now).toISOString(), source: 'http' })),
  });
  const response = await district.app.inject({
    method: 'POST',
    url: PEER_PATHS.events,
    payload: body,
    headers: peer.key.headers('POST', PEER_PATHS.events, body, clock.now, peer.peerId),
  });
  assert.equal(response.statusCode, 200, response.body);
}

function downstreamStation(): TestStation {
  const station = new TestStation();
  station.stationId = newStationId(clock.now);
  return station;
}

const inventory = (station: TestStation, serialNumber: string): Event =>
  station.event(
    'inventory.reported',
    {
      devices: [
        {
          role: 'fingerprint',
          device: { key: `usb:080b:0010:${serialNumber}`, vendor: 'Cross Match', serialNumber, transport: 'usb' },
        },
      ],
    },
    clock.now,
  );

function post(url: string, body: unknown, session = technician) {
  return district.app.inject({
    method: 'POST',
    url,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: staffHeaders(session, 'POST'),
  });
}

async function faultOf(stationId: string, faultId: string): Promise<FaultDetail> {
  const response = await district.app.inject({
    method: 'GET',
    url: `/api/dash/faults/${encodeURIComponent(stationId)}/${encodeURIComponent(faultId)}`,
    headers: staffHeaders(technician),
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as FaultDetail;
}

async function deviceRow(id: string): Promise<{ station_id: string | null; status: string } | undefined> {
  const [row] = await district.db.query<{ station_id: string | null; status: string }>(
    'SELECT station_id, status FROM devices WHERE id = $1',
    [id],
  );
  return row;
}

const count = async (sql: string, params: unknown[] = []): Promise<number> =>
  Number((await district.db.query<{ n: number | string }>(sql, params as string[]))[0].n);

describe('forwarded districts are read-only at the province, hostile (peer in the default district)', () => {
  const own = { broken: new TestStation(), tangen: new TestStation() };
  const downstream = { tangen1: downstreamStation(), tangen2: downstreamStation() };
  let peer: Peer;
  let forwarded: { tangen1: string; tangen2: string };
  let forwardedDevice: string;
  let ownTangenDevice: string;
  let spare: string;
  const stationsOfForward = () => [
    { station: downstream.tangen1, name: 'Loket Tangen (Sragen)', kecamatan: 'Tangen' },
    { station: downstream.tangen2, name: 'Loket Tangen 2 (Sragen)', kecamatan: 'Tangen' },
  ];

  before(async () => {
    district = await startTestDistrict({ now: () => clock.now, dashboard: { districtName: 'Siaga Provinsi' } });
    await addStaff(district.db);
    await setServiceWeek(district.db, { kecamatan: null, week: ALL_WEEK, nowMs: clock.now });
    clock.now = NOW - HOUR;
    await own.broken.enroll(district, 'Loket Sragen Kota', 'Sragen Kota');
    await own.tangen.enroll(district, 'Loket Tangen Provinsi', 'Tangen');
    peer = await enrolledPeer('Kabupaten Sragen');
    forwarded = {
      tangen1: forwardedStationId(peer.peerId, downstream.tangen1.stationId),
      tangen2: forwardedStationId(peer.peerId, downstream.tangen2.stationId),
    };
    clock.now = NOW;
    await postEvents(
      district,
      own.broken,
      [
        heartbeat(own.broken, NOW, { ...HEALTHY, fingerprint: 'fault' }),
        own.broken.fault('fault.opened', 'fp-own', {}, NOW),
      ],
      NOW,
    );
    await postEvents(district, own.tangen, [heartbeat(own.tangen, NOW, HEALTHY), inventory(own.tangen, 'OWN-TG')], NOW);
    await forward(peer, stationsOfForward(), [
      heartbeat(downstream.tangen1, NOW, HEALTHY),
      downstream.tangen1.fault(
        'fault.opened',
        'fp-fwd',
        { role: 'camera', device: { key: 'camera:0', serialNumber: 'CAM-FWD', vendor: 'Logitech' } },
        NOW,
      ),
      heartbeat(downstream.tangen2, NOW, HEALTHY),
      inventory(downstream.tangen2, 'FWD-TG'),
    ]);
    forwardedDevice = deviceIdOf({ key: 'x', serialNumber: 'FWD-TG', vendor: 'Cross Match' }, '', DEFAULT_DISTRICT);
    ownTangenDevice = deviceIdOf({ key: 'x', serialNumber: 'OWN-TG', vendor: 'Cross Match' }, '', DEFAULT_DISTRICT);
    assert.equal((await deviceRow(forwardedDevice))?.station_id, forwarded.tangen2);
    assert.equal((await deviceRow(ownTangenDevice))?.station_id, own.tangen.stationId);
    spare = await addSpare(district.db, {
      serialNumber: 'SPARE-1',
      vendor: 'Cross Match',
      model: 'Guardian',
      role: 'fingerprint',
      note: '',
      nowMs: NOW,
    });
    technician = await login(district.app, STAFF.technician);
    admin = await login(district.app, STAFF.admin);
  });

  after(async () => {
    await district.close();
  });

  test("the loan suggestions for the province's own fault never offer a device installed at a forwarded station", async () => {
    const response = await district.app.inject({
      method: 'GET',
      url: `/api/dash/faults/${own.broken.stationId}/fp-own/loan-suggestions`,
      headers: staffHeaders(technician),
    });
    assert.equal(response.statusCode, 200, response.body);
    const offered = (response.json() as LoanSuggestions).candidates.map((candidate) => candidate.device.id);
    // Both ways: the province's own spare and its own idle device are offered, the forwarded one is not.
    assert.ok(offered.includes(spare), JSON.stringify(offered));
    assert.ok(offered.includes(ownTangenDevice), JSON.stringify(offered));
    assert.ok(!offered.includes(forwardedDevice), JSON.stringify(offered));
  });

  test('accepting the forwarded device for the own fault anyway is refused 409 forwarded and lends nothing', async () => {
    const response = await post(`/api/dash/faults/${own.broken.stationId}/fp-own/loan-suggestions/accept`, {
      deviceId: forwardedDevice,
      dueOn: '2026-03-20',
      reference: 'PP/1',
      purpose: 'uji',
    });
    assert.equal(response.statusCode, 409, response.body);
    assert.equal((response.json() as { error: string }).error, 'forwarded');
    assert.equal(await count('SELECT COUNT(*) AS n FROM loans'), 0);
    assert.equal((await deviceRow(forwardedDevice))?.station_id, forwarded.tangen2);
  });

  test('a fault action on a forwarded fault spelled otherwise never lands (case, whitespace, percent-encoding)', async () => {
    const id = forwarded.tangen1;
    const encodedAll = [...id].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
    const spellings = [
      encodeURIComponent(id),
      encodedAll,
      encodeURIComponent(id.toUpperCase()),
      encodeURIComponent(` ${id}`),
      encodeURIComponent(`${id} `),
      encodeURIComponent(`${id}\t`),
      encodeURIComponent(encodedAll),
    ];
    for (const spelled of spellings) {
      for (const body of [{ type: 'acknowledge' }, { type: 'verify' }, { type: 'repair', assignee: 'budi', note: '' }]) {
        const response = await post(`/api/dash/faults/${spelled}/fp-fwd/actions`, body, admin);
        // 404 unknown, 409 forwarded, 400 an id too long for a station id once decoded once more.
        assert.ok([400, 404, 409].includes(response.statusCode), `${spelled} ${body.type}: ${response.statusCode} ${response.body}`);
      }
    }
    const detail = await faultOf(id, 'fp-fwd');
    assert.equal(detail.state, 'open');
    assert.equal(detail.acknowledgedBy, null);
    assert.equal(detail.assignee, null);
    assert.equal(detail.forwardedFrom, 'Kabupaten Sragen');
    assert.equal(await count('SELECT COUNT(*) AS n FROM station_commands'), 0);
    // The exact spellings that reached the guard were audited; the others were unknown ids (404).
    assert.equal(
      await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'forwarded.refused' AND target = $1", [id]),
      6,
    );
  });

  test('loans: a forwarded device lent to an own station, an own spare lent to a forwarded station, ids hidden in nested fields', async () => {
    const loan = { startsOn: '2026-03-11', dueOn: '2026-03-20', reference: 'PP/2', purpose: 'uji' };
    const cases: { body: unknown; status: number; error?: string }[] = [
      { body: { ...loan, deviceId: forwardedDevice, toStationId: own.broken.stationId }, status: 409, error: 'forwarded' },
      { body: { ...loan, deviceId: spare, toStationId: forwarded.tangen2 }, status: 409, error: 'forwarded' },
      { body: { ...loan, deviceId: forwardedDevice, toStationId: forwarded.tangen1 }, status: 409, error: 'forwarded' },
      { body: { ...loan, deviceId: forwardedDevice.toUpperCase(), toStationId: own.broken.stationId }, status: 409 },
      { body: { ...loan, deviceId: ` ${forwardedDevice}`, toStationId: own.broken.stationId }, status: 409 },
      { body: { ...loan, deviceId: spare, toStationId: forwarded.tangen2.toUpperCase() }, status: 409 },
      // Nested or repeated ids: the strict schema refuses the whole body.
      { body: { ...loan, deviceId: spare, toStationId: own.broken.stationId, extra: { toStationId: forwarded.tangen2 } }, status: 400 },
      { body: [{ ...loan, deviceId: forwardedDevice, toStationId: own.broken.stationId }], status: 400 },
      { body: { ...loan, deviceId: [forwardedDevice], toStationId: own.broken.stationId }, status: 400 },
      { body: { ...loan, deviceId: spare, toStationId: { id: forwarded.tangen2 } }, status: 400 },
    ];
    for (const { body, status, error } of cases) {
      const response = await post('/api/dash/inventory/loans', body);
      assert.equal(response.statusCode, status, `${JSON.stringify(body)}: ${response.body}`);
      if (error !== undefined) {
        assert.equal((response.json() as { error: string }).error, error);
        assert.match((response.json() as { message: string }).message, /^Kabupaten Sragen memakai server Siaga sendiri.*\(.*forwarded/);
      }
    }
    assert.equal(await count('SELECT COUNT(*) AS n FROM loans'), 0);
    assert.equal((await deviceRow(forwardedDevice))?.station_id, forwarded.tangen2);
    assert.equal((await deviceRow(spare))?.status, 'spare');
  });

  test("a spare entered with a forwarded device's serial number (any vendor case) does not move it", async () => {
    for (const vendor of ['Cross Match', 'CROSS MATCH', ' cross match ']) {
      const response = await post('/api/dash/inventory/spares', {
        serialNumber: ' FWD-TG ',
        vendor,
        model: 'Guardian',
        role: 'fingerprint',
      });
      assert.equal(response.statusCode, 409, response.body);
    }
    assert.deepEqual(await deviceRow(forwardedDevice), { station_id: forwarded.tangen2, status: 'installed' });
  });

  test('letters: a forwarded fault named by the body is refused; its fault id under an own station writes nothing', async () => {
    const letter = { faultId: 'fp-fwd', recipient: 'province' };
    const refused = await post('/api/dash/escalation-letters', { ...letter, stationId: forwarded.tangen1 });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal((refused.json() as { error: string }).error, 'forwarded');
    const elsewhere = await post('/api/dash/escalation-letters', { ...letter, stationId: own.broken.stationId });
    assert.notEqual(elsewhere.statusCode, 200, elsewhere.body);
    assert.equal(await count('SELECT COUNT(*) AS n FROM escalation_letters'), 0);
  });

  test('a new enrollment code for a forwarded station is refused (a device enrolled on it would feed its faults here)', async () => {
    const codes = await count('SELECT COUNT(*) AS n FROM enrollment_codes');
    const result = await runDistrictCommand(['station', 'code', forwarded.tangen1, '--data-dir', district.dir]);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /Kabupaten Sragen memakai server Siaga sendiri.*forwarded/);
    assert.equal(await count('SELECT COUNT(*) AS n FROM enrollment_codes'), codes);
    // Both ways: an own station still gets its code.
    const ownCode = await runDistrictCommand(['station', 'code', own.broken.stationId, '--data-dir', district.dir]);
    assert.equal(ownCode.code, 0, ownCode.stderr);
    assert.equal(await count('SELECT COUNT(*) AS n FROM enrollment_codes'), codes + 1);
  });

  test('the downstream resolving the fault after the province was refused updates the copy, which stays read-only', async () => {
    const refused = await post(`/api/dash/faults/${forwarded.tangen1}/fp-fwd/actions`, { type: 'acknowledge' });
    assert.equal(refused.statusCode, 409, refused.body);
    clock.now = NOW + 10 * 60_000;
    await forward(peer, stationsOfForward(), [
      downstream.tangen1.fault(
        'fault.resolved',
        'fp-fwd',
        { role: 'camera', device: { key: 'camera:0', serialNumber: 'CAM-FWD', vendor: 'Logitech' } },
        clock.now,
      ),
    ]);
    const detail = await faultOf(forwarded.tangen1, 'fp-fwd');
    assert.equal(detail.state, 'resolved');
    for (const type of ['close', 'reopen']) {
      const response = await post(`/api/dash/faults/${forwarded.tangen1}/fp-fwd/actions`, { type, note: '' });
      assert.equal(response.statusCode, 409, response.body);
    }
    assert.equal((await faultOf(forwarded.tangen1, 'fp-fwd')).state, 'resolved');
  });

  test('the peer removed and the district added again: the old copy and the new one are both read-only', async () => {
    await district.db.run('DELETE FROM peer_codes WHERE peer_id = $1', [peer.peerId]);
    await district.db.run('DELETE FROM peers WHERE id = $1', [peer.peerId]);
    const orphan = await post(`/api/dash/faults/${forwarded.tangen1}/fp-fwd/actions`, { type: 'close', note: '' });
    assert.equal(orphan.statusCode, 409, orphan.body);
    assert.match((orphan.json() as { message: string }).message, new RegExp(`^${peer.peerId} memakai server Siaga sendiri`));
    const again = await enrolledPeer('Kabupaten Sragen');
    await forward(again, stationsOfForward(), [
      downstream.tangen1.fault(
        'fault.opened',
        'fp-fwd-2',
        { role: 'camera', device: { key: 'camera:0', serialNumber: 'CAM-FWD', vendor: 'Logitech' } },
        clock.now,
      ),
    ]);
    const renewed = forwardedStationId(again.peerId, downstream.tangen1.stationId);
    const response = await post(`/api/dash/faults/${renewed}/fp-fwd-2/actions`, { type: 'acknowledge' });
    assert.equal(response.statusCode, 409, response.body);
    assert.equal((await faultOf(renewed, 'fp-fwd-2')).acknowledgedBy, null);
    assert.equal((await faultOf(forwarded.tangen1, 'fp-fwd')).state, 'resolved');
  });

  test('an own station posting events in the name of a forwarded station is refused (no key here)', async () => {
    const impostor = new TestStation();
    impostor.stationId = forwarded.tangen2;
    const body = JSON.stringify({ events: [impostor.fault('fault.opened', 'fp-fake', {}, clock.now)] });
    const response = await district.app.inject({
      method: 'POST',
      url: PATHS.events,
      payload: body,
      headers: impostor.headers('POST', PATHS.events, body, clock.now),
    });
    assert.notEqual(response.statusCode, 200, response.body);
    assert.equal(await count("SELECT COUNT(*) AS n FROM faults WHERE fault_id = 'fp-fake'"), 0);
  });
});
