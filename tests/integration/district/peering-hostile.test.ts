// A forwarded station whose province-side id (`<peer id>_<station id>`) is already a station of the
// province's own (a row added by hand or by an old import): the forward must be refused, not rename
// the local station and pour the peer's events into it. SQLite; storeForwarded as the route calls it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { forwardedStationId } from '../../../protocol/peering';
import { addPeer, storeForwarded } from '../../../district/server/peering/peers';
import { Refusal } from '../../../district/server/intake/refusal';
import { HEALTHY, heartbeat } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

describe('a forwarded station colliding with a local one', () => {
  let district: TestDistrict;
  before(async () => {
    district = await startTestDistrict();
  });
  after(async () => {
    await district.close();
  });

  it('is refused and the local station keeps its name, kecamatan and events', async () => {
    const nowMs = Date.now();
    const peer = await addPeer(district.db, { districtName: 'Kabupaten Sragen', nowMs });
    const downstream = new TestStation();
    downstream.stationId = 'st-sragen-1';
    const localId = forwardedStationId(peer.peerId, downstream.stationId);
    await district.db.run(
      'INSERT INTO stations (id, name, kecamatan, created_at, enrolled_at) VALUES ($1, $2, $3, $4, $4)',
      [localId, 'Loket Provinsi', 'Semarang Tengah', new Date(nowMs).toISOString()],
    );
    const forward = {
      stations: [{ id: downstream.stationId, name: 'Loket Palsu', kecamatan: 'Tangen' }],
      events: [
        { event: heartbeat(downstream, nowMs, HEALTHY), receivedAt: new Date(nowMs).toISOString(), source: 'http' as const },
      ],
    };
    await assert.rejects(
      storeForwarded(district.db, { id: peer.peerId, district_name: 'Kabupaten Sragen', public_key: null, district_code: peer.districtCode }, forward, { nowMs }),
      (error: unknown) => error instanceof Refusal && error.status === 403 && error.error === 'station-mismatch',
    );
    assert.deepEqual(
      await district.db.query('SELECT name, kecamatan, peer_id FROM stations WHERE id = $1', [localId]),
      [{ name: 'Loket Provinsi', kecamatan: 'Semarang Tengah', peer_id: null }],
    );
    const [events] = await district.db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM events WHERE station_id = $1',
      [localId],
    );
    assert.equal(Number(events.n), 0);
    // The same forward under a station id that is free is stored (the refusal is not a blanket one).
    downstream.stationId = 'st-sragen-2';
    const free = {
      stations: [{ id: 'st-sragen-2', name: 'Loket Tangen', kecamatan: 'Tangen' }],
      events: [
        { event: heartbeat(downstream, nowMs, HEALTHY), receivedAt: new Date(nowMs).toISOString(), source: 'http' as const },
      ],
    };
    const stored = await storeForwarded(
      district.db,
      { id: peer.peerId, district_name: 'Kabupaten Sragen', public_key: null, district_code: peer.districtCode },
      free,
      { nowMs },
    );
    assert.equal(stored.accepted.length, 1);
  });
});
