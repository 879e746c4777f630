// Hostile cases for forecasts on a district server that holds several districts (tenancy): a
// forecast of another district's station is never on a district account's forecast list or board,
// and a forecast never shows as a fault or changes "can record".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Board, ForecastList } from '../../../district/dash-api';
import type { Forecast } from '../../../protocol/forecast';
import { postEvents, staffHeaders } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { COUNTRY_NOW, DENPASAR, seedCountry, walkIsolation } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const DAY = 86_400_000;
const clock = { now: COUNTRY_NOW };
let district: TestDistrict;
let country: Country;

function upsForecast(deviceKey: string, likelyInDays: number | null): Forecast {
  return {
    code: 'FORECAST_UPS_BATTERY_FADING',
    role: 'ups',
    deviceKey,
    likelyInDays,
    message: { id: `Baterai UPS ${deviceKey} melemah.`, en: `UPS battery ${deviceKey} fading.` },
    series: [
      {
        metric: 'battery-volts',
        unit: 'V',
        points: [13.1, 12.8, 12.5].map((value, index) => ({
          at: new Date(COUNTRY_NOW - (3 - index) * DAY).toISOString(),
          value,
        })),
        limit: 10.5,
      },
    ],
    computedAt: new Date(COUNTRY_NOW).toISOString(),
  };
}

async function get<T>(url: string, session: Login, status = 200): Promise<T> {
  const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
  assert.equal(response.statusCode, status, `${url}: ${response.body}`);
  return response.json() as T;
}

before(async () => {
  district = await startTestDistrict({ now: () => clock.now });
  country = await seedCountry(district, clock);
  const { denpasar, sragenKota, tangen } = country.stations;
  await postEvents(
    district,
    denpasar,
    [denpasar.event('forecast.reported', { forecasts: [upsForecast('UPS-DPS9', 4)] }, COUNTRY_NOW)],
    COUNTRY_NOW,
  );
  await postEvents(
    district,
    sragenKota,
    [sragenKota.event('forecast.reported', { forecasts: [upsForecast('UPS-SRG1', 9)] }, COUNTRY_NOW)],
    COUNTRY_NOW,
  );
  // Tangen cannot record (fingerprint fault): a forecast beside the fault changes nothing.
  await postEvents(
    district,
    tangen,
    [tangen.event('forecast.reported', { forecasts: [upsForecast('UPS-TGN1', 0)] }, COUNTRY_NOW)],
    COUNTRY_NOW,
  );
});

after(async () => {
  await district.close();
});

test("a district account's forecast list holds its own stations' forecasts, never another district's", async () => {
  const list = await get<ForecastList>('/api/dash/forecasts', country.accounts.sragen);
  assert.deepEqual(list.forecasts.map((forecast) => forecast.deviceKey).sort(), ['UPS-SRG1', 'UPS-TGN1']);
  assert.equal(list.total, 2);
  assert.ok(!JSON.stringify(list).includes('UPS-DPS9'));
  // Denpasar's own account, and the national one drilling in, see Denpasar's.
  const own = await get<ForecastList>('/api/dash/forecasts', country.accounts.denpasar);
  assert.deepEqual(own.forecasts.map((forecast) => forecast.deviceKey), ['UPS-DPS9']);
  const drilled = await get<ForecastList>(`/api/dash/forecasts?district=${DENPASAR}`, country.accounts.national);
  assert.deepEqual(drilled.forecasts.map((forecast) => forecast.deviceKey), ['UPS-DPS9']);
  // A province account sees its districts' forecasts, not Bali's.
  const province = await get<ForecastList>('/api/dash/forecasts', country.accounts.province);
  assert.deepEqual(province.forecasts.map((forecast) => forecast.deviceKey).sort(), ['UPS-SRG1', 'UPS-TGN1']);
});

test("another district's station or district named on the forecast list answers 404, its forecast nowhere", async () => {
  const { denpasar } = country.stations;
  await get(`/api/dash/forecasts?station=${denpasar.stationId}`, country.accounts.sragen, 404);
  await get(`/api/dash/forecasts?district=${DENPASAR}`, country.accounts.sragen, 404);
  const board = await district.app.inject({
    method: 'GET',
    url: '/api/dash/board',
    headers: staffHeaders(country.accounts.sragen),
  });
  assert.ok(!board.body.includes('UPS-DPS9'));
  assert.ok(!board.body.includes(denpasar.stationId));
});

test('the whole-route isolation walk holds with forecasts on both sides', async () => {
  country.foreignMarkers.push('UPS-DPS9');
  const checked = await walkIsolation(district, country);
  assert.ok(checked.includes('GET /api/dash/forecasts'));
  assert.ok(checked.includes('GET /api/dash/offices'));
});

test('a forecast is never a fault and never changes can-record (0 days left included)', async () => {
  const board = await get<Board>('/api/dash/board', country.accounts.sragen);
  const stations = board.kecamatan.flatMap((kecamatan) => kecamatan.stations);
  const kota = stations.find((station) => station.stationId === country.stations.sragenKota.stationId)!;
  const tangen = stations.find((station) => station.stationId === country.stations.tangen.stationId)!;
  assert.equal(kota.state, 'can-record');
  assert.equal(kota.canRecord, true);
  assert.equal(kota.activeFaults, 0);
  assert.equal(kota.problems.length, 0);
  assert.deepEqual(kota.forecasts.map((forecast) => forecast.deviceKey), ['UPS-SRG1']);
  assert.equal(tangen.state, 'cannot-record');
  assert.deepEqual(tangen.forecasts.map((forecast) => [forecast.deviceKey, forecast.likelyInDays]), [['UPS-TGN1', 0]]);
  assert.equal(tangen.activeFaults, 1);
  assert.ok(JSON.stringify(tangen.problems).includes('fp-srg') || tangen.problems.length === 1);
  assert.ok(!JSON.stringify(tangen.problems).includes('FORECAST_'));
});
