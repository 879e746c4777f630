// Many districts in one service on SQLite: a district's account gets nothing of another district
// through any dashboard route (walked from fastify's route table); province and national accounts
// see their districts; the province and national views count kecamatan by the board's rule.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Board, Rollup, StationStock } from '../../../district/dash-api';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { staffHeaders } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { checkRollup, closeLaweyanToday, COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN, walkIsolation } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const clock = { now: COUNTRY_NOW };
let district: TestDistrict;
let country: Country;

before(async () => {
  district = await startTestDistrict({ now: () => clock.now });
  country = await seedCountry(district, clock);
});

after(async () => {
  await district.close();
});

async function get<T>(url: string, session: Login, status = 200): Promise<T> {
  const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
  assert.equal(response.statusCode, status, `${url}: ${response.body}`);
  return response.json() as T;
}

test("a district's account gets nothing of another district through any dashboard route", async () => {
  const checked = await walkIsolation(district, country);
  assert.ok(checked.length >= 25, `walked ${checked.length} routes`);
  for (const expected of ['GET /api/dash/board', 'GET /api/dash/faults/:stationId/:faultId', 'POST /api/dash/inventory/loans', 'GET /api/dash/rollup']) {
    assert.ok(checked.includes(expected), expected);
  }
});

test("a district's own data stays whole for it; province and national accounts drill into their districts only", async () => {
  const own = await get<Board>('/api/dash/board', country.accounts.sragen);
  assert.deepEqual(own.kecamatan.map((kecamatan) => kecamatan.name).sort(), ['Sragen Kota', 'Tangen']);
  assert.deepEqual(
    (await get<Board>(`/api/dash/board?district=${DENPASAR}`, country.accounts.national)).kecamatan.map(
      (kecamatan) => kecamatan.name,
    ),
    ['Denpasar Barat'],
  );
  // A province account: its districts yes (board by ?district=), another province's no, a wide board asks to choose.
  assert.equal((await get<Board>(`/api/dash/board?district=${SRAGEN}`, country.accounts.province)).kecamatan.length, 2);
  await get(`/api/dash/board?district=${DENPASAR}`, country.accounts.province, 404);
  const wide = await get<{ error: string }>('/api/dash/board', country.accounts.province, 400);
  assert.equal(wide.error, 'district-required');
  // Lists over a province: its stations, none of Bali's.
  const stock = await get<StationStock[]>('/api/dash/consumables', country.accounts.province);
  assert.deepEqual(stock.map((station) => station.kecamatan).sort(), ['Laweyan', 'Sragen Kota', 'Tangen']);
  await get(
    `/api/dash/faults/${country.stations.denpasar.stationId}/fp-dps`,
    country.accounts.province,
    404,
  );
  await get(`/api/dash/faults/${country.stations.denpasar.stationId}/fp-dps`, country.accounts.denpasar);
});

test('the national and province views count kecamatan by the board rule, oldest faults and longest waits', async () => {
  await checkRollup(district, country);
});

test('a closed office is closed in the views, not "no news"; wider views stay closed to narrower accounts', async () => {
  await closeLaweyanToday(district);
  const national = await get<Rollup>('/api/dash/rollup', country.accounts.national);
  assert.deepEqual(
    [national.totals.canRecord, national.totals.cannotRecord, national.totals.noNews, national.totals.closed],
    [2, 1, 0, 1],
  );
  await get('/api/dash/rollup', country.accounts.sragen, 404);
  await get('/api/dash/rollup?province=51', country.accounts.province, 404);
  await get('/api/dash/rollup?province=99', country.accounts.national, 404);
});
