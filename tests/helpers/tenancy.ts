// A small country for the tenancy tests (SQLite and PostgreSQL alike): two provinces, three
// districts, four kecamatan, a fault, a spare, a loan, an office, a forecast, letter settings, a
// letter and escalation rules (Denpasar's) and an account at each level; and the walk of
// fastify's route table that checks a district's account gets nothing of another district.
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { addUser } from '../../district/server/auth/users';
import { addClosedDay, serviceCalendar, setServiceWeek } from '../../district/server/calendar/store';
import type { AreaRollup, Rollup, Scope } from '../../district/dash-api';
import { addSpare } from '../../district/server/inventory/devices';
import { createLoan } from '../../district/server/inventory/loans';
import { setOffice } from '../../district/server/inventory/offices';
import { saveEscalationSettings } from '../../district/server/escalation/district-settings';
import { issueLetter } from '../../district/server/escalation/letter/register';
import { SUGGESTED_SETTINGS, saveLetterSettings } from '../../district/server/escalation/letter/settings';
import { addDistrict, addProvince } from '../../district/server/tenancy/districts';
import { ALL_WEEK, HEALTHY, heartbeat, login, postEvents, staffHeaders, TEST_SCRYPT, PASSWORD } from './dashboard';
import type { Login } from './dashboard';
import { registeredRoutes, TestStation } from './district';
import type { TestDistrict } from './district';

/** Wednesday 11 March 2026, 12:00 WIB: every office open (ALL_WEEK anyway), mid-month. */
export const COUNTRY_NOW = Date.parse('2026-03-11T05:00:00.000Z');
const HOUR = 3_600_000;
const MINUTE = 60_000;

export const SRAGEN = '33.14';
export const SURAKARTA = '33.72';
export const DENPASAR = '51.71';

/** What the other districts hold that a Sragen account must never see, by name or id. */
export interface Country {
  accounts: { sragen: Login; denpasar: Login; province: Login; national: Login };
  stations: { sragenKota: TestStation; tangen: TestStation; laweyan: TestStation; denpasar: TestStation };
  denpasarSpare: string;
  denpasarLoan: string;
  denpasarLetter: string;
  /** Texts of Surakarta and Denpasar (ids and names) that must not appear in any Sragen answer. */
  foreignMarkers: string[];
}

async function account(db: TestDistrict['db'], username: string, scope: Scope): Promise<void> {
  await addUser(db, { username, name: `Akun ${username}`, role: 'admin', password: PASSWORD, scope }, TEST_SCRYPT);
}

/**
 * Seeds the country at COUNTRY_NOW (the district's clock must read `clock.now`): stations enrolled
 * three hours before, heartbeating every five minutes since (Laweyan never: no news); Tangen cannot
 * record and has fault fp-srg (first seen 2 h ago); Denpasar's station can record, has fault
 * fp-dps (first seen 5 h ago) and 20 blank cards left.
 */
export async function seedCountry(district: TestDistrict, clock: { now: number }): Promise<Country> {
  const db = district.db;
  await addProvince(db, { code: '33', name: 'Jawa Tengah' });
  await addProvince(db, { code: '51', name: 'Bali' });
  await addDistrict(db, { code: SRAGEN, name: 'Kabupaten Sragen', province: '33', timeZone: 'WIB' });
  await addDistrict(db, { code: SURAKARTA, name: 'Kota Surakarta', province: '33', timeZone: 'WIB' });
  await addDistrict(db, { code: DENPASAR, name: 'Kota Denpasar', province: '51', timeZone: 'WITA' });
  for (const code of [SRAGEN, SURAKARTA, DENPASAR]) {
    await setServiceWeek(db, { kecamatan: null, week: ALL_WEEK, nowMs: COUNTRY_NOW, district: code });
  }
  const stations = {
    sragenKota: new TestStation(),
    tangen: new TestStation(),
    laweyan: new TestStation(),
    denpasar: new TestStation(),
  };
  const start = COUNTRY_NOW - 3 * HOUR;
  clock.now = start;
  await stations.sragenKota.enroll(district, 'Loket Sragen Kota', 'Sragen Kota', SRAGEN);
  await stations.tangen.enroll(district, 'Loket Tangen', 'Tangen', SRAGEN);
  await stations.laweyan.enroll(district, 'Loket Laweyan', 'Laweyan', SURAKARTA);
  await stations.denpasar.enroll(district, 'Loket Denpasar Barat', 'Denpasar Barat', DENPASAR);
  const unable = { ...HEALTHY, fingerprint: 'fault' } as const;
  for (let at = start; at <= COUNTRY_NOW; at += 5 * MINUTE) {
    clock.now = at;
    await postEvents(district, stations.sragenKota, [heartbeat(stations.sragenKota, at, HEALTHY)], at);
    await postEvents(district, stations.tangen, [heartbeat(stations.tangen, at, unable)], at);
    await postEvents(district, stations.denpasar, [heartbeat(stations.denpasar, at, HEALTHY)], at);
  }
  clock.now = COUNTRY_NOW;
  await postEvents(
    district,
    stations.tangen,
    [stations.tangen.fault('fault.opened', 'fp-srg', { firstSeen: new Date(COUNTRY_NOW - 2 * HOUR).toISOString() })],
    COUNTRY_NOW,
  );
  await postEvents(
    district,
    stations.denpasar,
    [
      stations.denpasar.fault('fault.opened', 'fp-dps', {
        firstSeen: new Date(COUNTRY_NOW - 5 * HOUR).toISOString(),
        device: { key: 'usb:080b:0010:DPS9', vendor: 'Cross Match', serialNumber: 'DPS9', transport: 'usb' },
      }),
      stations.denpasar.event('consumables.reported', { blankCards: 20, ribbons: [] }, COUNTRY_NOW),
      stations.denpasar.event(
        'forecast.reported',
        {
          forecasts: [
            {
              code: 'FORECAST_RIBBON_RUNNING_OUT',
              role: 'card-printer',
              deviceKey: 'usb:EV-DPS',
              likelyInDays: 3,
              message: { id: 'Pita Denpasar hampir habis.', en: 'Denpasar ribbon nearly out.' },
              series: [],
              computedAt: new Date(COUNTRY_NOW).toISOString(),
            },
          ],
        },
        COUNTRY_NOW,
      ),
    ],
    COUNTRY_NOW,
  );
  const denpasarSpare = await addSpare(db, {
    serialNumber: 'SN-DPS-1',
    vendor: 'IriTech',
    model: 'IriShield',
    role: 'iris',
    note: 'cadangan Denpasar',
    nowMs: COUNTRY_NOW,
    district: DENPASAR,
  });
  const denpasarLoan = await createLoan(db, {
    deviceId: denpasarSpare,
    toStationId: stations.denpasar.stationId,
    startsOn: '2026-03-11',
    dueOn: '2026-03-25',
    reference: 'PP/DPS/1',
    purpose: 'pinjam Denpasar',
    createdBy: 'dps-admin',
    nowMs: COUNTRY_NOW,
  });
  await setOffice(
    db,
    { kecamatan: 'Denpasar Barat', latitude: -8.65, longitude: 115.2, technicianEmails: ['teknisi@dps.example'] },
    COUNTRY_NOW,
    DENPASAR,
  );
  await saveLetterSettings(
    db,
    { ...SUGGESTED_SETTINGS, authority: 'Pemerintah Kota Denpasar', numberPattern: '470/{n}/DPS/{year}' },
    { username: 'dps-admin', nowMs: COUNTRY_NOW },
    DENPASAR,
  );
  await saveEscalationSettings(
    db,
    DENPASAR,
    {
      rules: [{ id: 'dps-unacknowledged', condition: 'unacknowledged', afterHours: 1, minSeverity: 'minor', notify: 'dps-teknisi' }],
      contacts: { 'dps-teknisi': { emails: ['eskalasi@dps.example'], webhooks: [] } },
    },
    { username: 'dps-admin', nowMs: COUNTRY_NOW },
  );
  const denpasarLetter = await issueLetter(db, {
    request: {
      stationId: stations.denpasar.stationId,
      faultId: 'fp-dps',
      recipient: 'province',
      sifat: 'Penting',
      lampiran: '-',
      perihal: '',
      note: '',
    },
    username: 'dps-admin',
    nowMs: COUNTRY_NOW,
    thresholdHours: 1,
  });
  await account(db, 'sragen-admin', { level: 'district', code: SRAGEN });
  await account(db, 'dps-admin', { level: 'district', code: DENPASAR });
  await account(db, 'jateng', { level: 'province', code: '33' });
  await account(db, 'pusat', { level: 'national' });
  const accounts = {
    sragen: await login(district.app, 'sragen-admin'),
    denpasar: await login(district.app, 'dps-admin'),
    province: await login(district.app, 'jateng'),
    national: await login(district.app, 'pusat'),
  };
  return {
    accounts,
    stations,
    denpasarSpare,
    denpasarLoan,
    denpasarLetter: denpasarLetter.id,
    foreignMarkers: [
      stations.laweyan.stationId,
      stations.denpasar.stationId,
      'Laweyan',
      'Denpasar',
      'fp-dps',
      'SN-DPS-1',
      'DPS9',
      denpasarLoan,
      denpasarLetter.id,
      '/DPS/',
      'teknisi@dps.example',
      'eskalasi@dps.example',
      'dps-unacknowledged',
      'usb:EV-DPS',
      'dps-admin',
      'jateng',
      'pusat',
    ],
  };
}

/** Denpasar's data as the walk must leave it. */
async function denpasarState(district: TestDistrict, country: Country): Promise<unknown> {
  const db = district.db;
  return {
    calendar: await serviceCalendar(db, DENPASAR),
    fault: await db.query('SELECT state, acknowledged_by, assignee FROM faults WHERE fault_id = $1', ['fp-dps']),
    loan: await db.query('SELECT returned_on FROM loans WHERE id = $1', [country.denpasarLoan]),
    devices: await db.query('SELECT id, station_id, status FROM devices WHERE district_code = $1 ORDER BY id', [
      DENPASAR,
    ]),
    users: await db.query("SELECT username FROM users WHERE scope_code <> $1 ORDER BY username", [SRAGEN]),
    offices: await db.query('SELECT * FROM kecamatan_offices WHERE district_code <> $1 ORDER BY district_code, kecamatan', [SRAGEN]),
    distances: await db.query('SELECT * FROM kecamatan_distances WHERE district_code <> $1 ORDER BY district_code', [SRAGEN]),
    letterSettings: await db.query('SELECT * FROM escalation_letter_settings WHERE district_code <> $1', [SRAGEN]),
    letters: await db.query('SELECT id, number FROM escalation_letters WHERE district_code <> $1 ORDER BY id', [SRAGEN]),
    counters: await db.query('SELECT * FROM escalation_letter_counters WHERE district_code <> $1', [SRAGEN]),
    escalation: await db.query('SELECT * FROM escalation_settings WHERE district_code <> $1', [SRAGEN]),
  };
}

/**
 * Every dashboard route of fastify's own table, as Sragen's admin: with Denpasar's ids in the path,
 * the query and the body, and with `?district=` of Denpasar. Each answers 404 or an answer without a
 * trace of another district; Denpasar's data is unchanged afterwards. Returns the routes checked.
 */
export async function walkIsolation(district: TestDistrict, country: Country): Promise<string[]> {
  const app: FastifyInstance = district.app;
  const before = await denpasarState(district, country);
  const routes = registeredRoutes(app).filter(
    (route) => route.method !== 'HEAD' && !route.url.startsWith('/api/v1/') && route.url !== '/api/dash/logout',
  );
  const ids: Record<string, string> = {
    stationId: country.stations.denpasar.stationId,
    faultId: 'fp-dps',
    loanId: country.denpasarLoan,
    letterId: country.denpasarLetter,
  };
  const body = {
    deviceId: country.denpasarSpare,
    toStationId: country.stations.denpasar.stationId,
    stationId: country.stations.denpasar.stationId,
    kecamatan: 'Denpasar Barat',
    date: '2026-03-12',
    note: 'libur',
    week: ALL_WEEK,
    timeZone: 'WIT',
    type: 'acknowledge',
    returnedOn: '2026-03-12',
  };
  const checked: string[] = [];
  for (const route of routes) {
    const access = app.dashboard.routes.find(
      (candidate) => candidate.method === route.method && candidate.url === route.url,
    )?.access;
    if (access === undefined || access === 'public') {
      continue;
    }
    const hasIds = /:(\w+)/.test(route.url);
    const path = route.url.replace(/:(\w+)/g, (_match, name: string) => encodeURIComponent(ids[name] ?? 'x'));
    const send = (url: string, payload?: unknown) =>
      app.inject({
        method: route.method as 'GET',
        url,
        headers: staffHeaders(country.accounts.sragen, route.method),
        ...(route.method === 'GET' ? {} : { payload: JSON.stringify(payload ?? {}) }),
      });
    const label = `${route.method} ${route.url}`;
    // Another district named outright: unknown.
    const named = await send(`${path}?district=${DENPASAR}&station=${ids.stationId}`, body);
    assert.equal(named.statusCode, 404, `${label} ?district=${DENPASAR}: ${named.body}`);
    const answers = [await send(`${path}?station=${ids.stationId}`, body), await send(path, {})];
    if (hasIds) {
      assert.equal(answers[0].statusCode, 404, `${label} with Denpasar's ids: ${answers[0].body}`);
    }
    for (const answer of answers) {
      for (const marker of country.foreignMarkers) {
        assert.ok(!answer.body.includes(marker), `${label} (${answer.statusCode}) shows ${marker}: ${answer.body.slice(0, 300)}`);
      }
    }
    checked.push(label);
  }
  assert.deepEqual(await denpasarState(district, country), before, 'Denpasar changed during the walk');
  return checked;
}

/** Closes Surakarta's Laweyan office today: its silence is "closed", not "no news". */
export async function closeLaweyanToday(district: TestDistrict): Promise<void> {
  await addClosedDay(district.db, {
    date: '2026-03-11',
    kecamatan: 'Laweyan',
    note: 'rapat kantor',
    nowMs: COUNTRY_NOW,
    district: SURAKARTA,
  });
}

/** The national and province views of the seeded country (before any office is closed). */
export async function checkRollup(district: TestDistrict, country: Country): Promise<void> {
  const get = async <T>(url: string, session: Login): Promise<T> => {
    const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
    assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
    return response.json() as T;
  };
  const national = await get<Rollup>('/api/dash/rollup', country.accounts.national);
  assert.equal(national.level, 'national');
  const figures = (area: AreaRollup) => [
    area.code,
    area.districts,
    area.kecamatan,
    area.canRecord,
    area.cannotRecord,
    area.noNews,
    area.closed,
    area.stations,
    area.openFaults,
    area.consumablesLow,
  ];
  // Jawa Tengah first: two of its kecamatan cannot record or have no news.
  assert.deepEqual(national.areas.map(figures), [
    ['33', 2, 3, 1, 1, 1, 0, 3, 1, 0],
    ['51', 1, 1, 1, 0, 0, 0, 1, 1, 1],
  ]);
  assert.deepEqual(figures(national.totals).slice(1), [3, 4, 2, 1, 1, 0, 4, 2, 1]);
  assert.equal(national.areas[0].oldestFaultAt, new Date(COUNTRY_NOW - 2 * HOUR).toISOString());
  assert.equal(national.areas[1].timeZone, 'WITA');
  // Three hours of three Central Java stations: Tangen could not record and Laweyan was never heard.
  assert.ok(Math.abs((national.areas[0].availabilityPercent ?? -1) - 33.3) <= 1.5, String(national.areas[0].availabilityPercent));
  assert.equal(national.areas[1].availabilityPercent, 100);
  assert.deepEqual(
    national.oldestFaults.map((fault) => [fault.faultId, fault.districtCode, fault.kecamatan, fault.ageHours]),
    [
      ['fp-dps', DENPASAR, 'Denpasar Barat', 5],
      ['fp-srg', SRAGEN, 'Tangen', 2],
    ],
  );
  assert.deepEqual(
    national.longestWaiting.map((waiting) => [waiting.code, waiting.openFaults, waiting.oldestAgeHours]),
    [
      [DENPASAR, 1, 5],
      [SRAGEN, 1, 2],
    ],
  );
  const province = await get<Rollup>('/api/dash/rollup', country.accounts.province);
  assert.equal(province.level, 'province');
  assert.equal(province.name, 'Jawa Tengah');
  assert.deepEqual(province.areas.map(figures), [
    [SRAGEN, 1, 2, 1, 1, 0, 0, 2, 1, 0],
    [SURAKARTA, 1, 1, 0, 0, 1, 0, 1, 0, 0],
  ]);
  assert.deepEqual(province.oldestFaults.map((fault) => fault.faultId), ['fp-srg']);
  assert.deepEqual(
    await get<Rollup>('/api/dash/rollup?province=33', country.accounts.national).then((view) => view.areas.map(figures)),
    province.areas.map(figures),
  );
}
