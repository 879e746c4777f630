// Peers tied to districts, on SQLite through the real intake routes: `peer add` needs a district on
// a service of several; a district server forwarding as a peer lands its stations, faults and
// heartbeats in its district (seen by that district's account and the province and national views
// above it, never by another district); a forged forward or one aimed at a station of another
// district is refused and logged and writes nothing; peers enrolled before districts keep working
// in the default district.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Board, FaultView, Rollup } from '../../../district/dash-api';
import { migrate, MIGRATIONS } from '../../../district/server/db/migrations';
import { openSqlite } from '../../../district/server/db/sqlite';
import { DistrictError } from '../../../district/server/errors';
import { addPeer, findEnrolledPeer, storeForwarded } from '../../../district/server/peering/peers';
import { forwardedStationId, PEER_PATHS } from '../../../protocol/peering';
import type { ForwardRequest } from '../../../protocol/peering';
import { HEALTHY, heartbeat, staffHeaders } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const clock = { now: COUNTRY_NOW };
let district: TestDistrict;
let country: Country;
/** The Sragen district server's key as a peer (its `stationId` is its peer id), and one of its stations. */
const sragenPeer = new TestStation();
const denpasarPeer = new TestStation();
const downstream = new TestStation();

before(async () => {
  district = await startTestDistrict({ now: () => clock.now });
  country = await seedCountry(district, clock);
  downstream.stationId = 'st-smb-1';
});
after(async () => district?.close());

async function enrollPeer(peer: TestStation, districtCode: string, name: string): Promise<void> {
  const added = await addPeer(district.db, { districtName: name, district: districtCode, nowMs: clock.now });
  assert.equal(added.districtCode, districtCode);
  const response = await district.app.inject({
    method: 'POST',
    url: PEER_PATHS.enroll,
    payload: { code: added.code, publicKey: peer.publicKeyBase64, appVersion: '0.1.0' },
  });
  assert.equal(response.statusCode, 200, response.body);
  peer.stationId = added.peerId;
}

function forwardOf(station: TestStation, events: ReturnType<TestStation['heartbeat']>[], kecamatan = 'Sambungmacan'): ForwardRequest {
  return {
    stations: [{ id: station.stationId, name: 'Loket Sambungmacan', kecamatan }],
    events: events.map((event) => ({ event, receivedAt: new Date(clock.now).toISOString(), source: 'http' as const })),
  };
}

/** Posts a forward signed by `signer` under `claimedPeerId` (its own id unless forged). */
async function forward(signer: TestStation, request: ForwardRequest, claimedPeerId = signer.stationId) {
  const body = JSON.stringify(request);
  return district.app.inject({
    method: 'POST',
    url: PEER_PATHS.events,
    headers: signer.headers('POST', PEER_PATHS.events, body, clock.now, claimedPeerId),
    payload: body,
  });
}

async function get<T>(url: string, session: Login, status = 200): Promise<T> {
  const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
  assert.equal(response.statusCode, status, `${url}: ${response.body}`);
  return response.json() as T;
}

async function rejected(peerId: string): Promise<string[]> {
  await district.app.district.rejections.flush();
  const rows = await district.db.query<{ reason: string }>(
    'SELECT reason FROM rejected_requests WHERE station_id = $1 AND path = $2 ORDER BY at, reason',
    [peerId, PEER_PATHS.events],
  );
  return rows.map((row) => row.reason);
}

test('peer add on a service of several districts needs --district, a district that exists', async () => {
  await assert.rejects(addPeer(district.db, { districtName: 'Kabupaten Sragen' }), (error: unknown) => {
    assert.ok(error instanceof DistrictError);
    assert.equal(error.code, 'district-required');
    assert.match(error.message, /pilih dengan --district KODE \(this service has several districts: choose one with --district CODE\)/);
    return true;
  });
  await assert.rejects(addPeer(district.db, { districtName: 'Kabupaten Sragen', district: '99.99' }), (error: unknown) => {
    assert.ok(error instanceof DistrictError);
    assert.equal(error.status, 404);
    assert.match(error.message, /tidak ada di layanan ini \(no district 99\.99/);
    return true;
  });
  const [peers] = await district.db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM peers');
  assert.equal(Number(peers.n), 0, 'a refused peer add leaves no peer behind');
});

test("a forwarded station, its fault and heartbeats land in the peer's district and its views only", async () => {
  await enrollPeer(sragenPeer, SRAGEN, 'Kabupaten Sragen (server sendiri)');
  const beat = heartbeat(downstream, clock.now, HEALTHY);
  const fault = downstream.fault('fault.opened', 'fp-fwd', { firstSeen: new Date(clock.now - 3_600_000).toISOString() }, clock.now);
  const response = await forward(sragenPeer, forwardOf(downstream, [beat, fault]));
  assert.equal(response.statusCode, 200, response.body);
  assert.equal((response.json() as { accepted: unknown[] }).accepted.length, 2);
  const stationId = forwardedStationId(sragenPeer.stationId, downstream.stationId);
  assert.deepEqual(await district.db.query('SELECT district_code, peer_id FROM stations WHERE id = $1', [stationId]), [
    { district_code: SRAGEN, peer_id: sragenPeer.stationId },
  ]);

  const board = await get<Board>('/api/dash/board', country.accounts.sragen);
  const sambungmacan = board.kecamatan.find((kecamatan) => kecamatan.name === 'Sambungmacan');
  assert.equal(sambungmacan?.state, 'can-record', JSON.stringify(sambungmacan));
  const sragenFaults = await get<FaultView[]>('/api/dash/faults', country.accounts.sragen);
  assert.ok(sragenFaults.some((item) => item.faultId === 'fp-fwd'));
  await get(`/api/dash/faults/${stationId}/fp-fwd`, country.accounts.sragen);
  // Denpasar's account: nowhere.
  const denpasarBoard = await district.app.inject({ method: 'GET', url: '/api/dash/board', headers: staffHeaders(country.accounts.denpasar) });
  assert.ok(!denpasarBoard.body.includes('Sambungmacan') && !denpasarBoard.body.includes(stationId));
  const denpasarFaults = await district.app.inject({ method: 'GET', url: '/api/dash/faults', headers: staffHeaders(country.accounts.denpasar) });
  assert.ok(!denpasarFaults.body.includes('fp-fwd'));
  await get(`/api/dash/faults/${stationId}/fp-fwd`, country.accounts.denpasar, 404);
  // The province (Jawa Tengah) and the nation count it under Sragen.
  const province = await get<Rollup>('/api/dash/rollup', country.accounts.province);
  const sragen = province.areas.find((area) => area.code === SRAGEN)!;
  assert.deepEqual([sragen.kecamatan, sragen.stations, sragen.openFaults], [3, 3, 2]);
  const national = await get<Rollup>('/api/dash/rollup', country.accounts.national);
  assert.deepEqual(
    national.areas.map((area) => [area.code, area.stations]),
    [
      ['33', 4],
      ['51', 1],
    ],
  );
});

test("another district's peer forwarding the same downstream station id writes only into its own district", async () => {
  await enrollPeer(denpasarPeer, DENPASAR, 'Kota Denpasar (server sendiri)');
  const twin = new TestStation();
  twin.stationId = downstream.stationId;
  const response = await forward(denpasarPeer, forwardOf(twin, [heartbeat(twin, clock.now, HEALTHY)], 'Denpasar Timur'));
  assert.equal(response.statusCode, 200, response.body);
  const rows = await district.db.query<{ id: string; district_code: string; kecamatan: string }>(
    'SELECT id, district_code, kecamatan FROM stations WHERE peer_id IS NOT NULL ORDER BY district_code',
  );
  assert.deepEqual(rows, [
    { id: forwardedStationId(sragenPeer.stationId, downstream.stationId), district_code: SRAGEN, kecamatan: 'Sambungmacan' },
    { id: forwardedStationId(denpasarPeer.stationId, downstream.stationId), district_code: DENPASAR, kecamatan: 'Denpasar Timur' },
  ]);
});

test("a forged forward (Denpasar's key under Sragen's peer id) is refused, logged and writes nothing", async () => {
  const before = await district.counts();
  const stationId = forwardedStationId(sragenPeer.stationId, downstream.stationId);
  const forged = await forward(
    denpasarPeer,
    forwardOf(downstream, [downstream.fault('fault.opened', 'fp-palsu', {}, clock.now)], 'Kecamatan Palsu'),
    sragenPeer.stationId,
  );
  assert.equal(forged.statusCode, 401);
  assert.equal((forged.json() as { error: string }).error, 'bad-signature');
  assert.deepEqual(await rejected(sragenPeer.stationId), ['bad-signature']);
  const after = await district.counts();
  assert.deepEqual({ ...after, rejected: before.rejected }, before);
  assert.deepEqual(await district.db.query('SELECT kecamatan FROM stations WHERE id = $1', [stationId]), [
    { kecamatan: 'Sambungmacan' },
  ]);
});

test("a peer's forward for a station id that is another district's is refused, logged and changes nothing", async () => {
  // A station row of Denpasar's peer's namespace that lies in Sragen (added by hand, or the peer
  // re-registered for another district): the peer must not rename, move or feed it.
  const foreign = new TestStation();
  foreign.stationId = 'st-dps-9';
  const foreignId = forwardedStationId(denpasarPeer.stationId, foreign.stationId);
  await district.db.run(
    `INSERT INTO stations (id, name, kecamatan, created_at, enrolled_at, peer_id, district_code) VALUES ($1, 'Loket Sragen', 'Tangen', $2, $2, $3, $4)`,
    [foreignId, new Date(clock.now).toISOString(), denpasarPeer.stationId, SRAGEN],
  );
  const response = await forward(denpasarPeer, forwardOf(foreign, [heartbeat(foreign, clock.now, HEALTHY)], 'Denpasar Utara'));
  assert.equal(response.statusCode, 403, response.body);
  assert.equal((response.json() as { error: string }).error, 'station-mismatch');
  assert.deepEqual(await rejected(denpasarPeer.stationId), ['station-mismatch']);
  assert.deepEqual(await district.db.query('SELECT name, kecamatan, district_code FROM stations WHERE id = $1', [foreignId]), [
    { name: 'Loket Sragen', kecamatan: 'Tangen', district_code: SRAGEN },
  ]);
  const [events] = await district.db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM events WHERE station_id = $1', [foreignId]);
  assert.equal(Number(events.n), 0);
});

test('a peer enrolled before districts keeps forwarding, into the default district; a single-district service needs no --district', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'siaga-peer-districts-'));
  const db = openSqlite(join(dir, 'old.sqlite'));
  try {
    await db.run('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const migration of MIGRATIONS.filter((candidate) => candidate.id < 711)) {
      for (const statement of migration.only === undefined || migration.only === 'sqlite' ? migration.statements : []) {
        await db.run(statement);
      }
      await db.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [migration.id, migration.name, 'x']);
    }
    const nowIso = new Date(clock.now).toISOString();
    await db.run(
      "INSERT INTO peers (id, district_name, public_key, created_at, enrolled_at) VALUES ('pr-0123456789', 'Kabupaten Lama', 'key', $1, $1)",
      [nowIso],
    );
    await db.run(
      "INSERT INTO stations (id, name, kecamatan, created_at, enrolled_at, peer_id) VALUES ('pr-0123456789_st-1', 'Loket 1', 'Kota', $1, $1, 'pr-0123456789')",
      [nowIso],
    );
    assert.deepEqual(
      await migrate(db),
      MIGRATIONS.filter((migration) => migration.id >= 711).map((migration) => migration.id),
    );
    const peer = await findEnrolledPeer(db, 'pr-0123456789');
    assert.equal(peer?.signer.district_code, 'default');
    const old = new TestStation();
    old.stationId = 'st-1';
    const stored = await storeForwarded(db, peer!.signer, forwardOf(old, [heartbeat(old, clock.now, HEALTHY)], 'Kota'), {
      nowMs: clock.now,
    });
    assert.equal(stored.accepted.length, 1);
    assert.deepEqual(await db.query("SELECT district_code FROM stations WHERE peer_id = 'pr-0123456789'"), [
      { district_code: 'default' },
    ]);
    // One district here: `peer add` without --district goes to it.
    assert.equal((await addPeer(db, { districtName: 'Kabupaten Baru' })).districtCode, 'default');
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
