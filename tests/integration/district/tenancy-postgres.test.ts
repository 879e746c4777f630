// Many districts in one service on a real PostgreSQL (started by the test): the same isolation walk
// over fastify's route table and the same province and national figures as on SQLite.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';
import { checkRollup, COUNTRY_NOW, seedCountry, walkIsolation } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const clock = { now: COUNTRY_NOW };
let postgres: TestPostgres;
let district: TestDistrict;
let country: Country;

before(async () => {
  postgres = await startPostgres();
  district = await startTestDistrict({ url: postgres.url, now: () => clock.now });
  country = await seedCountry(district, clock);
});

after(async () => {
  await district?.close();
  await postgres?.stop();
});

test("PostgreSQL: a district's account gets nothing of another district through any dashboard route", async () => {
  const checked = await walkIsolation(district, country);
  assert.ok(checked.length >= 25, `walked ${checked.length} routes`);
});

test('PostgreSQL: the national and province views give the same figures as on SQLite', async () => {
  await checkRollup(district, country);
});
