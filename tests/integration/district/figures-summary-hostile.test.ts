// Hostile cases of the figures' summary of days (figures/summary.ts, late.ts): after each change a
// view from the summary must give what the live count gives (`summary: false`), on SQLite and on
// PostgreSQL. Cases: a peer's backlog forwarded days late, a station a peer moves to another
// kecamatan and back, holidays added and removed for past days, service hours and the time zone
// changed, the heartbeat window changed, a bundle of heartbeats from 40 days ago, views at
// 23:59:59.999 and at midnight across February's end and a 31st, a view of a month ahead of the
// heartbeats (a server clock wrong, then corrected), the process's TZ set to New York, and a view
// racing a late import on two PostgreSQL connections.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addClosedDay,
  removeClosedDay,
  setServiceWeek,
  setTimeZone,
} from '../../../district/server/calendar/store';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { recordHeartbeat } from '../../../district/server/figures/availability';
import { figures } from '../../../district/server/figures/report';
import { storeEvents } from '../../../district/server/intake/intake';
import { addPeer, storeForwarded } from '../../../district/server/peering/peers';
import type { PeerRow } from '../../../district/server/peering/peers';
import type { Event, HeartbeatPayload } from '../../../protocol/events';
import { HEALTHY, heartbeat } from '../../helpers/dashboard';
import { TestStation } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';
import { BROKEN, DAY, enrolledAt, heartbeatsEvery5Minutes, HOUR, MINUTE, startFiguresDistrict, wib, WINDOW } from '../../helpers/figures';
import type { FiguresDistrict } from '../../helpers/figures';

let postgres: TestPostgres;
before(async () => {
  postgres = await startPostgres();
});
after(async () => postgres.stop());

type Setup = FiguresDistrict;

const start = (engine: 'sqlite' | 'postgres', nowMs: number): Promise<Setup> =>
  startFiguresDistrict(engine, postgres, 'hostile', nowMs);

/** The view from the summary, twice (the first writes, the second reads), equals the live count. */
async function same(db: Db, nowMs: number, label: string, months = 3): Promise<void> {
  const live = await figures(db, { nowMs, windowMs: WINDOW, months, summary: false });
  for (const pass of ['first', 'second']) {
    const summary = await figures(db, { nowMs, windowMs: WINDOW, months });
    assert.deepEqual(summary, live, `${label} (${pass} view from the summary)`);
  }
}

const enrolled = (setup: Setup, kecamatan: string, atMs: number): Promise<TestStation> =>
  enrolledAt(setup, 'Loket 1', kecamatan, atMs);

/** Heartbeats every 5 minutes in [fromMs, toMs), sent live in one batch at toMs (the station's clock right). */
const live = (
  setup: Setup,
  station: TestStation,
  fromMs: number,
  toMs: number,
  roles: HeartbeatPayload['roleStatus'] = HEALTHY,
): Promise<void> => heartbeatsEvery5Minutes({ clock: setup.clock, db: setup.district.db }, station, fromMs, toMs, { roles });

for (const engine of ['sqlite', 'postgres'] as const) {
  test(`${engine}: a peer's backlog forwarded two days late replaces the silence the summary kept`, async () => {
    const setup = await start(engine, wib('2026-02-23', '07:00'));
    try {
      const { db } = setup.district;
      const peer = await addPeer(db, { districtName: 'Kabupaten Hilir', nowMs: setup.clock.now });
      const row: PeerRow = {
        id: peer.peerId,
        district_name: 'Kabupaten Hilir',
        public_key: 'k',
        district_code: 'default',
      };
      // A station of the province's own, heard all along: the district's newest heartbeat is recent.
      const own = await enrolled(setup, 'Pusat', wib('2026-02-23', '07:00'));
      await live(setup, own, wib('2026-02-23', '07:00'), wib('2026-02-25', '09:30'));
      const station = new TestStation();
      station.stationId = 'loket-1';
      const forward = async (
        nowMs: number,
        events: { event: Event; receivedAt: number }[],
      ): Promise<void> => {
        setup.clock.now = nowMs;
        await storeForwarded(
          db,
          row,
          {
            stations: [{ id: 'loket-1', name: 'Loket 1', kecamatan: 'Hilir' }],
            events: events.map(({ event, receivedAt }) => ({
              event,
              receivedAt: new Date(receivedAt).toISOString(),
              source: 'http',
            })),
          },
          { nowMs, heartbeatWindowMs: WINDOW },
        );
      };
      // Monday to Tuesday 06:00: forwarded as it happens.
      const heard = (fromMs: number, toMs: number): { event: Event; receivedAt: number }[] => {
        const list: { event: Event; receivedAt: number }[] = [];
        for (let at = fromMs; at < toMs; at += 5 * MINUTE) {
          list.push({ event: heartbeat(station, at, HEALTHY), receivedAt: at });
        }
        return list;
      };
      const monday = heard(wib('2026-02-23', '07:00'), wib('2026-02-24', '06:00'));
      for (let first = 0; first < monday.length; first += 100) {
        await forward(
          monday[Math.min(first + 99, monday.length - 1)].receivedAt,
          monday.slice(first, first + 100),
        );
      }
      // From Tuesday 06:00 the link to the province is down; Wednesday 09:00 the province views its figures.
      await same(db, wib('2026-02-25', '09:00'), 'before the backlog');
      const before = await figures(db, {
        nowMs: wib('2026-02-25', '09:30'),
        windowMs: WINDOW,
        summary: false,
      });
      // Wednesday 09:30 the peer forwards Tuesday's day, received live downstream on Tuesday (none
      // of it near a midnight of WIB, WITA or WIT).
      const tuesday = heard(wib('2026-02-24', '06:00'), wib('2026-02-24', '17:00'));
      for (let first = 0; first < tuesday.length; first += 100) {
        await forward(wib('2026-02-25', '09:30'), tuesday.slice(first, first + 100));
      }
      const after = await figures(db, {
        nowMs: wib('2026-02-25', '09:30'),
        windowMs: WINDOW,
        summary: false,
      });
      assert.equal(
        before.months.at(-1)!.hoursUnable.Hilir - after.months.at(-1)!.hoursUnable.Hilir,
        7,
        "the live count: Tuesday's 7 hours were heard",
      );
      await same(db, wib('2026-02-25', '09:30'), 'after the backlog');
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: a station a peer moves to another kecamatan and back keeps no stale day`, async () => {
    const setup = await start(engine, wib('2026-02-23', '07:00'));
    try {
      const { db } = setup.district;
      const peer = await addPeer(db, { districtName: 'Kabupaten Hilir', nowMs: setup.clock.now });
      const row: PeerRow = {
        id: peer.peerId,
        district_name: 'Kabupaten Hilir',
        public_key: 'k',
        district_code: 'default',
      };
      const station = new TestStation();
      station.stationId = 'loket-1';
      const other = new TestStation();
      other.stationId = 'loket-2';
      const forward = async (
        nowMs: number,
        kecamatan: string,
        events: Event[],
        source: 'http' | 'bundle',
      ): Promise<void> => {
        setup.clock.now = nowMs;
        await storeForwarded(
          db,
          row,
          {
            stations: [
              { id: 'loket-1', name: 'Loket 1', kecamatan },
              { id: 'loket-2', name: 'Loket 2', kecamatan: 'Tengah' },
            ],
            events: events.map((event) => ({ event, receivedAt: new Date(nowMs).toISOString(), source })),
          },
          { nowMs, heartbeatWindowMs: WINDOW },
        );
      };
      const own = await enrolled(setup, 'Pusat', wib('2026-02-23', '07:00'));
      await live(setup, own, wib('2026-02-23', '07:00'), wib('2026-02-25', '07:00'));
      await forward(
        wib('2026-02-23', '07:00'),
        'Alfa',
        [
          heartbeat(station, wib('2026-02-23', '07:00'), HEALTHY),
          heartbeat(other, wib('2026-02-23', '07:00'), HEALTHY),
        ],
        'http',
      );
      // Silent since: Monday and Tuesday are summed for Alfa as unable from 07:10.
      await same(db, wib('2026-02-25', '07:00'), 'silent two days');
      // Renamed Beta by the peer, and its Monday and Tuesday arrive by a bundle carried by hand.
      const carried: Event[] = [];
      for (let at = wib('2026-02-23', '07:05'); at < wib('2026-02-25', '07:00'); at += 5 * MINUTE) {
        carried.push(heartbeat(station, at, HEALTHY));
      }
      for (let first = 0; first < carried.length; first += 200) {
        await forward(wib('2026-02-25', '07:30'), 'Beta', carried.slice(first, first + 200), 'bundle');
      }
      // Named Alfa again: the rows kept for Alfa's Monday and Tuesday were computed before the bundle.
      await forward(
        wib('2026-02-25', '08:00'),
        'Alfa',
        [heartbeat(station, wib('2026-02-25', '08:00'), HEALTHY)],
        'http',
      );
      await same(db, wib('2026-02-25', '09:00'), 'moved and back');
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: holidays, service hours, the time zone and the window changed after days were summed`, async () => {
    const setup = await start(engine, wib('2026-01-26', '07:00'));
    try {
      const { db } = setup.district;
      const north = await enrolled(setup, 'Utara', wib('2026-01-26', '07:00'));
      const south = await enrolled(setup, 'Selatan', wib('2026-01-26', '07:00'));
      // Utara heard mornings only, broken some afternoons; Selatan heard every other day.
      for (let day = wib('2026-01-26'); day < wib('2026-02-10'); day += DAY) {
        await live(setup, north, day + 7 * HOUR, day + 11 * HOUR);
        if ((day - wib('2026-01-26')) % (3 * DAY) === 0) {
          await live(setup, north, day + 11 * HOUR, day + 13 * HOUR, BROKEN);
        }
        if ((day - wib('2026-01-26')) % (2 * DAY) === 0) {
          await live(setup, south, day + 6 * HOUR, day + 17 * HOUR);
        }
      }
      const now = wib('2026-02-10', '09:30');
      await same(db, now, 'as heard');
      await addClosedDay(db, { date: '2026-01-28', kecamatan: null, note: 'Libur', nowMs: now });
      await same(db, now, 'a holiday added for a past day');
      await addClosedDay(db, { date: '2026-02-03', kecamatan: 'Selatan', note: 'Kantor tutup', nowMs: now });
      await same(db, now, 'a kecamatan closed day added');
      await removeClosedDay(db, { date: '2026-01-28', kecamatan: null });
      await same(db, now, 'the holiday removed');
      await setServiceWeek(db, {
        kecamatan: 'Utara',
        week: {
          mon: ['07:00-12:00', '13:00-16:00'],
          tue: ['08:00-15:00'],
          wed: [],
          thu: ['08:00-15:00'],
          fri: ['08:00-11:00'],
          sat: ['08:00-12:00'],
          sun: [],
        },
        nowMs: now,
      });
      await same(db, now, "Utara's own hours");
      await setServiceWeek(db, {
        kecamatan: null,
        week: {
          mon: ['09:00-14:00'],
          tue: ['09:00-14:00'],
          wed: ['09:00-14:00'],
          thu: ['09:00-14:00'],
          fri: ['09:00-14:00'],
          sat: [],
          sun: [],
        },
        nowMs: now,
      });
      await same(db, now, "the district's hours");
      await setServiceWeek(db, { kecamatan: 'Utara', week: null, nowMs: now });
      await same(db, now, "Utara back on the district's hours");
      await setTimeZone(db, 'WITA', now);
      await same(db, now, 'WITA');
      await same(db, wib('2026-02-10', '23:30'), 'WITA, 00:30 local: a day more is over');
      await setTimeZone(db, 'WIB', now);
      await same(db, now, 'WIB again');
      const wider = await figures(db, { nowMs: now, windowMs: 30 * MINUTE, summary: false });
      assert.deepEqual(await figures(db, { nowMs: now, windowMs: 30 * MINUTE }), wider, 'a wider window');
      await same(db, now, 'the window back');
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: a bundle from 40 days ago, views at 23:59:59.999 and midnight over February's end and a 31st`, async () => {
    const setup = await start(engine, wib('2026-01-02', '07:00'));
    try {
      const { db } = setup.district;
      const station = await enrolled(setup, 'Kota', wib('2026-01-02', '07:00'));
      await live(setup, station, wib('2026-01-02', '07:00'), wib('2026-01-02', '12:00'));
      // A view on each of these instants, in order.
      for (const at of [
        wib('2026-01-30', '23:59') + 59_999,
        wib('2026-01-31'),
        wib('2026-01-31', '23:59') + 59_999,
        wib('2026-02-01'),
        wib('2026-02-01') + 1,
      ]) {
        await same(db, at, `view at ${new Date(at).toISOString()}`);
      }
      // 40 days of heartbeats (1 January to 10 February) imported on 10 February: a bundle.
      const carried: Event[] = [];
      for (let day = wib('2026-01-02'); day < wib('2026-02-11'); day += DAY) {
        for (let at = day + 8 * HOUR; at < day + 14 * HOUR; at += 5 * MINUTE) {
          carried.push(heartbeat(station, at, (day / DAY) % 4 < 1 ? BROKEN : HEALTHY));
        }
      }
      await same(db, wib('2026-02-10', '16:00'), 'before the bundle');
      setup.clock.now = wib('2026-02-10', '16:00');
      for (let first = 0; first < carried.length; first += 500) {
        await storeEvents(db, station.stationId, carried.slice(first, first + 500), {
          nowMs: setup.clock.now,
          source: 'bundle',
          heartbeatWindowMs: WINDOW,
        });
      }
      await same(db, wib('2026-02-10', '16:00'), 'after the bundle');
      for (const at of [
        wib('2026-02-28', '23:59') + 59_999,
        wib('2026-03-01'),
        wib('2026-03-31', '23:59') + 59_999,
        wib('2026-04-01'),
      ]) {
        await same(db, at, `view at ${new Date(at).toISOString()}`, 4);
      }
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: a view a month ahead of the heartbeats (a server clock wrong, then corrected) leaves no stale day`, async () => {
    const setup = await start(engine, wib('2026-03-02', '07:00'));
    try {
      const { db } = setup.district;
      const station = await enrolled(setup, 'Kota', wib('2026-03-02', '07:00'));
      await live(setup, station, wib('2026-03-02', '07:00'), wib('2026-03-02', '09:00'));
      // The server's clock jumps to April and the page is viewed; corrected, the station goes on.
      await same(db, wib('2026-04-06', '09:00'), 'viewed in April');
      for (let day = wib('2026-03-03'); day < wib('2026-03-10'); day += DAY) {
        await live(setup, station, day + 7 * HOUR, day + 16 * HOUR);
      }
      await same(db, wib('2026-03-10', '09:00'), 'the clock corrected');
    } finally {
      await setup.district.close();
    }
  });

  test(`${engine}: TZ=America/New_York in the process changes no figure`, async () => {
    const setup = await start(engine, wib('2026-02-26', '07:00'));
    const saved = process.env.TZ;
    try {
      const { db } = setup.district;
      const station = await enrolled(setup, 'Kota', wib('2026-02-26', '07:00'));
      for (let day = wib('2026-02-26'); day < wib('2026-03-04'); day += DAY) {
        await live(setup, station, day + 9 * HOUR, day + 12 * HOUR);
      }
      const now = wib('2026-03-04', '10:00');
      const reference = await figures(db, { nowMs: now, windowMs: WINDOW, summary: false });
      process.env.TZ = 'America/New_York';
      assert.equal(new Date(Date.UTC(2026, 2, 9, 12)).getHours(), 8, 'the process is in New York now');
      await same(db, now, 'New York');
      assert.deepEqual(await figures(db, { nowMs: now, windowMs: WINDOW }), reference, 'as in UTC');
      // 8 March 2026 02:00 is New York's change to daylight time.
      await same(db, Date.parse('2026-03-08T07:30:00Z'), 'New York at its DST change');
    } finally {
      process.env.TZ = saved;
      if (saved === undefined) {
        delete process.env.TZ;
      }
      await setup.district.close();
    }
  });
}

test('postgres: a view racing a late import on another connection keeps no stale day', async () => {
  const setup = await start('postgres', wib('2026-02-23', '07:00'));
  const other = await openDatabase({ url: setup.url!, dataDir: '/nonexistent' });
  try {
    const { db } = setup.district;
    const station = await enrolled(setup, 'Kota', wib('2026-02-23', '07:00'));
    await live(setup, station, wib('2026-02-23', '07:00'), wib('2026-02-23', '09:00'));
    const now = wib('2026-02-26', '09:00');
    await same(db, now, 'silent since Monday 09:00');
    const before = await figures(db, { nowMs: now, windowMs: WINDOW, summary: false });
    // The import stores Tuesday's heartbeats on the other connection and holds its transaction open
    // while a view runs on the first; then commits.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let stored!: () => void;
    const written = new Promise<void>((resolve) => {
      stored = resolve;
    });
    const importing = other.transaction(async (transaction) => {
      for (let at = wib('2026-02-23', '09:05'); at < wib('2026-02-24', '16:00'); at += 5 * MINUTE) {
        await recordHeartbeat(transaction, {
          stationId: station.stationId,
          canRecord: true,
          occurredAt: new Date(at).toISOString(),
          windowMs: WINDOW,
          nowMs: now,
        });
      }
      stored();
      await held;
    });
    await written;
    const during = await figures(db, { nowMs: now, windowMs: WINDOW });
    assert.deepEqual(during, before, 'the view does not see the open import');
    release();
    await importing;
    await same(db, now, 'after the import committed');
  } finally {
    await other.close();
    await setup.district.close();
  }
});
