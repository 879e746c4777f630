// What keeps the heartbeat path on PostgreSQL free of stalls (docs/cluster.md, "Where the slow
// heartbeats were"), on a real PostgreSQL: a server's pool connections are all opened before it
// listens and stay open when idle (pg would close them after 10 s, and the next burst would pay
// for new backends), and a heartbeat's update of its station row is HOT (migration 751: no
// index holds a column the heartbeat changes, and the page has room for the new version).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../../district/server/db/open';
import { openAllConnections, POOL_SIZE } from '../../../district/server/db/postgres';
import type { Db } from '../../../district/server/db/types';
import { addStation } from '../../../district/server/stations/stations';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

let postgres: TestPostgres;
let db: Db;

before(async () => {
  postgres = await startPostgres();
  db = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });
});
after(async () => {
  await db?.close();
  await postgres?.stop();
});

const ownConnections = async (): Promise<number> =>
  Number(
    (
      await db.query<{ n: number | string }>(
        "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
      )
    )[0].n,
  );

test('all pool connections open before listening, and still open after more than 10 s idle', async () => {
  await openAllConnections(db);
  assert.equal(await ownConnections(), POOL_SIZE);
  await new Promise((resolve) => setTimeout(resolve, 11_000));
  assert.equal(await ownConnections(), POOL_SIZE);
});

test('a heartbeat-like update of a station row (heard_at, last_seen_at, last_heartbeat) is HOT', async () => {
  const { stationId } = await addStation(db, { name: 'Loket 1', kecamatan: 'Sragen Kota' });
  const hot = await db.transaction(async (transaction) => {
    for (let minute = 1; minute <= 3; minute++) {
      const at = new Date(Date.UTC(2026, 11, 2, 8, minute)).toISOString();
      await transaction.run(
        `UPDATE stations SET last_seen_at = $1, heard_at = $1, last_heartbeat_at = $1, last_heartbeat = $2, last_seq = last_seq + 1 WHERE id = $3`,
        [at, JSON.stringify({ queueDepth: minute }), stationId],
      );
    }
    return transaction.query<{ updates: number | string; hot: number | string }>(
      "SELECT n_tup_upd AS updates, n_tup_hot_upd AS hot FROM pg_stat_xact_user_tables WHERE relname = 'stations'",
    );
  });
  assert.deepEqual(hot.map((row) => [Number(row.updates), Number(row.hot)]), [[3, 3]]);
});
