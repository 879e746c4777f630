// The heartbeat path on PostgreSQL as a hostile network and an unlucky operator would meet it, on a
// real `siaga-district serve` process over real HTTP: a pool connection killed in the middle of a
// group (while another group is in flight), one station's batches racing (a retry while the first
// is still in its group, the same signed request twice at once), and PostgreSQL restarted under a
// running server whose kept-open pool connections all die with it. What must hold: no ack for data
// not committed, no lost ack for data committed, every event once, the process alive, the pool back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../../district/server/db/open';
import { markClosed, markReopened } from '../../../district/server/faults/repository';
import type { Db } from '../../../district/server/db/types';
import type { Event } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import type { EventsResponse } from '../../../protocol/requests';
import { startDistrictProcess } from '../../helpers/cluster';
import type { DistrictProcess } from '../../helpers/cluster';
import { heartbeat, HEALTHY } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const BIN = process.env.SIAGA_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** pg_ctl as the user the helper runs PostgreSQL as (tests/helpers/postgres.ts). */
function pgCtl(args: string[]): void {
  const command = join(BIN, 'pg_ctl');
  if (process.getuid?.() === 0) {
    execFileSync('runuser', ['-u', 'nobody', '--', command, ...args], { stdio: 'ignore', timeout: 60_000 });
  } else {
    execFileSync(command, args, { stdio: 'ignore', timeout: 60_000 });
  }
}

interface Answer {
  status: number;
  body: string;
}

describe('the heartbeat path on PostgreSQL, hostile (real process, real HTTP)', () => {
  let postgres: TestPostgres;
  let db: Db;
  let dataDir: string;
  let server: DistrictProcess;
  let locker: pg.Client | undefined;
  let restarted = false;

  before(async () => {
    postgres = await startPostgres();
    dataDir = mkdtempSync(join(tmpdir(), 'siaga-hostile-intake-'));
    db = await openDatabase({ url: postgres.url, dataDir });
    server = await startDistrictProcess(['--db', postgres.url, '--max-batches-per-second', '0']);
  });
  after(async () => {
    await locker?.end().catch(() => undefined);
    await server?.stop();
    await db?.close();
    if (restarted) {
      // The helper stops the postmaster by the pid it started: the restarted one has another.
      pgCtl(['-D', join(dirname(postgres.logFile), 'data'), '-m', 'fast', '-w', 'stop']);
    }
    await postgres?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const enroll = async (name: string): Promise<TestStation> => {
    const station = new TestStation();
    await station.enrollOverHttp(server.url, db, name);
    return station;
  };

  /** A signed POST of `events`, signed now (or with the given headers: a replay). */
  const signed = (station: TestStation, events: readonly Event[], atMs = Date.now()) => {
    const body = JSON.stringify({ events });
    return { body, headers: station.headers('POST', PATHS.events, body, atMs) };
  };
  const send = async (request: { body: string; headers: Record<string, string> }): Promise<Answer> => {
    const response = await fetch(server.url + PATHS.events, { method: 'POST', ...request });
    return { status: response.status, body: await response.text() };
  };
  const storedIds = async (station: TestStation): Promise<string[]> =>
    (
      await db.query<{ id: string }>('SELECT id FROM events WHERE station_id = $1 ORDER BY seq', [station.stationId])
    ).map((row) => row.id);

  /** Holds the station's row locked from outside, so the group that updates it waits (mid-group). */
  const lockStationRow = async (station: TestStation): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM stations WHERE id = $1 FOR NO KEY UPDATE', [station.stationId]);
    locker = client;
    return client;
  };
  /** The server's backend waiting for that lock (its group is mid-transaction), once it waits. */
  const waitingBackend = async (): Promise<number> => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const [row] = await db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE stations SET last_seen_at%'`,
      );
      if (row !== undefined) {
        return Number(row.pid);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await locker?.end();
    locker = undefined;
    throw new Error('no server backend waited for the station row');
  };
  const assertAlive = (): void =>
    assert.equal(server.child.exitCode ?? server.child.signalCode, null, `the server process died:\n${server.output()}`);

  it('a pool connection killed mid-group: that batch is not acked, the other group in flight is, a retry stores it once', { timeout: 60_000 }, async () => {
    const killed = await enroll('Loket Putus');
    const other = await enroll('Loket Lain');
    const lock = await lockStationRow(killed);
    const killedEvents = [heartbeat(killed, Date.now(), HEALTHY), killed.fault('fault.opened', 'f-kill')];
    const first = send(signed(killed, killedEvents));
    const backend = await waitingBackend();

    // A second group is in flight while the first waits mid-transaction: it commits and is answered.
    const otherEvents = [heartbeat(other, Date.now(), HEALTHY)];
    const otherAnswer = await send(signed(other, otherEvents));
    assert.equal(otherAnswer.status, 200, otherAnswer.body);
    assert.deepEqual((JSON.parse(otherAnswer.body) as EventsResponse).accepted, otherEvents.map((event) => event.id));

    await db.query('SELECT pg_terminate_backend($1)', [backend]);
    const killedAnswer = await first;
    await lock.query('ROLLBACK');
    await lock.end();
    locker = undefined;
    assertAlive();
    const stored = await storedIds(killed);
    if (killedAnswer.status === 200) {
      // Acked: then it must have been committed (e.g. stored again after the group failed).
      assert.deepEqual(stored, killedEvents.map((event) => event.id), killedAnswer.body);
    } else {
      // A lost connection is the database unavailable, not this batch's fault: 503 with a wait, so
      // the station sends it again as it is (a 500 makes it halve the batch and suspect an event).
      assert.equal(killedAnswer.status, 503, killedAnswer.body);
      assert.equal((JSON.parse(killedAnswer.body) as { error: string }).error, 'unavailable');
      assert.deepEqual(stored, [], 'not acked, so nothing of it committed');
    }

    // The station sends again (signed anew): stored once, and the pool works again for everyone.
    const retry = await send(signed(killed, killedEvents));
    assert.equal(retry.status, 200, retry.body);
    assert.deepEqual(await storedIds(killed), killedEvents.map((event) => event.id));
    const next = await send(signed(other, [heartbeat(other, Date.now(), HEALTHY)]));
    assert.equal(next.status, 200, next.body);
    assertAlive();
  });

  it('two groups in flight deadlock on shared device rows: both stations are answered 200, each event stored', { timeout: 60_000 }, async () => {
    // Devices are rows by serial number, shared by the district's stations: a scanner moved from
    // one loket to another is the same row. Two groups writing them in opposite orders deadlock,
    // which one process running one group at a time never did; PostgreSQL aborts one of them.
    const seeder = await enroll('Loket Gudang');
    const first = await enroll('Loket Kiri');
    const second = await enroll('Loket Kanan');
    const item = (serial: string) => ({
      role: 'fingerprint' as const,
      device: { key: `usb:080b:0010:${serial}`, vendor: 'Cross Match', model: 'Guardian', serialNumber: serial, transport: 'usb' as const },
    });
    const moved = (station: TestStation, serials: string[], atMs: number): Event =>
      station.event('inventory.changed', { added: serials.map(item), removed: [] }, atMs);
    const seeded = await send(signed(seeder, [moved(seeder, ['D0', 'D1', 'D2'], Date.now() - 60_000)]));
    assert.equal(seeded.status, 200, seeded.body);
    const lock = new pg.Client({ connectionString: postgres.url });
    await lock.connect();
    locker = lock;
    await lock.query('BEGIN');
    await lock.query("SELECT 1 FROM devices WHERE serial_number = 'D0' FOR UPDATE");
    const waiting = async (count: number): Promise<void> => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const [row] = await db.query<{ n: number | string }>(
          `SELECT COUNT(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO devices%'`,
        );
        if (Number(row.n) >= count) {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`fewer than ${count} server backends waited for a device row`);
    };
    const firstEvents = [moved(first, ['D1', 'D0', 'D2'], Date.now())];
    const firstAnswer = send(signed(first, firstEvents)); // holds D1, waits for D0
    await waiting(1);
    const secondEvents = [moved(second, ['D2', 'D1'], Date.now())];
    const secondAnswer = send(signed(second, secondEvents)); // holds D2, waits for D1
    await waiting(2);
    await lock.query('ROLLBACK'); // the first takes D0, then waits for D2: a deadlock
    await lock.end();
    locker = undefined;
    const answers = await Promise.all([firstAnswer, secondAnswer]);
    assertAlive();
    assert.deepEqual(answers.map((answer) => answer.status), [200, 200], JSON.stringify(answers));
    assert.deepEqual(await storedIds(first), firstEvents.map((event) => event.id));
    assert.deepEqual(await storedIds(second), secondEvents.map((event) => event.id));
    assert.match(readFileSync(postgres.logFile, 'utf8'), /deadlock detected/, 'the case did deadlock');
  });

  it('a retry sent while the first is still in its group: each event once, the first acked, the retry sees duplicates', { timeout: 60_000 }, async () => {
    const station = await enroll('Loket Ulang');
    const lock = await lockStationRow(station);
    const events = [heartbeat(station, Date.now(), HEALTHY), heartbeat(station, Date.now() + 1, HEALTHY)];
    const first = send(signed(station, events));
    await waitingBackend();
    // The station timed out and sends the same events again, signed anew; and a later batch too.
    const retry = send(signed(station, events, Date.now() + 2));
    const laterEvents = [heartbeat(station, Date.now() + 3, HEALTHY)];
    const later = send(signed(station, laterEvents, Date.now() + 3));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await lock.query('ROLLBACK');
    await lock.end();
    locker = undefined;
    const answers = await Promise.all([first, retry, later]);
    for (const answer of answers) {
      assert.equal(answer.status, 200, answer.body);
    }
    const [firstReply, retryReply, laterReply] = answers.map((answer) => JSON.parse(answer.body) as EventsResponse);
    assert.deepEqual(firstReply.accepted, events.map((event) => event.id));
    assert.deepEqual(retryReply.accepted, []);
    assert.deepEqual(retryReply.duplicates, events.map((event) => event.id));
    assert.deepEqual(laterReply.accepted, laterEvents.map((event) => event.id));
    assert.deepEqual(await storedIds(station), [...events, ...laterEvents].map((event) => event.id));
    assertAlive();
  });

  it('the same signed request twice at once: one stores it, the other is refused as a replay', { timeout: 60_000 }, async () => {
    const station = await enroll('Loket Kembar');
    const request = signed(station, [heartbeat(station, Date.now(), HEALTHY)]);
    const answers = await Promise.all([send(request), send(request)]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409].sort(), JSON.stringify(answers));
    assert.equal((await storedIds(station)).length, 1);
  });

  it('the district changes a fault the station resolved: a plain heartbeat\'s reply carries each change', { timeout: 60_000 }, async () => {
    const station = await enroll('Loket Tutup');
    const faultState = async (events: Event[]): Promise<string | undefined> => {
      const answer = await send(signed(station, events));
      assert.equal(answer.status, 200, answer.body);
      return (JSON.parse(answer.body) as EventsResponse).faults?.find((fault) => fault.faultId === 'f-tutup')?.state;
    };
    // A first fault in the same batch as the heartbeat: answered in that very reply.
    assert.equal(await faultState([heartbeat(station, Date.now(), HEALTHY), station.fault('fault.opened', 'f-tutup')]), 'open');
    assert.equal(await faultState([station.fault('fault.resolved', 'f-tutup'), heartbeat(station, Date.now(), HEALTHY)]), 'resolved');
    const key = { stationId: station.stationId, faultId: 'f-tutup' };
    await markClosed(db, key, { username: 'admin', at: new Date().toISOString() });
    assert.equal(await faultState([heartbeat(station, Date.now(), HEALTHY)]), 'closed');
    await markReopened(db, key);
    assert.equal(await faultState([heartbeat(station, Date.now(), HEALTHY)]), 'open');
    // A station that never had a fault gets no faults key at all (the query is skipped).
    const clean = await enroll('Loket Bersih');
    const answer = await send(signed(clean, [heartbeat(clean, Date.now(), HEALTHY)]));
    assert.equal((JSON.parse(answer.body) as EventsResponse).faults, undefined);
  });

  it('PostgreSQL restarted under the running server: the next heartbeats are answered, the process lives', { timeout: 60_000 }, async () => {
    const station = await enroll('Loket Restart');
    const before = await send(signed(station, [heartbeat(station, Date.now(), HEALTHY)]));
    assert.equal(before.status, 200, before.body);
    await db.close();
    const data = join(dirname(postgres.logFile), 'data');
    restarted = true;
    pgCtl(['-D', data, '-l', postgres.logFile, '-m', 'fast', '-w', '-t', '30', 'restart']);
    db = await openDatabase({ url: postgres.url, dataDir });
    const answers: Answer[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const events = [heartbeat(station, Date.now(), HEALTHY)];
      const answer = await send(signed(station, events));
      answers.push(answer);
      assertAlive();
      const stored = (await storedIds(station)).includes(events[0].id);
      assert.equal(stored, answer.status === 200, `acked if and only if stored: ${answer.status} ${answer.body}`);
    }
    assert.deepEqual(answers.map((answer) => answer.status), [200, 200, 200], JSON.stringify(answers));
  });

  it('PostgreSQL down under the running server: a clear 503 with a wait, nothing stored; up again, stored', { timeout: 60_000 }, async () => {
    const station = await enroll('Loket Padam');
    const data = join(dirname(postgres.logFile), 'data');
    await db.close();
    restarted = true;
    pgCtl(['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    const events = [heartbeat(station, Date.now(), HEALTHY)];
    let down: Answer;
    let retryAfter: string | null;
    try {
      const response = await fetch(server.url + PATHS.events, { method: 'POST', ...signed(station, events) });
      down = { status: response.status, body: await response.text() };
      retryAfter = response.headers.get('retry-after');
    } finally {
      pgCtl(['-D', data, '-l', postgres.logFile, '-w', '-t', '30', 'start']);
      db = await openDatabase({ url: postgres.url, dataDir });
    }
    assertAlive();
    assert.equal(down.status, 503, down.body);
    assert.equal((JSON.parse(down.body) as { error: string }).error, 'unavailable');
    assert.match(down.body, /basis data|database/i);
    assert.ok(retryAfter !== null, 'a Retry-After the station waits');
    assert.deepEqual(await storedIds(station), []);
    const up = await send(signed(station, events));
    assert.equal(up.status, 200, up.body);
    assert.deepEqual(await storedIds(station), events.map((event) => event.id));
  });
  // Last: it stops the server. A refusal logged while the database was down used to stop the log for
  // good (its failed write poisoned every later flush), and the closing flush then failed, so SIGTERM
  // left the process running on its open connections (this file hung in CI).
  it('a refusal logged while PostgreSQL is down is written once it is back, later ones too; SIGTERM then stops the server', { timeout: 60_000 }, async () => {
    const data = join(dirname(postgres.logFile), 'data');
    const unsigned = async (): Promise<number> =>
      (await fetch(server.url + PATHS.events, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events": [' })).status;
    const logged = async (): Promise<number> => {
      const [row] = await db.query<{ n: number | string }>(
        "SELECT COUNT(*) AS n FROM rejected_requests WHERE path = $1 AND status = 401",
        [PATHS.events],
      );
      return Number(row.n);
    };
    const before = await logged();
    await db.close();
    restarted = true;
    pgCtl(['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
    try {
      assert.equal(await unsigned(), 401, 'refused without the database');
      // The log's flush (every 500 ms) tries while PostgreSQL is down, and fails.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    } finally {
      pgCtl(['-D', data, '-l', postgres.logFile, '-w', '-t', '30', 'start']);
      db = await openDatabase({ url: postgres.url, dataDir });
    }
    assertAlive();
    assert.equal(await unsigned(), 401);
    let written = before;
    for (let attempt = 0; attempt < 100 && written < before + 2; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      written = await logged();
    }
    assert.equal(written, before + 2, 'both refusals are in rejected_requests: the one from the outage too');

    await server.stop(); // throws when the server did not exit (killed then)
    assert.equal(server.child.exitCode, 0, server.output().slice(-2000));
  });
});
