// Hostile cases of the figures' summary written ahead (figures/ahead.ts), on SQLite and PostgreSQL:
// at every batch boundary of a pass, a view that writes nothing gives exactly the live count
// (`summary: false`), month totals included; the same after a station enrolled mid-month, a
// holiday removed, the service hours and the time zone changed for the past; a station whose clock
// is a month ahead never makes a day "over" early (issue 10: the district's receive time decides);
// passes at 23:59:59.999 and 00:00 of WIB, WITA and WIT; a pass whose database fails is reported
// and the next one works.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { removeClosedDay, addClosedDay, setServiceWeek, setTimeZone } from '../../../district/server/calendar/store';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { startFiguresAhead, writeAhead } from '../../../district/server/figures/ahead';
import type { AheadResult } from '../../../district/server/figures/ahead';
import { figures } from '../../../district/server/figures/report';
import { storeEvents } from '../../../district/server/intake/intake';
import type { Event, HeartbeatPayload } from '../../../protocol/events';
import { PATHS } from '../../../protocol/requests';
import { HEALTHY, heartbeat } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import { startDistrictProcess } from '../../helpers/district-process';
import type { DistrictProcess } from '../../helpers/district-process';
import { BROKEN, databaseUrl, DAY, enrolledAt, heartbeatsEvery5Minutes, HOUR, MINUTE, startFiguresDistrict, wib, WINDOW } from '../../helpers/figures';
import type { FiguresDistrict } from '../../helpers/figures';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

let postgres: TestPostgres;
before(async () => {
  postgres = await startPostgres();
});
after(async () => postgres.stop());

type Setup = FiguresDistrict;

const start = (engine: 'sqlite' | 'postgres', nowMs: number): Promise<Setup> =>
  startFiguresDistrict(engine, postgres, 'aheadhostile', nowMs);

/** A view that writes nothing (what a view shows while the job is behind) equals the live count. */
async function same(db: Db, nowMs: number, label: string): Promise<void> {
  const live = await figures(db, { nowMs, windowMs: WINDOW, summary: false });
  const view = await figures(db, { nowMs, windowMs: WINDOW, summaryWriteLimit: 0 });
  assert.deepEqual(view, live, label);
}

const enrolled = (setup: Setup, kecamatan: string, atMs: number): Promise<TestStation> =>
  enrolledAt(setup, `Loket ${kecamatan}`, kecamatan, atMs);

/** Heartbeats every 5 minutes in [fromMs, toMs), stored live at toMs in calls of 500. */
const live = (
  setup: Setup,
  station: TestStation,
  fromMs: number,
  toMs: number,
  roles: HeartbeatPayload['roleStatus'] = HEALTHY,
): Promise<void> =>
  heartbeatsEvery5Minutes({ clock: setup.clock, db: setup.district.db }, station, fromMs, toMs, { roles, perCall: 500 });

/** Runs passes stopped after one batch each, checking the view against the live count after every one, until a pass completes. */
async function passByBatches(db: Db, nowMs: number, label: string): Promise<number> {
  let passes = 0;
  for (;;) {
    let batches = 0;
    const result: AheadResult = await writeAhead(db, {
      nowMs,
      windowMs: WINDOW,
      batchRows: 3,
      stopping: () => batches++ >= 1,
    });
    passes++;
    await same(db, nowMs, `${label}: after pass ${passes}`);
    if (result.complete) {
      return passes;
    }
    assert.ok(passes < 500, `${label}: the passes end`);
  }
}

const count = async (db: Db, sql: string, values: unknown[] = []): Promise<number> =>
  Number((await db.query<{ n: number | string }>(sql, values as never))[0].n);

for (const engine of ['sqlite', 'postgres'] as const) {
  test(`${engine}: at every batch boundary of a catch-up, and after changes for the past, the view is the live count`, async () => {
    const setup = await start(engine, wib('2026-01-05', '07:00'));
    try {
      const { db } = setup.district;
      const north = await enrolled(setup, 'Utara', wib('2026-01-05', '07:00'));
      const south = await enrolled(setup, 'Selatan', wib('2026-01-05', '07:00'));
      const east = await enrolled(setup, 'Timur', wib('2026-01-05', '07:00'));
      for (let day = wib('2026-01-05'); day < wib('2026-02-18'); day += DAY) {
        const index = Math.round((day - wib('2026-01-05')) / DAY);
        await live(setup, north, day + 8 * HOUR, day + (index % 3 === 0 ? 11 : 15) * HOUR, index % 5 === 0 ? BROKEN : HEALTHY);
        if (index % 2 === 0) {
          await live(setup, south, day + 9 * HOUR, day + 13 * HOUR);
        }
        if (index % 7 !== 3) {
          await live(setup, east, day + 7 * HOUR, day + 16 * HOUR);
        }
      }
      await addClosedDay(db, { date: '2026-01-20', kecamatan: null, note: 'Libur', nowMs: setup.clock.now });
      const now = wib('2026-02-17', '16:30');
      const passes = await passByBatches(db, now, 'catch-up');
      assert.ok(passes > 10, `the catch-up took several passes (${passes})`);
      assert.ok((await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_months')) >= 3, 'January totals written');

      // A station enrolled mid-month in Utara, never heard: the days before change as the live count has it.
      setup.clock.now = wib('2026-02-17', '17:00');
      const late = new TestStation();
      await late.enroll(setup.district, 'Loket baru', 'Utara');
      await same(db, wib('2026-02-17', '17:00'), 'a station enrolled mid-month, before the pass');
      await passByBatches(db, wib('2026-02-17', '17:00'), 'a station enrolled mid-month');
      // The holiday removed, a kecamatan's hours changed, the time zone changed: for the past.
      await removeClosedDay(db, { date: '2026-01-20', kecamatan: null });
      await same(db, wib('2026-02-17', '17:00'), 'the holiday removed, before the pass');
      await passByBatches(db, wib('2026-02-17', '17:00'), 'the holiday removed');
      await setServiceWeek(db, {
        kecamatan: 'Timur',
        week: {
          mon: ['07:00-12:00'],
          tue: ['07:00-12:00'],
          wed: ['07:00-12:00'],
          thu: ['07:00-12:00'],
          fri: ['07:00-11:00'],
          sat: ['08:00-10:00'],
          sun: [],
        },
        nowMs: setup.clock.now,
      });
      await same(db, wib('2026-02-17', '17:00'), 'Timur hours changed, before the pass');
      await passByBatches(db, wib('2026-02-17', '17:00'), 'Timur hours changed');
      await setTimeZone(db, 'WIT', setup.clock.now);
      await same(db, wib('2026-02-17', '17:00'), 'WIT, before the pass');
      await passByBatches(db, wib('2026-02-17', '17:00'), 'WIT');
      await live(setup, east, wib('2026-02-17', '17:00'), wib('2026-02-18', '10:00'));
      await passByBatches(db, wib('2026-02-18', '10:00'), 'WIT, the next morning');
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: a station's clock a month ahead decides no day over (the district's receive time does)`, async () => {
    const setup = await start(engine, wib('2026-03-02', '07:00'));
    try {
      const { db } = setup.district;
      const honest = await enrolled(setup, 'Kota', wib('2026-03-02', '07:00'));
      await live(setup, honest, wib('2026-03-02', '07:00'), wib('2026-03-02', '12:00'));
      const ahead = await enrolled(setup, 'Desa', wib('2026-03-02', '12:00'));
      const now = wib('2026-03-03', '10:00');
      setup.clock.now = now;
      // Sent live, stamped a month ahead, and claiming its clock is right (offset 0).
      const future: Event[] = [];
      for (let at = wib('2026-04-03', '09:00'); at < wib('2026-04-03', '10:00'); at += 5 * MINUTE) {
        const event = heartbeat(ahead, at, HEALTHY) as Event & { payload: HeartbeatPayload };
        future.push({ ...event, payload: { ...event.payload, clockOffsetMs: 0 } } as Event);
      }
      await storeEvents(db, ahead.stationId, future, { nowMs: now, source: 'http', heartbeatWindowMs: WINDOW });
      // And a bundle of the same far future.
      const bundle: Event[] = [];
      for (let at = wib('2026-05-01', '09:00'); at < wib('2026-05-01', '10:00'); at += 5 * MINUTE) {
        bundle.push(heartbeat(ahead, at, HEALTHY));
      }
      await storeEvents(db, ahead.stationId, bundle, { nowMs: now, source: 'bundle', heartbeatWindowMs: WINDOW });
      const [newest] = await db.query<{ at: string }>('SELECT MAX(last_heartbeat_at) AS at FROM station_availability');
      assert.ok(Date.parse(newest.at) <= now, `the newest heartbeat is on the district's clock (${newest.at})`);
      // Honest station silent since 12:00 Monday; only the district clock decides: Monday is over.
      await writeAhead(db, { nowMs: now, windowMs: WINDOW });
      const days = await db.query<{ day: string }>('SELECT day FROM figures_unable_days ORDER BY day');
      assert.deepEqual(
        days.map((row) => row.day).filter((day) => day >= '2026-03-03'),
        [],
        'no day from today on is written',
      );
      assert.ok(days.some((row) => row.day === '2026-03-02'), 'Monday is over and written');
      await same(db, now, 'after the pass');
      // A pass on a server clock wrongly a month ahead writes nothing after the newest heartbeat.
      await writeAhead(db, { nowMs: wib('2026-04-04', '10:00'), windowMs: WINDOW });
      assert.equal(
        await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_days WHERE day >= $1', ['2026-03-04']),
        0,
        'the server clock ahead writes no day past the newest heartbeat',
      );
      await live(setup, honest, wib('2026-03-03', '10:00'), wib('2026-03-05', '09:00'));
      await passByBatches(db, wib('2026-03-05', '09:00'), 'the clock back');
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: the server's clock a day ahead for the intake and the job, then corrected: no day written on it is kept`, async () => {
    const setup = await start(engine, wib('2026-03-02', '07:00'));
    try {
      const { db } = setup.district;
      const first = await enrolled(setup, 'Kota', wib('2026-03-02', '07:00'));
      const second = await enrolled(setup, 'Kota', wib('2026-03-02', '07:00'));
      await live(setup, first, wib('2026-03-02', '07:00'), wib('2026-03-02', '09:00'));
      await live(setup, second, wib('2026-03-02', '07:00'), wib('2026-03-02', '09:00'));
      // From Monday 09:00 the server's clock says Tuesday: the first station's heartbeats are stored
      // on it (the district's clock decides, as it should), and the job writes Monday, over by it.
      const wrong = DAY;
      const events: Event[] = [];
      for (let at = wib('2026-03-02', '09:05'); at <= wib('2026-03-02', '09:30'); at += 5 * MINUTE) {
        events.push(heartbeat(first, at, HEALTHY));
      }
      await storeEvents(db, first.stationId, events, {
        nowMs: wib('2026-03-02', '09:30') + wrong,
        source: 'http',
        heartbeatWindowMs: WINDOW,
      });
      await writeAhead(db, { nowMs: wib('2026-03-02', '09:35') + wrong, windowMs: WINDOW });
      assert.equal(
        await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_days WHERE day = $1', ['2026-03-02']),
        1,
        'Monday written on the clock ahead',
      );
      // Corrected at 09:40; the job's next pass; the second station is heard all Monday, then Tuesday.
      await writeAhead(db, { nowMs: wib('2026-03-02', '09:45'), windowMs: WINDOW });
      await same(db, wib('2026-03-02', '09:45'), 'the clock corrected');
      await live(setup, second, wib('2026-03-02', '09:05'), wib('2026-03-02', '14:00'));
      await live(setup, second, wib('2026-03-03', '07:00'), wib('2026-03-03', '09:00'));
      await same(db, wib('2026-03-03', '09:00'), 'Tuesday, before the pass');
      await writeAhead(db, { nowMs: wib('2026-03-03', '09:00'), windowMs: WINDOW });
      await same(db, wib('2026-03-03', '09:00'), 'Tuesday, after the pass');
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: passes at 23:59:59.999 and 00:00 in WIB, WITA and WIT write a day only once it is over`, async () => {
    for (const [zone, offsetHours] of [
      ['WIB', 7],
      ['WITA', 8],
      ['WIT', 9],
    ] as const) {
      const local = (date: string, time = '00:00'): number =>
        Date.parse(`${date}T${time}:00+0${offsetHours}:00`);
      const setup = await start(engine, local('2026-03-30', '07:00'));
      try {
        const { db } = setup.district;
        await setTimeZone(db, zone, setup.clock.now);
        const station = await enrolled(setup, 'Kota', local('2026-03-30', '07:00'));
        // On all night: heartbeats up to the instant viewed.
        await live(setup, station, local('2026-03-30', '07:00'), local('2026-03-31', '23:59') + 59_999);
        const edge = local('2026-03-31', '23:59') + 59_999;
        await writeAhead(db, { nowMs: edge, windowMs: WINDOW });
        assert.equal(
          await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_days WHERE day = $1', ['2026-03-31']),
          0,
          `${zone}: 31 March not written at 23:59:59.999`,
        );
        assert.equal(
          await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_months WHERE month = $1', ['2026-03']),
          0,
          `${zone}: March not totalled at 23:59:59.999`,
        );
        await same(db, edge, `${zone}: 23:59:59.999`);
        await live(setup, station, edge, local('2026-04-01') + 5 * MINUTE);
        await writeAhead(db, { nowMs: local('2026-04-01'), windowMs: WINDOW });
        assert.equal(
          await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_days WHERE day = $1', ['2026-03-31']),
          1,
          `${zone}: 31 March written at 00:00`,
        );
        assert.equal(
          await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_months WHERE month = $1', ['2026-03']),
          1,
          `${zone}: March totalled at 00:00`,
        );
        assert.equal(
          await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_days WHERE day >= $1', ['2026-04-01']),
          0,
          `${zone}: nothing of April`,
        );
        await same(db, local('2026-04-01'), `${zone}: 00:00`);
        await same(db, local('2026-04-01') + 1, `${zone}: 00:00:00.001`);
      } finally {
        await setup.district.close();
      }
    }
  });

  test(`${engine}: a pass whose database fails is reported, the timer goes on, the next pass writes`, async () => {
    const setup = await start(engine, wib('2026-03-02', '07:00'));
    try {
      const { db } = setup.district;
      const station = await enrolled(setup, 'Kota', wib('2026-03-02', '07:00'));
      await live(setup, station, wib('2026-03-02', '07:00'), wib('2026-03-04', '09:00'));
      let down = true;
      const failing: Db = new Proxy(db, {
        get(target, property, receiver) {
          const value: unknown = Reflect.get(target, property, receiver);
          if (down && (property === 'query' || property === 'run' || property === 'transaction')) {
            return () => Promise.reject(new Error('connection refused'));
          }
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
      const errors: string[] = [];
      const timer = startFiguresAhead(failing, {
        windowMs: WINDOW,
        now: () => wib('2026-03-04', '09:00'),
        onError: (error) => errors.push((error as Error).message),
        intervalMs: 60_000,
      });
      try {
        await assert.rejects(timer.runNow(), /connection refused/);
        await new Promise((resolve) => setTimeout(resolve, 50));
        assert.ok(errors.includes('connection refused'), `the pass at start was reported (${errors.join(', ')})`);
        down = false;
        const result = await timer.runNow();
        assert.ok(result !== null && result.days >= 2, 'the next pass wrote the days over');
      } finally {
        await timer.stop();
      }
      await same(db, wib('2026-03-04', '09:00'), 'after recovery');
    } finally {
      await setup.district.close();
    }
  });
}

/**
 * A district of `kecamatan` kecamatan (2 stations each) on the real clock, with `days` days of
 * spans seeded in SQL (one hour unable a day per station, the two of a kecamatan overlapping by
 * half an hour) and every station heard a minute ago: a catch-up of kecamatan x days rows.
 */
async function seedLargeDistrict(db: Db, kecamatan: number, days: number): Promise<void> {
  const iso = (ms: number): string => new Date(ms).toISOString();
  const now = Date.now();
  const first = Math.floor((now - days * DAY) / DAY) * DAY;
  const stations: unknown[][] = [];
  const spans: unknown[][] = [];
  for (let index = 0; index < kecamatan * 2; index++) {
    const id = `big-${String(index).padStart(5, '0')}`;
    stations.push([id, id, `Kec ${String(index % kecamatan).padStart(4, '0')}`, iso(first), 'default']);
    for (let day = first; day < now - DAY; day += DAY) {
      const start = day + 2 * HOUR + (index >= kecamatan ? 30 * MINUTE : 0);
      spans.push([`${id}-${day}`, id, 'cannot-record', iso(start), iso(start + HOUR)]);
    }
  }
  const insert = async (sql: string, width: number, rows: unknown[][]): Promise<void> => {
    for (let at = 0; at < rows.length; at += 400) {
      const chunk = rows.slice(at, at + 400);
      await db.run(
        `${sql} VALUES ${chunk.map((_row, row) => `(${Array.from({ length: width }, (_value, column) => `$${row * width + column + 1}`).join(', ')})`).join(', ')}`,
        chunk.flat() as never,
      );
    }
  };
  await insert('INSERT INTO stations (id, name, kecamatan, created_at, district_code)', 5, stations);
  await db.run('UPDATE stations SET enrolled_at = created_at');
  await insert('INSERT INTO availability_spans (id, station_id, kind, started_at, ended_at)', 5, spans);
  await insert(
    'INSERT INTO station_availability (station_id, can_record, last_heartbeat_at)',
    3,
    stations.map(([id]) => [id, 1, iso(now - MINUTE)]),
  );
}

test('postgres: `serve` killed (-9) during its catch-up leaves no half-written day; stopped (SIGTERM) during one it exits promptly; the next finishes', async () => {
  const url = (await databaseUrl('postgres', postgres, 'aheadhostile'))!;
  const db = await openDatabase({ url, dataDir: '/nonexistent' });
  const servers: DistrictProcess[] = [];
  try {
    await seedLargeDistrict(db, 300, 180);
    const rows = (): Promise<number> => count(db, 'SELECT COUNT(*) AS n FROM figures_unable_days');
    const serve = async (): Promise<DistrictProcess> => {
      const server = await startDistrictProcess(0, ['--db', url, '--heartbeat-window-minutes', String(WINDOW / MINUTE)]);
      servers.push(server);
      return server;
    };
    const midPass = async (): Promise<number> => {
      const deadline = Date.now() + 60_000;
      let written = await rows();
      const before = written;
      while (written === before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        written = await rows();
      }
      return written;
    };
    const killed = await serve();
    const seen = await midPass();
    killed.child.kill('SIGKILL');
    await new Promise((resolve) => killed.child.once('exit', resolve));
    const afterKill = await rows();
    assert.ok(seen > 0 && afterKill < 300 * 170, `killed during the catch-up (${afterKill} rows written)`);
    await same(db, Date.now(), 'after kill -9');

    const stopped = await serve();
    await midPass();
    const asked = Date.now();
    await stopped.stop();
    const exitMs = Date.now() - asked;
    assert.ok(exitMs < 5_000, `SIGTERM during the catch-up: exited in ${exitMs} ms`);
    assert.doesNotMatch(stopped.output(), /figures summary pass failed/);
    await same(db, Date.now(), 'after SIGTERM');

    const last = await serve();
    const deadline = Date.now() + 120_000;
    let done = 0;
    while (Date.now() < deadline) {
      done = await rows();
      const months = await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_months');
      if (months >= 300 * 5) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(done > afterKill, `the next serve finished the catch-up (${done} rows)`);
    await same(db, Date.now(), 'after the catch-up');
    assert.doesNotMatch(last.output(), /figures summary pass failed/);
    console.log(`kill -9 after ${afterKill} rows; SIGTERM exit ${exitMs} ms; ${done} rows at the end`);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await db.close();
  }
});

/** The PostgreSQL backend holding the figures job's advisory lock in database `name`, once a pass took it. */
async function lockHolder(admin: Db, name: string): Promise<number> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [row] = await admin.query<{ pid: number | string }>(
      `SELECT l.pid FROM pg_locks l JOIN pg_database d ON d.datname = $1 WHERE l.locktype = 'advisory' AND l.database = d.oid AND l.granted`,
      [name],
    );
    if (row !== undefined) {
      return Number(row.pid);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no figures pass took its lock in 60 s');
}

/** Waits until `server` logged a failed figures pass (at most `ms`). */
async function passFailure(server: DistrictProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && !/figures summary pass failed/.test(server.output())) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A database of 300 kecamatan with 180 days to catch up, and `serve` started on it (its pass begins at once). */
async function serveOnBacklog(prefix: string) {
  const url = (await databaseUrl('postgres', postgres, prefix))!;
  const admin = await openDatabase({ url: postgres.url, dataDir: '/nonexistent' });
  const db = await openDatabase({ url, dataDir: '/nonexistent' });
  await seedLargeDistrict(db, 300, 180);
  const server = await startDistrictProcess(0, ['--db', url, '--heartbeat-window-minutes', String(WINDOW / MINUTE)]);
  return {
    name: new URL(url).pathname.slice(1),
    admin,
    db,
    server,
    async close(): Promise<void> {
      await server.stop();
      await db.close();
      await admin.close();
    },
  };
}

test("postgres: the database dropping `serve`'s connections during a catch-up fails the pass, logged, and the server lives on", async () => {
  const { name, admin, server, close } = await serveOnBacklog('aheadhostile');
  try {
    // Once the pass is writing (its lock is held), end every connection of the server.
    await lockHolder(admin, name);
    const ended = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    assert.ok(ended.length > 0, 'connections ended');
    // The pass notices its lock's connection is gone at its next batch (not only at its commit).
    await passFailure(server, 30_000);
    assert.equal(server.child.exitCode, null, `the server is still running:\n${server.output().slice(-3000)}`);
    assert.equal(server.child.signalCode, null);
    const answer = await fetch(`${server.url}${PATHS.time}`);
    assert.equal(answer.status, 200, 'it still answers');
    assert.match(server.output(), /figures summary pass failed/);
  } finally {
    await close();
  }
});

test("postgres: only the lock's connection ended during a catch-up: the pass stops at its next batch, not at its commit", async () => {
  const { name, admin, db, server, close } = await serveOnBacklog('aheadlock');
  try {
    // The backend holding the pass's advisory lock; the pass's reads and writes use other connections.
    await admin.query('SELECT pg_terminate_backend($1)', [await lockHolder(admin, name)]);
    await passFailure(server, 60_000);
    assert.match(server.output(), /figures summary pass failed/);
    // Another process may hold the lock now: this pass must not go on writing beside it.
    const written = await count(db, 'SELECT COUNT(*) AS n FROM figures_unable_days');
    // The whole catch-up is 46,200 kecamatan-days; a pass that went on to its commit wrote them all.
    assert.ok(written < 300 * 100, `the pass ended at its next batch (${written} rows written)`);
    const answer = await fetch(`${server.url}${PATHS.time}`);
    assert.equal(answer.status, 200, 'the server still answers');
  } finally {
    await close();
  }
});
