// Forecasts on the district, on SQLite and a real PostgreSQL: stations post signed forecast.reported
// events; the board shows each station's set as warnings beside its faults (never changing whether
// it can record), counted down by the district's clock; a newer set replaces the old one whole, an
// empty one clears it, an older one never overwrites a newer one, a reinstalled station (seq from 1
// again) replaces its old set; forged and oversized sets are refused and store nothing. The district
// forecasts blank cards running out from the consumables reports; the forecast list carries the series.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Board, ForecastList, PublicBoard, StationStatus } from '../../../district/dash-api';
import { LISTED_TEXT_MAX } from '../../../district/dash-api';
import { CARDS_FORECAST_DAYS } from '../../../district/server/forecasts/cards';
import { recordForecasts } from '../../../district/server/forecasts/store';
import { newCodeForStation } from '../../../district/server/stations/stations';
import type { Event } from '../../../protocol/events';
import type { Forecast } from '../../../protocol/forecast';
import { MAX_SERIES_POINTS } from '../../../protocol/forecast';
import { PATHS } from '../../../protocol/requests';
import {
  addStaff,
  HEALTHY,
  heartbeat,
  injectEvents,
  login,
  openAllWeek,
  postEvents,
  STAFF,
  staffHeaders,
} from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function series(startMs: number, values: number[], limit: number | null) {
  return {
    metric: 'prints-left',
    unit: 'prints',
    points: values.map((value, index) => ({ at: new Date(startMs + index * DAY).toISOString(), value })),
    limit,
  };
}

function ribbon(atMs: number, likelyInDays: number | null, overrides: Partial<Forecast> = {}): Forecast {
  return {
    code: 'FORECAST_RIBBON_RUNNING_OUT',
    role: 'card-printer',
    deviceKey: 'usb:EV-1',
    likelyInDays,
    message: {
      id: 'Pita tersisa 150 cetakan, terpakai 30 per hari.',
      en: '150 prints left on the ribbon, 30 used a day.',
    },
    series: [series(atMs - 6 * DAY, [330, 300, 270, 240, 210, 180, 150], 0)],
    computedAt: new Date(atMs).toISOString(),
    ...overrides,
  };
}

function ups(atMs: number): Forecast {
  return {
    code: 'FORECAST_UPS_BATTERY_FADING',
    role: 'ups',
    deviceKey: null,
    likelyInDays: null,
    message: { id: 'Tegangan baterai UPS turun tiap minggu.', en: 'UPS battery voltage falling every week.' },
    series: [
      { ...series(atMs - 3 * DAY, [13.1, 12.9, 12.6, 12.4], 11.5), metric: 'battery-volts', unit: 'V' },
    ],
    computedAt: new Date(atMs).toISOString(),
  };
}

function forecastSuite(engine: 'SQLite' | 'PostgreSQL', url: () => string | undefined) {
  /** Monday 3 March 2025, 10:00 WIB. */
  const T0 = Date.UTC(2025, 2, 3, 3, 0);
  let clock = T0;
  let district: TestDistrict;
  let viewer: Login;
  const printer = new TestStation();
  const broken = new TestStation();
  const stock = new TestStation();

  let loggedInAt = 0;
  const get = async <T>(path: string, status = 200): Promise<T> => {
    // The clock jumps days ahead: a new session rather than an expired one.
    if (clock - loggedInAt > HOUR) {
      viewer = await login(district.app, STAFF.viewer);
      loggedInAt = clock;
    }
    const response = await district.app.inject({ method: 'GET', url: path, headers: staffHeaders(viewer) });
    assert.equal(response.statusCode, status, `${path}: ${response.body}`);
    return response.json() as T;
  };
  const stationOf = (board: Board, station: TestStation): StationStatus =>
    board.kecamatan
      .flatMap((kecamatan) => kecamatan.stations)
      .find((entry) => entry.stationId === station.stationId)!;
  const forecastRows = async (): Promise<number> =>
    Number((await district.db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM forecasts'))[0].n);

  before(async () => {
    // Many refused batches in a row from one station: no pacing in the way.
    district = await startTestDistrict({ url: url(), now: () => clock, maxBatchesPerSecond: 1000 });
    await addStaff(district.db);
    await openAllWeek(district.db);
    await printer.enroll(district, 'Loket 1', 'Plupuh');
    await broken.enroll(district, 'Loket 1', 'Tangen');
    await stock.enroll(district, 'Loket 1', 'Gemolong');
    await postEvents(district, printer, [heartbeat(printer, clock, HEALTHY)], clock);
    await postEvents(
      district,
      broken,
      [
        broken.fault('fault.opened', 'fp-1', {}, clock),
        heartbeat(broken, clock, { ...HEALTHY, fingerprint: 'fault' }),
      ],
      clock,
    );
  });
  after(async () => {
    await district?.close();
  });

  test(`${engine}: a station's forecasts are amber warnings on the board, most urgent first, and never change whether it can record`, async () => {
    assert.equal(district.db.dialect, engine === 'SQLite' ? 'sqlite' : 'postgres');
    const before = await get<Board>('/api/dash/board');
    clock += 60_000;
    await postEvents(
      district,
      printer,
      [
        printer.event('forecast.reported', { forecasts: [ups(clock), ribbon(clock, 5)] }, clock),
        heartbeat(printer, clock, HEALTHY),
      ],
      clock,
    );
    await postEvents(
      district,
      broken,
      [
        broken.event('forecast.reported', { forecasts: [ribbon(clock, 1, { deviceKey: null })] }, clock),
        heartbeat(broken, clock, { ...HEALTHY, fingerprint: 'fault' }),
      ],
      clock,
    );
    const board = await get<Board>('/api/dash/board');
    const plupuh = stationOf(board, printer);
    assert.deepEqual(
      plupuh.forecasts.map((forecast) => [forecast.code, forecast.likelyInDays, forecast.source]),
      [
        ['FORECAST_RIBBON_RUNNING_OUT', 5, 'station'],
        ['FORECAST_UPS_BATTERY_FADING', null, 'station'],
      ],
      'fewest days first, no date last',
    );
    assert.equal(plupuh.forecasts[0].message.id, 'Pita tersisa 150 cetakan, terpakai 30 per hari.');
    assert.equal(plupuh.forecasts[0].deviceKey, 'usb:EV-1');
    assert.equal(plupuh.forecasts[1].deviceKey, null);
    assert.equal(plupuh.forecasts[0].stale, false);
    // Not a fault, not a reason to stop recording, either way round.
    assert.deepEqual(plupuh.problems, []);
    assert.equal(plupuh.state, 'can-record');
    assert.equal(plupuh.canRecord, true);
    assert.equal(plupuh.activeFaults, 0);
    const tangen = stationOf(board, broken);
    assert.equal(tangen.state, 'cannot-record');
    assert.equal(tangen.forecasts.length, 1);
    assert.equal(tangen.problems.length, 1);
    assert.deepEqual(board.summary, { ...before.summary, dataAt: board.summary.dataAt });
    assert.deepEqual(
      board.kecamatan.map((kecamatan) => [kecamatan.name, kecamatan.state, kecamatan.stationsAbleToRecord]),
      before.kecamatan.map((kecamatan) => [kecamatan.name, kecamatan.state, kecamatan.stationsAbleToRecord]),
    );
    // Residents see which kecamatan can record, nothing of a station's forecasts.
    const publicBoard = await district.app.inject({ method: 'GET', url: '/api/public/board' });
    assert.doesNotMatch(publicBoard.body, /FORECAST|forecast|Pita tersisa/);
    assert.equal((publicBoard.json() as PublicBoard).summary.canRecord, board.summary.canRecord);
  });

  test(`${engine}: the days left count down by the district's clock; a set not confirmed for two days is stale`, async () => {
    clock += 2 * DAY + HOUR;
    const board = await get<Board>('/api/dash/board');
    const forecast = stationOf(board, printer).forecasts[0];
    assert.equal(forecast.likelyInDays, 3, 'reported 5 days left two days ago');
    assert.equal(forecast.stale, true);
    clock += 10 * DAY;
    assert.equal(
      stationOf(await get<Board>('/api/dash/board'), printer).forecasts[0].likelyInDays,
      0,
      'never below 0',
    );
  });

  test(`${engine}: a station whose clock runs a year ahead: its forecast counts down from when the district received it`, async () => {
    const ahead = new TestStation();
    await ahead.enroll(district, 'Loket 9', 'Sambungmacan');
    const year = 365 * DAY;
    await postEvents(
      district,
      ahead,
      [
        heartbeat(ahead, clock + year, HEALTHY),
        ahead.event('forecast.reported', { forecasts: [ribbon(clock + year, 6)] }, clock + year),
      ],
      clock,
    );
    const now = stationOf(await get<Board>('/api/dash/board'), ahead).forecasts[0];
    assert.equal(now.reportedAt, new Date(clock).toISOString(), 'the district clock, not the station');
    assert.equal(now.likelyInDays, 6);
    assert.equal(
      now.computedAt,
      new Date(clock + year).toISOString(),
      "the station's own word, kept as sent",
    );
    clock += 2 * DAY;
    assert.equal(stationOf(await get<Board>('/api/dash/board'), ahead).forecasts[0].likelyInDays, 4);
  });

  test(`${engine}: a newer set replaces the old one whole, an empty set clears it`, async () => {
    clock += HOUR;
    await postEvents(
      district,
      printer,
      [
        printer.event('forecast.reported', { forecasts: [ribbon(clock, 9)] }, clock),
        heartbeat(printer, clock, HEALTHY),
      ],
      clock,
    );
    let plupuh = stationOf(await get<Board>('/api/dash/board'), printer);
    assert.deepEqual(
      plupuh.forecasts.map((forecast) => [forecast.code, forecast.likelyInDays, forecast.stale]),
      [['FORECAST_RIBBON_RUNNING_OUT', 9, false]],
      'the UPS forecast missing from the new set has cleared',
    );
    clock += HOUR;
    await postEvents(
      district,
      printer,
      [printer.event('forecast.reported', { forecasts: [] }, clock)],
      clock,
    );
    plupuh = stationOf(await get<Board>('/api/dash/board'), printer);
    assert.deepEqual(plupuh.forecasts, []);
    assert.equal(plupuh.hiddenForecasts, 0);
    const list = await get<ForecastList>(
      `/api/dash/forecasts?station=${encodeURIComponent(printer.stationId)}`,
    );
    assert.equal(list.total, 0);
  });

  test(`${engine}: an older set never overwrites a newer one`, async () => {
    clock += HOUR;
    const older = printer.event('forecast.reported', { forecasts: [ribbon(clock, 2)] }, clock);
    const newer = printer.event('forecast.reported', { forecasts: [ribbon(clock, 20), ups(clock)] }, clock);
    await postEvents(district, printer, [newer], clock);
    // Late, with a lower seq: the intake refuses it (400) and the newer set stays.
    const late = await injectEvents(district, printer, [older], clock);
    assert.equal(late.statusCode, 400, late.body);
    const shown = () =>
      get<Board>('/api/dash/board').then((board) =>
        stationOf(board, printer).forecasts.map((forecast) => [forecast.code, forecast.likelyInDays]),
      );
    const expected = [
      ['FORECAST_RIBBON_RUNNING_OUT', 20],
      ['FORECAST_UPS_BATTERY_FADING', null],
    ];
    assert.deepEqual(await shown(), expected);
    // And the store itself, should an older set reach it (two transactions at once): unchanged.
    const replaced = await district.db.transaction((transaction) =>
      recordForecasts(transaction, {
        stationId: printer.stationId,
        eventId: older.id,
        seq: older.seq,
        reportedAt: new Date(clock).toISOString(),
        payload: { forecasts: [] },
      }),
    );
    assert.equal(replaced, false);
    assert.deepEqual(await shown(), expected);
  });

  test(`${engine}: a reinstalled station (its seq starts again at 1) replaces its old set`, async () => {
    clock += HOUR;
    const { code } = await newCodeForStation(district.db, printer.stationId, { nowMs: clock });
    const reinstalled = new TestStation();
    const enrolled = await district.app.inject({
      method: 'POST',
      url: PATHS.enroll,
      payload: { code, publicKey: reinstalled.publicKeyBase64, appVersion: '0.1.0' },
    });
    assert.equal(enrolled.statusCode, 200, enrolled.body);
    reinstalled.stationId = printer.stationId;
    clock += 60_000;
    const first = reinstalled.event('forecast.reported', { forecasts: [ribbon(clock, 7)] }, clock);
    assert.equal(first.seq, 1);
    await postEvents(district, reinstalled, [first, heartbeat(reinstalled, clock, HEALTHY)], clock);
    assert.deepEqual(
      stationOf(await get<Board>('/api/dash/board'), printer).forecasts.map(
        (forecast) => forecast.likelyInDays,
      ),
      [7],
    );
    // The old key is gone: its forecasts are refused from now on.
    const old = await injectEvents(
      district,
      printer,
      [printer.event('forecast.reported', { forecasts: [] }, clock)],
      clock,
    );
    assert.equal(old.statusCode, 401, old.body);
  });

  test(`${engine}: forged, oversized and malformed sets are refused and store nothing`, async () => {
    clock += HOUR;
    const counts = await district.counts();
    const rows = await forecastRows();
    const before = stationOf(await get<Board>('/api/dash/board'), broken).forecasts;
    const forged = new TestStation();
    forged.stationId = broken.stationId;
    const signedByAnother = await injectEvents(
      district,
      forged,
      [forged.event('forecast.reported', { forecasts: [] }, clock)],
      clock,
    );
    assert.equal(signedByAnother.statusCode, 401, signedByAnother.body);
    const good = ribbon(clock, 3);
    const bad: [string, unknown][] = [
      ['51 forecasts', Array.from({ length: 51 }, (_, index) => ({ ...good, deviceKey: `usb:${index}` }))],
      [
        '121 points',
        [{ ...good, series: [series(clock - 200 * DAY, Array(MAX_SERIES_POINTS + 1).fill(1), 0)] }],
      ],
      ['5 series', [{ ...good, series: Array(5).fill(good.series[0]) }]],
      ['a long message', [{ ...good, message: { id: 'x'.repeat(2001), en: 'x' } }]],
      ['a control character', [{ ...good, message: { id: 'Pita\u0000', en: 'x' } }]],
      ['an unknown code', [{ ...good, code: 'FORECAST_PRINTER_ON_FIRE' }]],
      ['an unknown role', [{ ...good, role: 'toaster' }]],
      ['negative days', [{ ...good, likelyInDays: -1 }]],
      ['ten years and a day', [{ ...good, likelyInDays: 3651 }]],
      ['fractional days', [{ ...good, likelyInDays: 2.5 }]],
      [
        'a value as text',
        [{ ...good, series: [{ ...good.series[0], points: [{ at: good.computedAt, value: '1' }] }] }],
      ],
      ['a bad time', [{ ...good, computedAt: 'kemarin' }]],
      ['an extra field', [{ ...good, severity: 'critical' }]],
      ['a long device key', [{ ...good, deviceKey: 'k'.repeat(129) }]],
    ];
    for (const [what, forecasts] of bad) {
      const event = {
        ...broken.event('forecast.reported', { forecasts: [] }, clock),
        payload: { forecasts },
      };
      const response = await injectEvents(district, broken, [event], clock);
      assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
    }
    const notAList = await injectEvents(
      district,
      broken,
      [{ ...broken.event('forecast.reported', { forecasts: [] }, clock), payload: { forecasts: 'none' } }],
      clock,
    );
    assert.equal(notAList.statusCode, 400);
    assert.deepEqual(await district.counts(), { ...counts, rejected: (await district.counts()).rejected });
    assert.equal(await forecastRows(), rows);
    assert.deepEqual(stationOf(await get<Board>('/api/dash/board'), broken).forecasts, before);
  });

  test(`${engine}: the same forecast twice in one set is kept once, the most urgent; the board cuts long texts and many forecasts`, async () => {
    clock += HOUR;
    const long = 'Pita hampir habis. '.repeat(100);
    const many: Forecast[] = [
      ribbon(clock, 12),
      ribbon(clock, 4),
      ribbon(clock, null),
      ...Array.from({ length: 7 }, (_, index) => ({
        ...ups(clock),
        deviceKey: `ups-${index}`,
        likelyInDays: 30 + index,
      })),
      ribbon(clock, 8, { deviceKey: 'usb:EV-2', message: { id: long, en: long } }),
    ];
    const event: Event = broken.event('forecast.reported', { forecasts: many }, clock);
    await postEvents(
      district,
      broken,
      [event, heartbeat(broken, clock, { ...HEALTHY, fingerprint: 'fault' })],
      clock,
    );
    const tangen = stationOf(await get<Board>('/api/dash/board'), broken);
    assert.equal(await forecastRows(), 1 + 7 + 1 + (await otherStationsRows()));
    assert.deepEqual(
      tangen.forecasts.map((forecast) => [forecast.deviceKey, forecast.likelyInDays]),
      [
        ['usb:EV-1', 4],
        ['usb:EV-2', 8],
        ['ups-0', 30],
        ['ups-1', 31],
        ['ups-2', 32],
      ],
    );
    assert.equal(tangen.hiddenForecasts, 4);
    assert.equal(tangen.forecasts[1].message.id.length, LISTED_TEXT_MAX);
    assert.equal(tangen.state, 'cannot-record');
    const list = await get<ForecastList>(
      `/api/dash/forecasts?station=${encodeURIComponent(broken.stationId)}`,
    );
    assert.equal(list.total, 9);
    assert.equal(list.forecasts.find((forecast) => forecast.deviceKey === 'usb:EV-2')?.message.id, long);
  });

  async function otherStationsRows(): Promise<number> {
    return Number(
      (
        await district.db.query<{ n: number | string }>(
          'SELECT COUNT(*) AS n FROM forecasts WHERE station_id <> $1',
          [broken.stationId],
        )
      )[0].n,
    );
  }

  test(`${engine}: blank cards running out at a station are the district's own forecast on the board's summary`, async () => {
    clock += HOUR;
    await postEvents(
      district,
      stock,
      [
        stock.event('consumables.reported', { blankCards: 250, ribbons: [] }, clock - 3 * DAY),
        stock.event('consumables.reported', { blankCards: 160, ribbons: [] }, clock),
        heartbeat(stock, clock, HEALTHY),
      ],
      clock,
    );
    // Plenty left at Tangen: 250 to 245 in three days lasts months.
    await postEvents(
      district,
      broken,
      [
        broken.event('consumables.reported', { blankCards: 250, ribbons: [] }, clock - 3 * DAY),
        broken.event('consumables.reported', { blankCards: 245, ribbons: [] }, clock),
      ],
      clock,
    );
    const board = await get<Board>('/api/dash/board');
    assert.deepEqual(
      board.districtForecasts.map((forecast) => [
        forecast.stationId,
        forecast.code,
        forecast.source,
        forecast.likelyInDays,
      ]),
      [[stock.stationId, 'FORECAST_CARDS_RUNNING_OUT', 'district', 5]],
      '160 cards at 30 a day: 5 days, under the threshold',
    );
    assert.match(
      board.districtForecasts[0].message.id,
      /Kartu blangko tersisa 160 lembar, terpakai rata-rata 30 lembar per hari/,
    );
    assert.equal(board.hiddenDistrictForecasts, 0);
    assert.equal(stationOf(board, stock).state, 'can-record');
    assert.ok(CARDS_FORECAST_DAYS > 5);
    const publicBoard = await district.app.inject({ method: 'GET', url: '/api/public/board' });
    assert.doesNotMatch(publicBoard.body, /FORECAST|Kartu blangko/);
    // The forecast list: every forecast with its series, the card counts with the limit 0.
    const list = await get<ForecastList>('/api/dash/forecasts');
    assert.equal(list.cardsThresholdDays, CARDS_FORECAST_DAYS);
    const cards = list.forecasts.find((forecast) => forecast.source === 'district')!;
    assert.deepEqual(
      cards.series[0].points.map((point) => point.value),
      [250, 160],
    );
    assert.equal(cards.series[0].limit, 0);
    const days = list.forecasts.map((forecast) => forecast.likelyInDays ?? Infinity);
    assert.deepEqual(
      days,
      [...days].sort((left, right) => left - right),
      'most urgent first',
    );
    assert.ok(list.forecasts.every((forecast) => forecast.series.length > 0));
    // A page at a time; a bad page or station is refused.
    const page = await get<ForecastList>('/api/dash/forecasts?limit=2&offset=1');
    assert.equal(page.total, list.total);
    assert.deepEqual(
      page.forecasts.map((forecast) => [forecast.stationId, forecast.code, forecast.deviceKey]),
      list.forecasts.slice(1, 3).map((forecast) => [forecast.stationId, forecast.code, forecast.deviceKey]),
    );
    await get('/api/dash/forecasts?limit=0', 400);
    await get('/api/dash/forecasts?limit=101', 400);
    await get(`/api/dash/forecasts?station=${'x'.repeat(65)}`, 400);
    assert.equal((await get<ForecastList>('/api/dash/forecasts?station=nobody')).total, 0);
    const anonymous = await district.app.inject({ method: 'GET', url: '/api/dash/forecasts' });
    assert.equal(anonymous.statusCode, 401);
    // Once the station reports a restock, the forecast clears.
    clock += HOUR;
    await postEvents(
      district,
      stock,
      [stock.event('consumables.reported', { blankCards: 1000, ribbons: [] }, clock)],
      clock,
    );
    assert.deepEqual((await get<Board>('/api/dash/board')).districtForecasts, []);
  });
}

let postgres: TestPostgres | undefined;
describe('forecasts on SQLite', () => forecastSuite('SQLite', () => undefined));
describe('forecasts on PostgreSQL', () => {
  before(async () => {
    postgres = await startPostgres();
  });
  after(async () => {
    await postgres?.stop();
  });
  forecastSuite('PostgreSQL', () => postgres!.url);
});
