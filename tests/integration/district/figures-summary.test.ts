// The figures from the summary of days (figures/summary.ts, migration 701) give exactly the numbers
// the live count gives (figures({ summary: false }), the way before), on SQLite and PostgreSQL, over
// two months of heartbeats stored by the real intake: two stations in one kecamatan, one with its
// own Saturday hours, a station enrolled mid-month and never heard, one added mid-month to a
// kecamatan already counted, a kecamatan with no enrolled station, a holiday set after its day was
// summed, views at opening, closing and midnight, a day of silence filled by a bundle imported days
// later, a forwarded backlog over HTTP, and a view at an earlier time than the last one.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { HeartbeatPayload } from '../../../protocol/events';
import { addClosedDay, setServiceWeek } from '../../../district/server/calendar/store';
import type { Db } from '../../../district/server/db/types';
import { figures } from '../../../district/server/figures/report';
import type { Figures } from '../../../district/server/figures/report';
import { storeEvents } from '../../../district/server/intake/intake';
import { addStation } from '../../../district/server/stations/stations';
import { HEALTHY, heartbeat } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WINDOW = 15 * MINUTE;
/** Monday 2 February 2026, 00:00 WIB. */
const FEBRUARY_2 = Date.parse('2026-02-01T17:00:00Z');
const FAULTY = { ...HEALTHY, fingerprint: 'fault' } as const;

/** A station's heartbeats every 10 minutes in [fromMs, toMs) (district clock, the station's clock right). */
function heartbeatsOf(
  station: TestStation,
  fromMs: number,
  toMs: number,
  roleStatus: HeartbeatPayload['roleStatus'] = HEALTHY,
): ReturnType<typeof heartbeat>[] {
  const events = [];
  for (let at = fromMs; at < toMs; at += 10 * MINUTE) {
    const event = heartbeat(station, at, roleStatus);
    if (event.type === 'heartbeat') {
      event.payload.clockOffsetMs = 0;
    }
    events.push(event);
  }
  return events;
}

/** The district's clock (enrollment, settings), moved by the scenario. */
let clock = FEBRUARY_2;

async function scenario(url: string | undefined): Promise<void> {
  clock = FEBRUARY_2;
  const district: TestDistrict = await startTestDistrict({ url, now: () => clock });
  const db: Db = district.db;
  const compared: Figures[] = [];
  /** Both ways at `nowMs` (the summary first, so it writes the days it computes); returns the figures. */
  const both = async (nowMs: number, months = 3): Promise<Figures> => {
    clock = nowMs;
    const summed = await figures(db, { nowMs, windowMs: WINDOW, months });
    const live = await figures(db, { nowMs, windowMs: WINDOW, months, summary: false });
    assert.deepEqual(summed, live, `at ${new Date(nowMs).toISOString()}`);
    compared.push(summed);
    return summed;
  };
  const store = async (
    station: TestStation,
    events: ReturnType<typeof heartbeat>[],
    nowMs: number,
    source: 'http' | 'bundle' = 'http',
  ) => {
    clock = nowMs;
    if (events.length > 0) {
      await storeEvents(db, station.stationId, events, { nowMs, source, heartbeatWindowMs: WINDOW });
    }
  };
  try {
    const enrolled = async (kecamatan: string, atMs: number): Promise<TestStation> => {
      clock = atMs;
      const station = new TestStation();
      await station.enroll(district, `Loket ${kecamatan}`, kecamatan);
      return station;
    };
    // No station yet: nothing listed, nothing written.
    assert.deepEqual((await both(FEBRUARY_2 - DAY + HOUR)).kecamatan, []);
    const first = await enrolled('Tangen', FEBRUARY_2);
    const second = await enrolled('Tangen', FEBRUARY_2);
    const gesi = await enrolled('Gesi', FEBRUARY_2);
    // A kecamatan with a station not enrolled: no stations to count, never listed.
    await addStation(db, { name: 'Loket Kosong', kecamatan: 'Kosong' });
    // Gesi serves on Saturday mornings too; the district's hours otherwise (08:00-15:00 WIB, Mon-Fri).
    await setServiceWeek(db, {
      kecamatan: 'Gesi',
      week: {
        mon: ['08:00-15:00'],
        tue: ['08:00-15:00'],
        wed: ['08:00-15:00'],
        thu: ['08:00-15:00'],
        fri: ['08:00-15:00'],
        sat: ['08:00-12:00'],
        sun: [],
      },
      nowMs: clock,
    });
    await addClosedDay(db, { date: '2026-02-17', kecamatan: null, note: 'Libur', nowMs: clock });
    let sambung: TestStation | undefined;
    let added: TestStation | undefined;
    for (let day = 0; day < 56; day++) {
      const midnight = FEBRUARY_2 + day * DAY;
      const at = (hours: number): number => midnight + hours * HOUR;
      const weekday = day % 7;
      if (day === 9) {
        // Wednesday 11 February, 10:00: enrolled, never heard.
        sambung = await enrolled('Sambung', at(10));
      }
      if (day === 16) {
        // Wednesday 18 February, 09:30: a third station for Tangen, changing the days before it.
        added = await enrolled('Tangen', at(9.5));
      }
      if (weekday < 6) {
        // The first station: on from 07:40 until 15:05, a fault on Tuesdays 10:00-11:30.
        const faulty = weekday === 1;
        await store(first, heartbeatsOf(first, at(7 + 40 / 60), faulty ? at(10) : at(15 + 5 / 60)), at(10));
        if (faulty) {
          await store(first, heartbeatsOf(first, at(10), at(11.5), FAULTY), at(11.5));
          await store(first, heartbeatsOf(first, at(11.5), at(15 + 5 / 60)), at(15 + 5 / 60));
        }
        // The second: off on Mondays and Thursdays, else on from 08:00 exactly until 14:00.
        if (weekday !== 0 && weekday !== 3) {
          await store(second, heartbeatsOf(second, at(8), at(14)), at(14));
        }
        // Gesi: on at 09:00, not on Saturday; from Friday 6 March to Wednesday 11 March silent.
        if (!(day >= 32 && day <= 37) && weekday !== 5) {
          await store(gesi, heartbeatsOf(gesi, at(9), at(16)), at(16));
        }
        if (added !== undefined && weekday % 2 === 0) {
          await store(added, heartbeatsOf(added, at(12), at(15)), at(15));
        }
      }
      if (day === 37) {
        // Wednesday 11 March, 09:00: Gesi's bundle of the silent days is imported (stored at 09:00).
        const backlog = [32, 33, 35, 36].flatMap((back) =>
          heartbeatsOf(
            gesi,
            FEBRUARY_2 + back * DAY + 8 * HOUR,
            FEBRUARY_2 + back * DAY + 13 * HOUR,
            back === 33 ? FAULTY : HEALTHY,
          ),
        );
        await store(gesi, backlog, at(9), 'bundle');
      }
      if (day === 40 && sambung !== undefined) {
        // Saturday 14 March: Sambung's first heartbeats ever, a forwarded backlog of Friday 13 March.
        await store(sambung, heartbeatsOf(sambung, at(-1 * 24 + 8), at(-1 * 24 + 12)), at(20));
      }
      if (day === 20) {
        // A holiday decided late, for Friday 20 February (already summed when it was a workday).
        await addClosedDay(db, { date: '2026-02-20', kecamatan: null, note: 'Cuti bersama', nowMs: at(12) });
      }
      if (day % 3 === 0 || day >= 30) {
        // Views at opening, mid-day, closing and just after midnight.
        for (const hours of day % 2 === 0 ? [8, 12.25] : [15, 24]) {
          await both(at(hours));
        }
      }
    }
    // Exactly midnight, a month's first instant, and a view earlier than the last.
    await both(Date.parse('2026-03-01T17:00:00Z'));
    await both(Date.parse('2026-02-28T17:00:00Z'));
    await both(Date.parse('2026-03-20T05:00:00Z'), 6);

    const last = compared[compared.length - 1];
    // The scenario counts something in every kecamatan with stations, lists Sambung, never Kosong.
    assert.deepEqual(last.kecamatan, ['Gesi', 'Sambung', 'Tangen']);
    for (const name of last.kecamatan) {
      assert.ok(
        last.months.some((month) => (month.hoursUnable[name] ?? 0) > 0),
        `${name} has hours unable in ${JSON.stringify(last.months)}`,
      );
    }
    const rows = Number(
      (await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM figures_unable_days'))[0].n,
    );
    assert.ok(rows > 3 * 40, `days summed: ${rows}`);
    // The late heartbeats marked Gesi (the bundle) and Sambung (the backlog) late, and Tangen: its
    // second station's first heartbeat came the day after its enrollment, ending "never heard".
    const late = await db.query<{ kecamatan: string }>(
      'SELECT kecamatan FROM figures_late ORDER BY kecamatan',
    );
    assert.deepEqual(
      late.map((row) => row.kecamatan),
      ['Gesi', 'Sambung', 'Tangen'],
    );
    // The page reads the stored days: a changed row changes the figures (and only the summed ones).
    const nowMs = Date.parse('2026-03-20T05:00:00Z');
    await db.run(
      `UPDATE figures_unable_days SET unable_ms = unable_ms + 360000 WHERE kecamatan = 'Tangen' AND day = '2026-03-03'`,
    );
    const tampered = await figures(db, { nowMs, windowMs: WINDOW, months: 1 });
    const live = await figures(db, { nowMs, windowMs: WINDOW, months: 1, summary: false });
    assert.equal(
      Math.round((tampered.months[0].hoursUnable.Tangen - live.months[0].hoursUnable.Tangen) * 10) / 10,
      0.1,
    );
    // A month over is read as its total.
    await db.run(
      `UPDATE figures_unable_months SET unable_ms = unable_ms + 720000 WHERE kecamatan = 'Tangen' AND month = '2026-02'`,
    );
    const tamperedMonth = await figures(db, { nowMs, windowMs: WINDOW, months: 2 });
    const liveMonths = await figures(db, { nowMs, windowMs: WINDOW, months: 2, summary: false });
    assert.equal(liveMonths.months[0].month, '2026-02');
    assert.equal(
      Math.round(
        (tamperedMonth.months[0].hoursUnable.Tangen - liveMonths.months[0].hoursUnable.Tangen) * 10,
      ) / 10,
      0.2,
    );
  } finally {
    await district.close();
  }
}

let postgres: TestPostgres;
before(async () => {
  postgres = await startPostgres();
});
after(async () => postgres.stop());

test('SQLite: the figures from the summary of days equal the live count', () => scenario(undefined));
test('PostgreSQL: the figures from the summary of days equal the live count', () => scenario(postgres.url));
