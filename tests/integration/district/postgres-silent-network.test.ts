// PostgreSQL out of reach without a word (issue 13's hostile review, docs/cluster.md): the network
// between the server and the database drops packets silently (a pausable TCP proxy on loopback:
// no RST, no FIN, nothing read), and PostgreSQL terminates the connections a starting server is
// warming up. What must hold: a heartbeat is answered 503 with a wait within the bound instead of
// hanging, the log says why, nothing acked is lost, after the network returns a resend is stored
// once; warm-up never crashes the process and leaves a working pool.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../../district/server/db/open';
import {
  CONNECT_TIMEOUT_MS,
  isDatabaseUnavailable,
  openAllConnections,
  POOL_SIZE,
  REQUEST_STATEMENT_TIMEOUT_MS,
  withRequestBound,
} from '../../../district/server/db/postgres';
import type { Db } from '../../../district/server/db/types';
import type { Event } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import { startDistrictProcess } from '../../helpers/cluster';
import type { DistrictProcess } from '../../helpers/cluster';
import { heartbeat, HEALTHY } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import { startPausableProxy } from '../../helpers/pausable-proxy';
import type { PausableProxy } from '../../helpers/pausable-proxy';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

/** The bound plus room for a loaded machine (2 cores shared): still far below "hangs until busy". */
const ANSWER_BOUND_MS = REQUEST_STATEMENT_TIMEOUT_MS + 3_000;

interface Answer {
  status: number;
  body: string;
  retryAfter: string | null;
  elapsedMs: number;
}

describe('PostgreSQL behind a silent network, and warm-up under terminated connections', () => {
  let postgres: TestPostgres;
  let proxy: PausableProxy;
  let db: Db; // the test's own, straight to PostgreSQL (never through the proxy)
  let dataDir: string;
  let server: DistrictProcess;

  before(async () => {
    postgres = await startPostgres();
    proxy = await startPausableProxy(postgres.port);
    dataDir = mkdtempSync(join(tmpdir(), 'siaga-silent-pg-'));
    db = await openDatabase({ url: postgres.url, dataDir });
    server = await startDistrictProcess(['--db', proxiedUrl(), '--max-batches-per-second', '0']);
  });
  after(async () => {
    proxy?.resume();
    // A request still hanging (the bound broken) must not hang the cleanup: killed after 10 s.
    await Promise.race([server?.stop(), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
    await server?.kill9();
    await db?.close();
    await proxy?.close();
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const proxiedUrl = (): string => {
    const url = new URL(postgres.url);
    url.port = String(proxy.port);
    return url.toString();
  };
  const enroll = async (name: string): Promise<TestStation> => {
    const station = new TestStation();
    await station.enrollOverHttp(server.url, db, name);
    return station;
  };
  const send = async (station: TestStation, events: readonly Event[]): Promise<Answer> => {
    const body = JSON.stringify({ events });
    const started = Date.now();
    const response = await fetch(server.url + PATHS.events, {
      method: 'POST',
      body,
      headers: station.headers('POST', PATHS.events, body, Date.now()),
    });
    return {
      status: response.status,
      body: await response.text(),
      retryAfter: response.headers.get('retry-after'),
      elapsedMs: Date.now() - started,
    };
  };
  const storedIds = async (station: TestStation): Promise<string[]> =>
    (
      await db.query<{ id: string }>('SELECT id FROM events WHERE station_id = $1 ORDER BY seq', [station.stationId])
    ).map((row) => row.id);
  const assertUnavailableInTime = (answer: Answer): void => {
    assert.equal(answer.status, 503, answer.body);
    assert.equal((JSON.parse(answer.body) as { error: string }).error, 'unavailable');
    assert.ok(answer.retryAfter !== null, 'a Retry-After the station waits');
    assert.ok(answer.elapsedMs < ANSWER_BOUND_MS, `answered in ${answer.elapsedMs} ms, bound ${ANSWER_BOUND_MS} ms`);
  };
  const assertAlive = (): void =>
    assert.equal(server.child.exitCode ?? server.child.signalCode, null, `the server process died:\n${server.output()}`);

  it('the network falls silent between requests: 503 within the bound, one clear log line; back, the resend is stored once', { timeout: 90_000 }, async () => {
    const station = await enroll('Loket Sunyi');
    const acked = [heartbeat(station, Date.now(), HEALTHY)];
    assert.equal((await send(station, acked)).status, 200);
    const events = [heartbeat(station, Date.now() + 1, HEALTHY), station.fault('fault.opened', 'f-sunyi')];
    let silent: Answer;
    proxy.pause();
    try {
      silent = await send(station, events);
    } finally {
      proxy.resume();
    }
    assertUnavailableInTime(silent);
    assertAlive();
    const lines = server.output().split('\n').filter((line) => line.includes('did not answer a statement'));
    assert.equal(lines.length, 1, server.output());
    assert.match(lines[0], /database unavailable/);
    assert.deepEqual(await storedIds(station), acked.map((event) => event.id), 'the acked one kept, nothing of the refused one');

    const resent = await send(station, events);
    assert.equal(resent.status, 200, resent.body);
    assert.deepEqual(await storedIds(station), [...acked, ...events].map((event) => event.id));
    assertAlive();
  });

  it('the network falls silent in the middle of a group: 503 within the bound, not committed; the resend stored once', { timeout: 90_000 }, async () => {
    const station = await enroll('Loket Putus Senyap');
    // The station's row locked from outside, so the group waits mid-transaction for it.
    const locker = new pg.Client({ connectionString: postgres.url });
    await locker.connect();
    let lockHeld = true;
    try {
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM stations WHERE id = $1 FOR NO KEY UPDATE', [station.stationId]);
      const events = [heartbeat(station, Date.now(), HEALTHY), station.fault('fault.opened', 'f-senyap')];
      const answer = send(station, events);
      let waiting = false;
      for (let attempt = 0; attempt < 100 && !waiting; attempt++) {
        const [row] = await db.query<{ n: number | string }>(
          "SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE stations SET last_seen_at%'",
        );
        waiting = Number(row.n) > 0;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(waiting, 'the group waited for the station row');
      let silent: Answer;
      proxy.pause();
      try {
        await locker.query('ROLLBACK'); // PostgreSQL goes on; its answers no longer reach the server
        lockHeld = false;
        silent = await answer;
      } finally {
        proxy.resume();
      }
      assertUnavailableInTime(silent);
      assertAlive();
      // The transaction never got its COMMIT: once its connection is gone, nothing of it is stored.
      assert.deepEqual(await storedIds(station), []);
      const resent = await send(station, events);
      assert.equal(resent.status, 200, resent.body);
      assert.deepEqual(await storedIds(station), events.map((event) => event.id));
      assertAlive();
    } finally {
      if (lockHeld) {
        await locker.query('ROLLBACK').catch(() => undefined);
      }
      await locker.end();
    }
  });

  it('no connection can be opened through the silent network: a bounded statement fails within the connect bound as unavailable', { timeout: 60_000 }, async () => {
    const fresh = await openDatabase({ url: proxiedUrl(), dataDir }); // migrations: none left to run
    try {
      proxy.pause();
      const started = Date.now();
      let failure: unknown;
      try {
        await withRequestBound(fresh).query('SELECT 1');
      } catch (error) {
        failure = error;
      } finally {
        proxy.resume();
      }
      const elapsedMs = Date.now() - started;
      assert.ok(failure !== undefined, 'the statement did not succeed through a silent network');
      assert.ok(isDatabaseUnavailable(failure), String(failure));
      assert.ok(elapsedMs < CONNECT_TIMEOUT_MS + 3_000, `failed after ${elapsedMs} ms`);
      assert.deepEqual(await withRequestBound(fresh).query<{ one: number }>('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await fresh.close();
    }
  });

  it('warm-up: PostgreSQL terminates the connections it holds; no crash, fewer opened, the pool works', { timeout: 60_000 }, async () => {
    // Its own application_name, so only its connections are terminated (not the server's, not the test's).
    const warming = await openDatabase({ url: `${postgres.url}?application_name=siaga-warmup`, dataDir });
    const admin = new pg.Client({ connectionString: postgres.url });
    await admin.connect();
    try {
      const warmed = await openAllConnections(warming, {
        whileHeld: async () => {
          const terminated = await admin.query<{ done: boolean }>(
            "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE application_name = 'siaga-warmup'",
          );
          assert.ok(terminated.rows.length >= POOL_SIZE, `terminated ${terminated.rows.length}`);
          // Let the terminations reach the held connections before warm-up uses them.
          await new Promise((resolve) => setTimeout(resolve, 300));
        },
      });
      assert.ok(warmed.opened < POOL_SIZE, `opened ${warmed.opened}`);
      assert.ok(warmed.failure !== undefined && isDatabaseUnavailable(warmed.failure), String(warmed.failure));
      assert.deepEqual(await warming.query<{ one: number }>('SELECT 1 AS one'), [{ one: 1 }]);
      const again = await openAllConnections(warming);
      assert.deepEqual(again, { opened: POOL_SIZE, failure: undefined });
    } finally {
      await admin.end();
      await warming.close();
    }
  });
});
