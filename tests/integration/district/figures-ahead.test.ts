// The figures' summary written ahead by the job (figures/ahead.ts), on SQLite and PostgreSQL: a WIB
// district and a WITA district (and a WIT one never heard) with heartbeats through the real intake.
// The job writes a district's yesterday once its day is over by the clock and by its newest
// heartbeat, never today; catches up after a gap in bounded batches (a pass stopped between batches
// is finished by the next); writes nothing twice; a late bundle after it marks days late and the
// next pass recomputes them; holidays, a time zone changed and a clock jumping ahead and back are
// survived; a view with a backlog the job has not written gives the live figures and writes only a
// small backlog. On PostgreSQL, two processes (two pools) never write a row twice nor deadlock.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { localDay } from '../../../district/server/calendar/service-hours';
import { addClosedDay, setTimeZone } from '../../../district/server/calendar/store';
import { withAdvisoryLock } from '../../../district/server/db/locks';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import type { AheadResult } from '../../../district/server/figures/ahead';
import { startFiguresAhead, writeAhead, writeAheadExclusive } from '../../../district/server/figures/ahead';
import { DEFAULT_FIGURES_MONTHS, figures, monthRange } from '../../../district/server/figures/report';
import { storeEvents } from '../../../district/server/intake/intake';
import { addDistrict, addProvince } from '../../../district/server/tenancy/districts';
import type { Event, HeartbeatPayload } from '../../../protocol/events';
import { HEALTHY, heartbeat } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startDistrictProcess } from '../../helpers/district-process';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';
import { BROKEN, databaseUrl, DAY, heartbeatsEvery5Minutes, HOUR, MINUTE, startFiguresDistrict, wib, WINDOW } from '../../helpers/figures';

const WIB = 'default';
const WITA = '51.71';
const WIT = '91.71';
/** Local time of a date in WITA (+08:00). */
const wita = (date: string, time = '00:00'): number => Date.parse(`${date}T${time}:00+08:00`);

let postgres: TestPostgres;
before(async () => {
  postgres = await startPostgres();
});
after(async () => postgres.stop());

interface Setup {
  district: TestDistrict;
  db: Db;
  clock: { now: number };
  url: string | undefined;
  stations: { tangen: TestStation; gesi: TestStation; denpasar: TestStation };
}

/** Heartbeats every 5 minutes in [fromMs, toMs), sent in one batch stored at toMs. */
const heard = (
  setup: Setup,
  station: TestStation,
  fromMs: number,
  toMs: number,
  roles: HeartbeatPayload['roleStatus'] = HEALTHY,
  source: 'http' | 'bundle' = 'http',
  storedAt = toMs,
): Promise<void> => heartbeatsEvery5Minutes(setup, station, fromMs, toMs, { roles, source, storedAt });

/**
 * Monday 2 to Wednesday 11 March 2026 (the default service hours, 08:00-15:00 Mon-Fri): Tangen
 * (WIB) heard 07:30-15:30 local, broken Tuesdays 10:00-11:00; Gesi (WIB) heard 09:00-14:00 until
 * Thursday 5 March, silent since; Denpasar Barat (WITA) heard 07:30-15:30 local, none on
 * Wednesdays; Jayapura (WIT) enrolled, never heard. Nothing is summarised.
 */
async function seeded(engine: 'sqlite' | 'postgres'): Promise<Setup> {
  const { district, clock, url } = await startFiguresDistrict(engine, postgres, 'ahead', wib('2026-03-02', '07:00'));
  const db = district.db;
  await addProvince(db, { code: '51', name: 'Bali' });
  await addProvince(db, { code: '91', name: 'Papua' });
  await addDistrict(db, { code: WITA, name: 'Kota Denpasar', province: '51', timeZone: 'WITA' });
  await addDistrict(db, { code: WIT, name: 'Kota Jayapura', province: '91', timeZone: 'WIT' });
  const stations = { tangen: new TestStation(), gesi: new TestStation(), denpasar: new TestStation() };
  await stations.tangen.enroll(district, 'Loket Tangen', 'Tangen');
  await stations.gesi.enroll(district, 'Loket Gesi', 'Gesi');
  await stations.denpasar.enroll(district, 'Loket Denpasar Barat', 'Denpasar Barat', WITA);
  await new TestStation().enroll(district, 'Loket Jayapura', 'Jayapura Utara', WIT);
  const setup: Setup = { district, db, clock, url, stations };
  for (let day = 0; day < 10; day++) {
    const date = new Date(Date.parse('2026-03-02') + day * DAY).toISOString().slice(0, 10);
    const weekday = day % 7;
    if (weekday >= 5) {
      continue;
    }
    if (weekday === 1) {
      await heard(setup, stations.tangen, wib(date, '07:30'), wib(date, '10:00'));
      await heard(setup, stations.tangen, wib(date, '10:00'), wib(date, '11:00'), BROKEN);
      await heard(setup, stations.tangen, wib(date, '11:00'), wib(date, '15:30'));
    } else {
      await heard(setup, stations.tangen, wib(date, '07:30'), wib(date, '15:30'));
    }
    if (day < 4) {
      await heard(setup, stations.gesi, wib(date, '09:00'), wib(date, '14:00'));
    }
    if (weekday !== 2) {
      await heard(setup, stations.denpasar, wita(date, '07:30'), wita(date, '15:30'));
    }
  }
  return setup;
}

/** Both districts' views from the summary equal the live count at `nowMs`; `summaryWriteLimit` as given. */
async function sameAsLive(setup: Setup, nowMs: number, label: string, summaryWriteLimit?: number): Promise<void> {
  setup.clock.now = nowMs;
  for (const district of [WIB, WITA, WIT]) {
    const live = await figures(setup.db, { nowMs, windowMs: WINDOW, district, summary: false });
    const summary = await figures(setup.db, { nowMs, windowMs: WINDOW, district, summaryWriteLimit });
    assert.deepEqual(summary, live, `${label}: ${district}`);
  }
}

/** The last day summarised per district (none: null). */
async function lastDays(db: Db): Promise<Record<string, string | null>> {
  const rows = await db.query<{ district_code: string; day: string }>(
    'SELECT district_code, MAX(day) AS day FROM figures_unable_days GROUP BY district_code',
  );
  const result: Record<string, string | null> = { [WIB]: null, [WITA]: null, [WIT]: null };
  for (const row of rows) {
    result[row.district_code] = row.day;
  }
  return result;
}

/** Every summary row, for comparing whole tables. */
async function snapshot(db: Db, withGeneration = true): Promise<string[]> {
  const rows = await db.query<Record<string, string | number>>(
    `SELECT 'd' AS t, district_code, kecamatan, day AS period, ends_at, unable_ms, basis, generation FROM figures_unable_days
     UNION ALL
     SELECT 'm', district_code, kecamatan, month, ends_at, unable_ms, basis, generation FROM figures_unable_months`,
  );
  return rows
    .map((row) =>
      [row.t, row.district_code, row.kecamatan, row.period, row.ends_at, Number(row.unable_ms), row.basis]
        .concat(withGeneration ? [Number(row.generation)] : [])
        .join('|'),
    )
    .sort();
}

async function count(db: Db, table: string, where = '1 = 1', params: (string | number)[] = []): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`, params);
  return Number(row.n);
}

async function unableMs(db: Db, district: string, kecamatan: string, day: string): Promise<number> {
  const [row] = await db.query<{ unable_ms: number | string }>(
    'SELECT unable_ms FROM figures_unable_days WHERE district_code = $1 AND kecamatan = $2 AND day = $3',
    [district, kecamatan, day],
  );
  assert.ok(row !== undefined, `a row for ${kecamatan} ${day}`);
  return Number(row.unable_ms);
}

/** A PC left on: one heartbeat of each station named, at `atMs`, stored then. */
async function leftOn(setup: Setup, atMs: number, ...stations: TestStation[]): Promise<void> {
  for (const station of stations) {
    await heard(setup, station, atMs, atMs + 1, HEALTHY, 'http', atMs);
  }
}

for (const engine of ['sqlite', 'postgres'] as const) {
  test(`${engine}: the job writes yesterday once the day is over in WITA, then in WIB, never today`, async () => {
    const setup = await seeded(engine);
    try {
      const { db, stations } = setup;
      const pass = (nowMs: number, remembered?: Map<string, string>): Promise<AheadResult> =>
        writeAhead(db, { nowMs, windowMs: WINDOW, remembered });
      // 15:45 UTC on Wednesday 11 March: 22:45 WIB, 23:45 WITA; both PCs still on.
      await leftOn(setup, Date.parse('2026-03-11T15:45:00Z'), stations.tangen, stations.denpasar);
      const first = await pass(Date.parse('2026-03-11T15:50:00Z'));
      assert.deepEqual(await lastDays(db), { [WIB]: '2026-03-10', [WITA]: '2026-03-10', [WIT]: null });
      assert.equal(first.districts, 3);
      assert.equal(await count(db, 'figures_unable_days', 'district_code = $1', [WIT]), 0, 'never heard: nothing');
      // 16:30 UTC: WITA's Wednesday is over (00:30 WITA), WIB's is not (23:30 WIB).
      await leftOn(setup, Date.parse('2026-03-11T16:25:00Z'), stations.tangen, stations.denpasar);
      const remembered = new Map<string, string>();
      const second = await pass(Date.parse('2026-03-11T16:30:00Z'), remembered);
      assert.deepEqual(await lastDays(db), { [WIB]: '2026-03-10', [WITA]: '2026-03-11', [WIT]: null });
      assert.equal(second.days, 1, "only Denpasar Barat's Wednesday");
      // Silent all Wednesday (no heartbeat in WITA on Wednesdays): the whole service day, 7 hours.
      assert.equal(await unableMs(db, WITA, 'Denpasar Barat', '2026-03-11'), 7 * HOUR);
      await sameAsLive(setup, Date.parse('2026-03-11T16:30:00Z'), 'at 16:30 UTC', 0);
      // The same pass again: nothing changed, each district skipped after a few queries; without
      // its memory (another process, a restart) it checks everything and writes nothing.
      const before = await snapshot(db);
      const again = await pass(Date.parse('2026-03-11T16:35:00Z'), remembered);
      assert.deepEqual([again.unchanged, again.days, again.months], [3, 0, 0]);
      const fresh = await pass(Date.parse('2026-03-11T16:35:00Z'));
      assert.deepEqual([fresh.unchanged, fresh.days, fresh.months], [0, 0, 0]);
      assert.deepEqual(await snapshot(db), before, 'idempotent');
      // 17:30 UTC (00:30 WIB): WIB's Wednesday is over, once a heartbeat past its midnight is stored.
      await pass(Date.parse('2026-03-11T17:30:00Z'), remembered);
      assert.equal((await lastDays(db))[WIB], '2026-03-10', 'no heartbeat after WIB midnight yet');
      await leftOn(setup, Date.parse('2026-03-11T17:20:00Z'), stations.tangen);
      const third = await pass(Date.parse('2026-03-11T17:30:00Z'), remembered);
      assert.deepEqual(await lastDays(db), { [WIB]: '2026-03-11', [WITA]: '2026-03-11', [WIT]: null });
      assert.equal(third.days, 2, "Tangen's and Gesi's Wednesday");
      assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-11'), 7 * HOUR, 'Gesi silent since Thursday');
      assert.equal(await unableMs(db, WIB, 'Tangen', '2026-03-11'), 0);
      assert.equal(await unableMs(db, WIB, 'Tangen', '2026-03-10'), HOUR, 'broken Tuesday 10:00-11:00');
      // Six months of days are summarised (zero before the stations were enrolled), and the months over.
      assert.equal(await count(db, 'figures_unable_days', 'day = $1', ['2025-10-01']), 3);
      assert.equal(await count(db, 'figures_unable_months'), 3 * 5, 'October to February, three kecamatan');
      await sameAsLive(setup, Date.parse('2026-03-11T17:30:00Z'), 'at 17:30 UTC', 0);
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: after a gap the view gives the live figures without writing the backlog, and the job catches up in batches`, async () => {
    const setup = await seeded(engine);
    try {
      const { db, stations } = setup;
      const now = Date.parse('2026-03-11T17:30:00Z');
      await leftOn(setup, now - 10 * MINUTE, stations.tangen, stations.denpasar);
      // A backlog bigger than a view may write: computed live, nothing written.
      await sameAsLive(setup, now, 'the job behind', 10);
      assert.equal(await count(db, 'figures_unable_days'), 0, 'the view wrote no row of the backlog');
      // A pass stopped after two batches of 7 kecamatan-days, then one that finishes.
      let asked = 0;
      const stopped = await writeAhead(db, { nowMs: now, windowMs: WINDOW, batchRows: 7, stopping: () => ++asked > 2 });
      assert.equal(stopped.complete, false);
      assert.equal(stopped.batches, 2);
      assert.equal(await count(db, 'figures_unable_days'), 14);
      await sameAsLive(setup, now, 'half written', 10);
      const finished = await writeAhead(db, { nowMs: now, windowMs: WINDOW, batchRows: 7 });
      assert.equal(finished.complete, true);
      // 1 October to 11 March: 162 days for each of the three kecamatan heard.
      assert.equal(finished.days, 3 * 162 - 14);
      assert.ok(finished.batches >= Math.ceil(finished.days / 7), `${finished.batches} batches`);
      const small = await snapshot(db, false);
      await sameAsLive(setup, now, 'caught up');
      assert.equal(await count(db, 'figures_unable_days'), 3 * 162, 'a view after the job writes nothing more');
      // The size of the batches changes no number.
      await db.run('DELETE FROM figures_unable_days');
      await db.run('DELETE FROM figures_unable_months');
      await writeAhead(db, { nowMs: now, windowMs: WINDOW, batchRows: 100_000 });
      assert.deepEqual(await snapshot(db, false), small);
      // A small backlog (one day) the first view writes itself, as before the job.
      await db.run("DELETE FROM figures_unable_days WHERE day = '2026-03-11'");
      await sameAsLive(setup, now, 'one day behind');
      assert.equal(await count(db, 'figures_unable_days', "day = '2026-03-11'"), 3);
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: a late bundle after the job marks the days late; views give the live count and the next pass recomputes them`, async () => {
    const setup = await seeded(engine);
    try {
      const { db, stations } = setup;
      const now = wib('2026-03-12', '09:00');
      await leftOn(setup, wib('2026-03-12', '07:30'), stations.tangen, stations.denpasar);
      const remembered = new Map<string, string>();
      await writeAhead(db, { nowMs: now, windowMs: WINDOW, remembered });
      assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-09'), 7 * HOUR);
      // Thursday 09:00: Gesi's bundle of Friday 6 to Wednesday 11 March, broken on Monday 9 March.
      for (const date of ['2026-03-06', '2026-03-09', '2026-03-10', '2026-03-11']) {
        await heard(setup, stations.gesi, wib(date, '08:00'), wib(date, '13:00'), date === '2026-03-09' ? BROKEN : HEALTHY, 'bundle', now);
      }
      assert.equal(await count(db, 'figures_late', 'kecamatan = $1', ['Gesi']), 1);
      await sameAsLive(setup, now, 'after the bundle, the job not run yet', 0);
      assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-10'), 7 * HOUR, 'the stale row is still there');
      const pass = await writeAhead(db, { nowMs: now, windowMs: WINDOW, remembered });
      assert.equal(pass.unchanged, 2, 'WITA and WIT unchanged');
      assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-10'), 115 * MINUTE, 'heard until 12:55, the window to 13:05, open to 15:00');
      assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-09'), 7 * HOUR, 'broken all the time heard');
      assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-06'), 115 * MINUTE);
      assert.equal(await unableMs(db, WIB, 'Tangen', '2026-03-10'), HOUR, 'Tangen untouched');
      await sameAsLive(setup, now, 'recomputed by the job', 0);
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: hostile: a holiday for a past day, a time zone changed, the clock a month ahead and back`, async () => {
    const setup = await seeded(engine);
    try {
      const { db, stations } = setup;
      const now = wib('2026-03-12', '09:00');
      await leftOn(setup, wib('2026-03-12', '07:30'), stations.tangen, stations.denpasar);
      const remembered = new Map<string, string>();
      await writeAhead(db, { nowMs: now, windowMs: WINDOW, remembered });
      assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-10'), 7 * HOUR);
      // A holiday decided for Tuesday 10 March, after the job summed it.
      await addClosedDay(db, { date: '2026-03-10', kecamatan: null, note: 'Cuti bersama', nowMs: now });
      await sameAsLive(setup, now, 'the holiday, the job not run yet', 0);
      const afterHoliday = await writeAhead(db, { nowMs: now, windowMs: WINDOW, remembered });
      assert.equal(afterHoliday.days, 2 * 162, "every day of the WIB district's two kecamatan");
      assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-10'), 0, 'closed: no service hours');
      assert.equal(await unableMs(db, WITA, 'Denpasar Barat', '2026-03-11'), 7 * HOUR, "WITA's own calendar");
      await sameAsLive(setup, now, 'the holiday, rewritten', 0);
      // The WIB district moves to WITA: its days end an hour earlier.
      await setTimeZone(db, 'WITA', now, WIB);
      await sameAsLive(setup, now, 'now WITA, the job not run yet', 0);
      await writeAhead(db, { nowMs: now, windowMs: WINDOW, remembered });
      const [row] = await db.query<{ ends_at: string }>(
        "SELECT ends_at FROM figures_unable_days WHERE district_code = $1 AND kecamatan = 'Gesi' AND day = '2026-03-09'",
        [WIB],
      );
      assert.equal(row.ends_at, '2026-03-09T16:00:00.000Z');
      await sameAsLive(setup, now, 'now WITA, rewritten', 0);
      // The server's clock jumps a month ahead and a pass runs: no day after the newest heartbeat is written.
      const ahead = wib('2026-04-12', '09:00');
      await writeAhead(db, { nowMs: ahead, windowMs: WINDOW });
      assert.deepEqual(await lastDays(db), { [WIB]: '2026-03-11', [WITA]: '2026-03-11', [WIT]: null });
      // And back, a day before the last pass: nothing to write, nothing broken. The districts' newest
      // heartbeats are now ahead of the clock, so the rows of days that end after it (and the late
      // margin) go: heartbeats stored on this clock in them would not be late (figures-ahead-hostile).
      const back = wib('2026-03-11', '12:00');
      const before = await snapshot(db);
      const passBack = await writeAhead(db, { nowMs: back, windowMs: WINDOW });
      assert.deepEqual([passBack.days, passBack.months], [0, 0]);
      const margin = new Date(back + 5 * MINUTE).toISOString();
      const kept = before.filter((row) => row.split('|')[4]! <= margin);
      assert.ok(kept.length < before.length, 'rows of a day not over by the clock went');
      assert.deepEqual(await snapshot(db), kept);
      await sameAsLive(setup, back, 'the clock back', 0);
      // The clock right again: Thursday's heartbeats go on, the figures follow them.
      await heard(setup, stations.tangen, wib('2026-03-12', '07:35'), wib('2026-03-12', '15:30'));
      await heard(setup, stations.gesi, wib('2026-03-12', '09:00'), wib('2026-03-13', '00:30'));
      await writeAhead(db, { nowMs: wib('2026-03-13', '00:40'), windowMs: WINDOW });
      assert.equal((await lastDays(db))[WIB], '2026-03-12');
      await sameAsLive(setup, wib('2026-03-13', '00:40'), 'the clock right again');
    } finally {
      await setup.district.close();
    }
  });
}

test('postgres: two processes never write a row twice nor deadlock, with heartbeats and views meanwhile', async () => {
  const setup = await seeded('postgres');
  const other = await openDatabase({ url: setup.url, dataDir: '/nonexistent' });
  try {
    const { db, stations } = setup;
    const now = wib('2026-03-12', '09:00');
    await leftOn(setup, wib('2026-03-12', '07:30'), stations.tangen, stations.denpasar);
    // Every row written, logged by a trigger (test only).
    await db.run('CREATE TABLE test_writes (kind TEXT NOT NULL, district_code TEXT NOT NULL, kecamatan TEXT NOT NULL, period TEXT NOT NULL)');
    for (const [table, period] of [
      ['figures_unable_days', 'day'],
      ['figures_unable_months', 'month'],
    ]) {
      await db.run(
        `CREATE FUNCTION test_log_${period}() RETURNS trigger LANGUAGE plpgsql AS
         'BEGIN INSERT INTO test_writes VALUES (''${period}'', NEW.district_code, NEW.kecamatan, NEW.${period}); RETURN NEW; END'`,
      );
      await db.run(`CREATE TRIGGER test_log AFTER INSERT OR UPDATE ON ${table} FOR EACH ROW EXECUTE FUNCTION test_log_${period}()`);
    }
    const writtenTwice = async (): Promise<number> =>
      count(db, '(SELECT 1 FROM test_writes GROUP BY kind, district_code, kecamatan, period HAVING COUNT(*) > 1) AS twice');
    const rows = async (): Promise<number> =>
      (await count(db, 'figures_unable_days')) + (await count(db, 'figures_unable_months'));

    // Two passes at once, one per process, in small batches.
    const both = await Promise.all([
      writeAheadExclusive(db, { nowMs: now, windowMs: WINDOW, batchRows: 20 }),
      writeAheadExclusive(other, { nowMs: now, windowMs: WINDOW, batchRows: 20 }),
    ]);
    assert.ok(both.some((result) => result !== null), 'one of them ran');
    const written = both.reduce((sum, result) => sum + (result === null ? 0 : result.days + result.months), 0);
    assert.equal(written, 3 * 162 + 3 * 5);
    assert.equal(await rows(), written);
    assert.equal(await count(db, 'test_writes'), written);
    assert.equal(await writtenTwice(), 0);

    // While the other process holds the job's lock: a pass here skips its turn, a view with a small
    // backlog writes nothing (the job will) and still gives the live figures.
    await db.run("DELETE FROM figures_unable_days WHERE day = '2026-03-11'");
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = withAdvisoryLock(other, 'figures', { wait: false }, async () => {
      locked();
      await held;
    });
    await isLocked;
    try {
      assert.equal(await writeAheadExclusive(db, { nowMs: now, windowMs: WINDOW }), null);
      const logged = await count(db, 'test_writes');
      await sameAsLive(setup, now, 'the lock held elsewhere');
      assert.equal(await count(db, 'test_writes'), logged, 'the view wrote nothing');
    } finally {
      release();
    }
    assert.equal((await holder).ran, true);

    // Two servers start at once, each catching up at start: every missing row written once (Tangen's
    // days of March, its months over keeping their totals, and the other two Wednesdays the view left).
    await db.run("DELETE FROM figures_unable_days WHERE kecamatan = 'Tangen'");
    await db.run('DELETE FROM test_writes');
    const start = (): ReturnType<typeof startFiguresAhead>[] =>
      [db, other].map((handle) =>
        startFiguresAhead(handle, {
          windowMs: WINDOW,
          now: () => now,
          onError: (error) => assert.fail(String(error)),
          batchRows: 3,
        }),
      );
    const timers = start();
    await Promise.all(timers.map((timer) => timer.runNow()));
    for (const timer of timers) {
      await timer.stop();
    }
    assert.equal(await count(db, 'test_writes'), 11 + 2);
    assert.equal(await writtenTwice(), 0);

    // Gesi's bundle stored by one process while the other's pass writes in small batches and a view
    // runs: no deadlock, and the next pass counts the bundle.
    await db.run('DELETE FROM figures_unable_days');
    await db.run('DELETE FROM figures_unable_months');
    const busy = start();
    const bundle = (async () => {
      for (const date of ['2026-03-06', '2026-03-09', '2026-03-10', '2026-03-11']) {
        await heard(setup, stations.gesi, wib(date, '08:00'), wib(date, '13:00'), HEALTHY, 'bundle', now);
      }
    })();
    await Promise.all([bundle, figures(db, { nowMs: now, windowMs: WINDOW }), ...busy.map((timer) => timer.runNow())]);
    for (const timer of busy) {
      await timer.stop();
    }
    assert.notEqual(await writeAheadExclusive(db, { nowMs: now, windowMs: WINDOW }), null);
    await sameAsLive(setup, now, 'caught up after the bundle', 0);
    assert.equal(await unableMs(db, WIB, 'Gesi', '2026-03-10'), 115 * MINUTE, 'the bundle counted');
  } finally {
    await other.close();
    await setup.district.close();
  }
});

test('postgres: two `siaga-district serve` on one database write the summary at start, each row once', async () => {
  const url = (await databaseUrl('postgres', postgres, 'ahead'))!;
  // On the real clock (serve's): a station enrolled four days ago, heard since, its heartbeats of
  // the last four days stored now (a bundle), the last a minute ago.
  const now = Date.now();
  const clock = { now: now - 4 * DAY };
  const district = await startTestDistrict({ url, now: () => clock.now });
  const station = new TestStation();
  try {
    await station.enroll(district, 'Loket Tangen', 'Tangen');
    const events: Event[] = [];
    for (let at = clock.now; at < now - MINUTE; at += 5 * MINUTE) {
      events.push(heartbeat(station, at, Math.floor(at / HOUR) % 5 === 0 ? BROKEN : HEALTHY));
    }
    clock.now = now;
    for (let first = 0; first < events.length; first += 500) {
      await storeEvents(district.db, station.stationId, events.slice(first, first + 500), {
        nowMs: now,
        source: 'bundle',
        heartbeatWindowMs: WINDOW,
      });
    }
    await district.db.run('CREATE TABLE test_writes (period TEXT NOT NULL)');
    await district.db.run(
      `CREATE FUNCTION test_log() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN INSERT INTO test_writes VALUES (NEW.day); RETURN NEW; END'`,
    );
    await district.db.run('CREATE TRIGGER test_log AFTER INSERT OR UPDATE ON figures_unable_days FOR EACH ROW EXECUTE FUNCTION test_log()');
  } finally {
    await district.close();
  }
  const servers = await Promise.all(
    [0, 1].map(() => startDistrictProcess(0, ['--db', url, '--heartbeat-window-minutes', String(WINDOW / MINUTE)])),
  );
  const db = await openDatabase({ url, dataDir: '/nonexistent' });
  try {
    // Every day of the page's months up to yesterday (WIB) is written by one of them.
    const first = localDay(monthRange(now, DEFAULT_FIGURES_MONTHS - 1, 7 * 60).fromMs, 'WIB').startMs;
    const expected = (): number => (localDay(Date.now(), 'WIB').startMs - first) / DAY;
    const deadline = Date.now() + 120_000;
    while ((await count(db, 'figures_unable_days')) < expected() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    assert.equal(await count(db, 'figures_unable_days'), expected(), servers.map((server) => server.output()).join('\n'));
    assert.equal(await count(db, 'test_writes'), expected(), 'each row written once');
    const viewedAt = Date.now();
    assert.deepEqual(
      await figures(db, { nowMs: viewedAt, windowMs: WINDOW, summaryWriteLimit: 0 }),
      await figures(db, { nowMs: viewedAt, windowMs: WINDOW, summary: false }),
    );
    for (const server of servers) {
      assert.doesNotMatch(server.output(), /figures summary pass failed/);
    }
  } finally {
    await db.close();
    await Promise.all(servers.map((server) => server.stop()));
  }
});
