// Several server processes on one PostgreSQL, as a hostile client and an unlucky operator would
// meet them: four processes starting at once on an empty database, a signed batch replayed to the
// other process (one after the other and at the same moment), and one enrollment code redeemed at
// both processes at once. One PostgreSQL; each "process" is a full app with its own pool.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PATHS } from '../../../protocol/requests';
import { MIGRATIONS } from '../../../district/server/db/migrations';
import { addStation } from '../../../district/server/stations/stations';
import { heartbeat, HEALTHY, injectEvents } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

describe('several processes on one PostgreSQL, hostile', () => {
  let postgres: TestPostgres;
  let processes: TestDistrict[] = [];

  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    for (const process of processes) {
      await process.close();
    }
    await postgres.stop();
  });

  it('four processes starting at once on an empty database migrate it once, all of them up', async () => {
    const setup = await startTestDistrict({ url: postgres.url });
    await setup.db.run('CREATE DATABASE race');
    await setup.close();
    const url = postgres.url.replace(/\/postgres$/, '/race');
    processes = await Promise.all(Array.from({ length: 4 }, () => startTestDistrict({ url })));
    const applied = await processes[0].db.query<{ id: number | string }>('SELECT id FROM schema_migrations ORDER BY id');
    assert.deepEqual(
      applied.map((row) => Number(row.id)),
      MIGRATIONS.map((migration) => migration.id).sort((left, right) => left - right),
    );
    const [districts] = await processes[0].db.query<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM districts WHERE code = 'default'",
    );
    assert.equal(Number(districts.n), 1);
  });

  it('a signed batch accepted by one process is refused as a replay by another, also at the same moment', async () => {
    const [first, second] = processes;
    const station = new TestStation();
    await station.enroll(first, 'Loket Replay', 'Sragen Kota');
    const nowMs = Date.now();
    const events = [heartbeat(station, nowMs, HEALTHY)];
    const body = JSON.stringify({ events });
    const headers = station.headers('POST', PATHS.events, body, nowMs);
    const send = (process: TestDistrict) =>
      process.app.inject({ method: 'POST', url: PATHS.events, payload: body, headers });
    const accepted = await send(first);
    assert.equal(accepted.statusCode, 200, accepted.body);
    const replayed = await send(second);
    assert.notEqual(replayed.statusCode, 200, `replay to the second process: ${replayed.body}`);
    assert.match(replayed.body, /replay/i);

    // A fresh batch sent to both processes at the same moment: exactly one takes it.
    const later = Date.now() + 1;
    const freshBody = JSON.stringify({ events: [heartbeat(station, later, HEALTHY)] });
    const freshHeaders = station.headers('POST', PATHS.events, freshBody, later);
    const answers = await Promise.all(
      processes.map((process) =>
        process.app.inject({ method: 'POST', url: PATHS.events, payload: freshBody, headers: freshHeaders }),
      ),
    );
    assert.deepEqual(
      answers.map((answer) => answer.statusCode).filter((status) => status === 200),
      [200],
      answers.map((answer) => `${answer.statusCode} ${answer.body}`).join('\n'),
    );
    // A batch re-signed (new timestamp) is not a replay: the guard keys on the signature, not the events.
    const resent = await injectEvents(second, station, events, Date.now() + 2);
    assert.equal(resent.statusCode, 200, resent.body);
    const [stored] = await second.db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM events WHERE station_id = $1',
      [station.stationId],
    );
    assert.equal(Number(stored.n), 2, 'the re-signed batch is stored once (event ids)');
  });

  it('one enrollment code redeemed at two processes at once enrolls one key only', async () => {
    const station = await addStation(processes[0].db, { name: 'Loket Kembar', kecamatan: 'Tangen' });
    const keys = [new TestStation(), new TestStation()];
    const answers = await Promise.all(
      keys.map((key, index) =>
        processes[index].app.inject({
          method: 'POST',
          url: PATHS.enroll,
          payload: { code: station.code, publicKey: key.publicKeyBase64, appVersion: '0.1.0' },
        }),
      ),
    );
    const statuses = answers.map((answer) => answer.statusCode);
    const detail = answers.map((answer) => `${answer.statusCode} ${answer.body}`).join('\n');
    assert.equal(statuses.filter((status) => status === 200).length, 1, detail);
    assert.ok(statuses.some((status) => status >= 400 && status < 500), detail);
    const [row] = await processes[0].db.query<{ public_key: string }>('SELECT public_key FROM stations WHERE id = $1', [
      station.stationId,
    ]);
    const winner = keys[statuses.indexOf(200)];
    assert.equal(row.public_key, winner.publicKeyBase64, 'the stored key is the one that was told "enrolled"');
  });
});
