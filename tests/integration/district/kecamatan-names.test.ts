// One rule for a kecamatan name wherever staff type it (station add, service hours, closed days;
// dashboard or command line): trimmed, 1 to 100 characters. A station whose kecamatan the
// calendar could not name (a 200-character name) would keep the district's hours for good; a name
// typed with a space would be "no station in kecamatan"; a note longer than the dashboard takes
// would be saved from the command line only.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { addClosedDay, serviceCalendar, setServiceWeek } from '../../../district/server/calendar/store';
import { InvalidInputError } from '../../../district/server/errors';
import { addStation } from '../../../district/server/stations/stations';
import { addStaff, login, STAFF, staffHeaders } from '../../helpers/dashboard';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

let district: TestDistrict;
beforeEach(async () => {
  district = await startTestDistrict();
  await addStaff(district.db);
});
afterEach(async () => district.close());

const SATURDAY_ONLY = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: ['08:00-12:00'], sun: [] };

test('a kecamatan name over 100 characters is refused when the station is added, and nothing is saved', async () => {
  await assert.rejects(
    addStation(district.db, { name: 'Loket 1', kecamatan: 'K'.repeat(200) }),
    (error: unknown) => error instanceof InvalidInputError && /100/.test(error.message),
  );
  assert.equal((await district.counts()).stations, 0);
});

test('a kecamatan of 100 characters, with HTML in it, gets its own hours from the dashboard', async () => {
  const kecamatan = `<b>${'K'.repeat(93)}</b>`;
  assert.equal(kecamatan.length, 100);
  await addStation(district.db, { name: 'Loket 1', kecamatan });
  const admin = await login(district.app, STAFF.admin);
  const response = await district.app.inject({
    method: 'POST',
    url: '/api/dash/calendar/hours',
    headers: staffHeaders(admin, 'POST'),
    payload: { kecamatan, week: SATURDAY_ONLY },
  });
  assert.equal(response.statusCode, 200, response.body);
  assert.deepEqual((await serviceCalendar(district.db)).kecamatan, [{ name: kecamatan, week: SATURDAY_ONLY }]);
});

test('a kecamatan typed with spaces around it, as on the command line, is the same kecamatan', async () => {
  await addStation(district.db, { name: 'Loket 1', kecamatan: 'Tangen' });
  await setServiceWeek(district.db, { kecamatan: ' Tangen ', week: SATURDAY_ONLY, nowMs: Date.now() });
  await addClosedDay(district.db, { date: '2026-08-17', kecamatan: 'Tangen  ', note: 'HUT RI', nowMs: Date.now() });
  const calendar = await serviceCalendar(district.db);
  assert.deepEqual(calendar.kecamatan.map((entry) => entry.name), ['Tangen']);
  assert.deepEqual(calendar.closedDays, [{ date: '2026-08-17', kecamatan: 'Tangen', note: 'HUT RI' }]);
});

test('a closed-day note is held to the dashboard limit of 200 characters wherever it comes from', async () => {
  await assert.rejects(
    addClosedDay(district.db, { date: '2026-08-17', kecamatan: null, note: 'x'.repeat(201), nowMs: Date.now() }),
    (error: unknown) => error instanceof InvalidInputError && /200/.test(error.message),
  );
  assert.deepEqual((await serviceCalendar(district.db)).closedDays, []);
});
