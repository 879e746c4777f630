// Loan offices, escalation letters and forecasts per district (migration 404), on SQLite through
// the dashboard API: two districts with a kecamatan of the same name keep their own offices and
// distances; each district numbers its letters from 1 with its own letterhead; a loan suggestion
// never offers another district's device; a district reads only its own forecasts. And migration
// 404 moves an existing single-district database's rows into the default district, on SQLite and
// PostgreSQL.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type {
  AcceptedLoan,
  EscalationLetterStatus,
  EscalationLetterView,
  ForecastList,
  LetterSettingsRequest,
  LetterSettingsView,
  LoanSuggestions,
  OfficeMap,
} from '../../../district/dash-api';
import { migrate, MIGRATIONS } from '../../../district/server/db/migrations';
import { openPostgres } from '../../../district/server/db/postgres';
import { openSqlite } from '../../../district/server/db/sqlite';
import type { Db } from '../../../district/server/db/types';
import { addSpare } from '../../../district/server/inventory/devices';
import { login, postEvents, staffHeaders, staffPost } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { startPostgres } from '../../helpers/postgres';
import { COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN, SURAKARTA } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const DAY = 86_400_000;
const clock = { now: COUNTRY_NOW };
let district: TestDistrict;
let country: Country;
/** Surakarta's station in a kecamatan named as one of Sragen's. */
const solo = new TestStation();

before(async () => {
  district = await startTestDistrict({ now: () => clock.now });
  country = await seedCountry(district, clock);
  await solo.enroll(district, 'Loket Tangen Solo', 'Tangen', SURAKARTA);
});

after(async () => {
  await district.close();
});

async function get<T>(url: string, session: Login, status = 200): Promise<T> {
  const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
  assert.equal(response.statusCode, status, `${url}: ${response.body}`);
  return response.json() as T;
}

const post = <T>(url: string, body: unknown, session: Login, status = 200): Promise<T> =>
  staffPost<T>(district.app, url, body, session, status);

const tangenOf = (map: OfficeMap) => map.offices.find((office) => office.kecamatan === 'Tangen');

test('two districts with a kecamatan of the same name keep their own offices and distances', async () => {
  const { sragen, national } = country.accounts;
  const solo = `?district=${SURAKARTA}`;
  await post('/api/dash/offices', { kecamatan: 'Tangen', latitude: -7.3, longitude: 111.05, technicianEmails: ['tangen@sragen.example'] }, sragen);
  await post(`/api/dash/offices${solo}`, { kecamatan: 'Tangen', latitude: -7.57, longitude: 110.82, technicianEmails: ['tangen@solo.example'] }, national);
  await post('/api/dash/offices/distances', { from: 'Tangen', to: null, roadKm: 25, minutes: 40 }, sragen);
  await post(`/api/dash/offices/distances${solo}`, { from: null, to: 'Tangen', roadKm: 6, minutes: 15 }, national);

  const sragenMap = await get<OfficeMap>('/api/dash/offices', sragen);
  assert.deepEqual(sragenMap.offices.map((office) => office.kecamatan), [null, 'Sragen Kota', 'Tangen']);
  assert.deepEqual(tangenOf(sragenMap)?.technicianEmails, ['tangen@sragen.example']);
  assert.equal(tangenOf(sragenMap)?.latitude, -7.3);
  assert.deepEqual(sragenMap.distances.map((entry) => [entry.from, entry.to, entry.roadKm]), [[null, 'Tangen', 25]]);
  const soloMap = await get<OfficeMap>(`/api/dash/offices${solo}`, national);
  assert.deepEqual(soloMap.offices.map((office) => office.kecamatan), [null, 'Laweyan', 'Tangen']);
  assert.deepEqual(tangenOf(soloMap)?.technicianEmails, ['tangen@solo.example']);
  assert.deepEqual(soloMap.distances.map((entry) => [entry.from, entry.to, entry.roadKm]), [[null, 'Tangen', 6]]);

  // Removing Sragen's entry leaves Surakarta's; a kecamatan only Surakarta has is not Sragen's office.
  await post('/api/dash/offices/distances', { from: 'Tangen', to: null, remove: true }, sragen);
  assert.deepEqual((await get<OfficeMap>('/api/dash/offices', sragen)).distances, []);
  assert.equal((await get<OfficeMap>(`/api/dash/offices${solo}`, national)).distances.length, 1);
  await post('/api/dash/offices', { kecamatan: 'Laweyan', latitude: null, longitude: null, technicianEmails: [] }, sragen, 400);
  await post('/api/dash/offices/distances', { from: 'Tangen', to: null, remove: true }, sragen, 404);
  // A national account must say which district's map it means.
  assert.equal((await get<{ error: string }>('/api/dash/offices', national, 400)).error, 'district-required');
});

test("a loan suggestion offers only the fault's own district's spares and notifies its own offices", async () => {
  const { sragen, national } = country.accounts;
  const spare = (serialNumber: string, code: string) =>
    addSpare(district.db, { serialNumber, vendor: 'Cross Match', model: 'Guardian', role: 'fingerprint', note: '', nowMs: COUNTRY_NOW, district: code });
  const sragenSpare = await spare('SN-SRG-FP', SRAGEN);
  const soloSpare = await spare('SN-SKA-FP', SURAKARTA);
  await spare('SN-DPS-FP', DENPASAR);
  const url = `/api/dash/faults/${country.stations.tangen.stationId}/fp-srg/loan-suggestions`;
  for (const session of [sragen, national]) {
    const suggestions = await get<LoanSuggestions>(url, session);
    assert.deepEqual(
      suggestions.candidates.map((candidate) => candidate.device.serialNumber),
      ['SN-SRG-FP'],
    );
  }
  // Even a national account cannot take Surakarta's spare for Sragen's fault.
  await post(`${url}/accept`, { deviceId: soloSpare, dueOn: '2026-03-20', reference: 'PP/1' }, national, 409);
  const accepted = await post<AcceptedLoan>(`${url}/accept`, { deviceId: sragenSpare, dueOn: '2026-03-20', reference: 'PP/1' }, sragen);
  assert.equal(accepted.loan.deviceId, sragenSpare);
  // No mail server in this test: the addresses tried are Sragen's Tangen office's, never Surakarta's.
  assert.deepEqual(accepted.notDelivered.map((failure) => failure.email), ['tangen@sragen.example']);
  const loans = await district.db.query('SELECT id FROM loans WHERE device_id = $1', [soloSpare]);
  assert.equal(loans.length, 0);
});

test("a district reads only its own forecasts, station and blank-card ones alike", async () => {
  const { sragen, denpasar, national } = country.accounts;
  // Denpasar's cards run out fast: a district forecast of its own.
  clock.now = COUNTRY_NOW + 3_600_000;
  await postEvents(
    district,
    country.stations.denpasar,
    [country.stations.denpasar.event('consumables.reported', { blankCards: 10, ribbons: [] }, clock.now)],
    clock.now,
  );
  const own = await get<ForecastList>('/api/dash/forecasts', denpasar);
  assert.deepEqual(own.forecasts.map((forecast) => [forecast.source, forecast.code]).sort(), [
    ['district', 'FORECAST_CARDS_RUNNING_OUT'],
    ['station', 'FORECAST_RIBBON_RUNNING_OUT'],
  ]);
  const other = await get<ForecastList>('/api/dash/forecasts', sragen);
  assert.equal(other.total, 0);
  assert.ok(!JSON.stringify(other).includes(country.stations.denpasar.stationId));
  await get(`/api/dash/forecasts?station=${country.stations.denpasar.stationId}`, sragen, 404);
  assert.equal((await get<ForecastList>('/api/dash/forecasts', national)).total, 2);
  assert.equal((await get<ForecastList>(`/api/dash/forecasts?district=${SRAGEN}`, national)).total, 0);
  await get(`/api/dash/forecasts?district=${DENPASAR}`, country.accounts.province, 404);
  clock.now = COUNTRY_NOW;
});

const SRAGEN_SETTINGS: LetterSettingsRequest = {
  authority: 'Pemerintah Kabupaten Sragen',
  agency: 'Dinas Kependudukan dan Pencatatan Sipil',
  address: 'Jl. Raya Sukowati, Sragen',
  phone: '(0271) 891025',
  place: 'Sragen',
  numberPattern: '470/{n}/Disdukcapil/{year}',
  provinceRecipient: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Tengah',
  provincePlace: 'Semarang',
  directorateRecipient: 'Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri',
  directoratePlace: 'Jakarta',
  signerTitle: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sragen',
  signerName: 'Budi Santoso',
  signerRank: 'Pembina',
  copies: ['Arsip'],
};

test('each district numbers its letters from 1 in the same year, with its own letterhead', async () => {
  const { sragen, denpasar, province } = country.accounts;
  // Sragen's settings are its own; Denpasar's (seeded) stay.
  assert.equal((await get<LetterSettingsView>('/api/dash/escalation-letters/settings', sragen)).configured, false);
  await post('/api/dash/escalation-letters/settings', SRAGEN_SETTINGS, sragen);
  const denpasarSettings = await get<LetterSettingsView>('/api/dash/escalation-letters/settings', denpasar);
  assert.equal(denpasarSettings.settings.authority, 'Pemerintah Kota Denpasar');
  assert.equal(
    (await get<{ error: string }>('/api/dash/escalation-letters/settings', province, 400)).error,
    'district-required',
  );
  // Denpasar now uses the same pattern as Sragen: the same number text in two districts is no clash.
  await post('/api/dash/escalation-letters/settings', { ...denpasarSettings.settings, numberPattern: SRAGEN_SETTINGS.numberPattern }, denpasar);

  // A month on (signed in again), both faults are past the letter threshold (30 days), still in 2026.
  clock.now = COUNTRY_NOW + 31 * DAY;
  const issue = (stationId: string, faultId: string, session: Login) =>
    post<EscalationLetterView>('/api/dash/escalation-letters', { stationId, faultId, recipient: 'province' }, session);
  const tangen = country.stations.tangen.stationId;
  const denpasarStation = country.stations.denpasar.stationId;
  const sragenLater = await login(district.app, 'sragen-admin');
  const first = await issue(tangen, 'fp-srg', sragenLater);
  const second = await issue(tangen, 'fp-srg', sragenLater);
  const denpasarLater = await login(district.app, 'dps-admin');
  const denpasarSecond = await issue(denpasarStation, 'fp-dps', denpasarLater);
  assert.deepEqual([first.number, second.number], ['470/1/Disdukcapil/2026', '470/2/Disdukcapil/2026']);
  // Denpasar's first (seeded) was 470/1/DPS/2026: its own counter goes on at 2.
  assert.equal(denpasarSecond.number, '470/2/Disdukcapil/2026');
  const rows = await district.db.query<{ district_code: string; number: string; document: string }>(
    'SELECT district_code, number, document FROM escalation_letters ORDER BY district_code, seq',
  );
  assert.deepEqual(
    rows.map((row) => [row.district_code, row.number]),
    [
      [SRAGEN, '470/1/Disdukcapil/2026'],
      [SRAGEN, '470/2/Disdukcapil/2026'],
      [DENPASAR, '470/1/DPS/2026'],
      [DENPASAR, '470/2/Disdukcapil/2026'],
    ].sort((left, right) => left[0].localeCompare(right[0])),
  );
  for (const row of rows) {
    const letterhead = row.district_code === SRAGEN ? 'Pemerintah Kabupaten Sragen' : 'Pemerintah Kota Denpasar';
    // The letterhead may be set in capitals.
    const text = row.document.toLowerCase();
    assert.ok(text.includes(letterhead.toLowerCase()), `${row.number} has the letterhead of ${row.district_code}`);
    assert.ok(!text.includes(row.district_code === SRAGEN ? 'denpasar' : 'sragen'), row.number);
  }
  const status = await get<EscalationLetterStatus>(`/api/dash/escalation-letters?station=${tangen}&fault=fp-srg`, sragenLater);
  assert.equal(status.configured, true);
  assert.deepEqual(status.letters.map((letter) => letter.number), [first.number, second.number]);
  // Another district's letter, its PDF and its fault are unknown to Sragen; its own district prints it.
  await get(`/api/dash/escalation-letters/${encodeURIComponent(denpasarSecond.id)}/pdf`, sragenLater, 404);
  await get(`/api/dash/escalation-letters?station=${denpasarStation}&fault=fp-dps`, sragenLater, 404);
  await post('/api/dash/escalation-letters', { stationId: denpasarStation, faultId: 'fp-dps', recipient: 'province' }, sragenLater, 404);
  const pdf = await district.app.inject({
    method: 'GET',
    url: `/api/dash/escalation-letters/${encodeURIComponent(denpasarSecond.id)}/pdf`,
    headers: staffHeaders(denpasarLater),
  });
  assert.equal(pdf.statusCode, 200);
  assert.equal(pdf.headers['content-type'], 'application/pdf');
  clock.now = COUNTRY_NOW;
});

/** Applies the migrations up to 403, adds a single-district database's rows to the old tables, then 404 on. */
async function migrationCarriesRows(db: Db): Promise<void> {
  const later = MIGRATIONS.filter((migration) => migration.id >= 404);
  await db.run('CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const migration of later) {
    await db.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [migration.id, 'later', '']);
  }
  await migrate(db);
  await db.run("INSERT INTO stations (id, name, kecamatan, created_at) VALUES ('st-1', 'Loket 1', 'Tangen', '2026-01-01')");
  await db.run(`INSERT INTO kecamatan_offices (kecamatan, latitude, longitude, technician_emails, updated_at)
    VALUES ('Tangen', -7.3, 111.05, '["a@b.example"]', '2026-01-02'), ('', NULL, NULL, '[]', '2026-01-02')`);
  await db.run(`INSERT INTO kecamatan_distances (kecamatan_a, kecamatan_b, road_km, travel_minutes, updated_at)
    VALUES ('', 'Tangen', 25, 40, '2026-01-02')`);
  await db.run(`INSERT INTO escalation_letter_settings (id, settings, updated_at, updated_by) VALUES (1, '{}', '2026-01-03', 'admin')`);
  await db.run('INSERT INTO escalation_letter_counters (year, last_number) VALUES (2026, 7)');
  await db.run(`INSERT INTO escalation_letters (id, year, seq, number, station_id, fault_id, recipient, perihal, created_at, created_by, document)
    VALUES ('se-1', 2026, 7, '470/7/X/2026', 'st-1', 'fp-1', 'province', 'p', '2026-01-04', 'admin', '{}')`);
  await db.run('DELETE FROM schema_migrations WHERE id >= 404');
  assert.deepEqual(await migrate(db), later.map((migration) => migration.id));
  assert.deepEqual(
    (await db.query<{ district_code: string; kecamatan: string }>('SELECT district_code, kecamatan FROM kecamatan_offices ORDER BY kecamatan')).map(
      (row) => [row.district_code, row.kecamatan],
    ),
    [
      ['default', ''],
      ['default', 'Tangen'],
    ],
  );
  const [distance] = await db.query<{ district_code: string; road_km: number | string }>('SELECT * FROM kecamatan_distances');
  assert.deepEqual([distance.district_code, Number(distance.road_km)], ['default', 25]);
  assert.deepEqual(await db.query('SELECT district_code, updated_by FROM escalation_letter_settings'), [
    { district_code: 'default', updated_by: 'admin' },
  ]);
  const [counter] = await db.query<{ district_code: string; year: number | string; last_number: number | string }>(
    'SELECT * FROM escalation_letter_counters',
  );
  assert.deepEqual([counter.district_code, Number(counter.year), Number(counter.last_number)], ['default', 2026, 7]);
  assert.deepEqual(await db.query('SELECT id, district_code, number FROM escalation_letters'), [
    { id: 'se-1', district_code: 'default', number: '470/7/X/2026' },
  ]);
  // The new keys hold: the same kecamatan in another district is a row of its own; a number twice in one district is not.
  await db.run(`INSERT INTO kecamatan_offices (district_code, kecamatan, technician_emails, updated_at) VALUES ('33.14', 'Tangen', '[]', '')`);
  await assert.rejects(
    db.run(`INSERT INTO escalation_letters (id, district_code, year, seq, number, station_id, fault_id, recipient, perihal, created_at, created_by, document)
      VALUES ('se-2', 'default', 2026, 8, '470/7/X/2026', 'st-1', 'fp-1', 'province', 'p', '', 'admin', '{}')`),
  );
}

test('migration 404 moves the offices, distances, letter settings, counters and letters into the default district (SQLite, PostgreSQL)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'siaga-migration-404-'));
  const postgres = await startPostgres();
  try {
    for (const db of [openSqlite(join(dir, 'old.sqlite')), openPostgres(postgres.url)]) {
      try {
        await migrationCarriesRows(db);
      } finally {
        await db.close();
      }
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
