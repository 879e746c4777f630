// Hostile tenancy cases beyond the route walk (tests/helpers/tenancy.ts): ids the walk does not
// name (letters, offices), a province account reaching another province, a signed-in user whose
// scope changes or whose district is gone, and the letterhead every district shares. SQLite.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AreaRollup, Board, OfficeMap, Rollup } from '../../../district/dash-api';
import { addUser } from '../../../district/server/auth/users';
import { addSpare } from '../../../district/server/inventory/devices';
import { addStation } from '../../../district/server/stations/stations';
import { login, PASSWORD, staffHeaders, TEST_SCRYPT } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { closeLaweyanToday, COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN, SURAKARTA } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const LETTER_SETTINGS = {
  authority: 'Pemerintah Kota Denpasar',
  agency: 'Dinas Kependudukan dan Pencatatan Sipil',
  address: 'Jl. Melati No. 1, Denpasar',
  phone: '',
  email: '',
  place: 'Denpasar',
  numberPattern: '470/{n}/Disdukcapil/{year}',
  provinceRecipient: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Bali',
  provincePlace: 'Denpasar',
  directorateRecipient: 'Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri',
  directoratePlace: 'Jakarta',
  signerTitle: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Denpasar',
  signerName: 'I Made Wirawan',
  signerRank: '',
  signerNip: '',
  copies: [],
};

describe('tenancy against a hostile user', () => {
  const clock = { now: COUNTRY_NOW };
  let district: TestDistrict;
  let country: Country;

  const get = (url: string, session: Login) =>
    district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
  const post = (url: string, session: Login, body: unknown) =>
    district.app.inject({ method: 'POST', url, headers: staffHeaders(session, 'POST'), payload: JSON.stringify(body) });

  before(async () => {
    district = await startTestDistrict({ now: () => clock.now });
    // A letter may be written after an hour here (the escalation default is 30 days).
    district.app.dashboard.letterThresholdHours = 1;
    country = await seedCountry(district, clock);
  });
  after(async () => {
    await district.close();
  });

  it("a district's office list names only its own kecamatan", async () => {
    const sragen = await get('/api/dash/offices', country.accounts.sragen);
    assert.equal(sragen.statusCode, 200, sragen.body);
    const names = (sragen.json() as OfficeMap).offices.map((office) => office.kecamatan);
    assert.deepEqual(names, [null, 'Sragen Kota', 'Tangen']);
    for (const marker of country.foreignMarkers) {
      assert.ok(!sragen.body.includes(marker), `offices show ${marker}: ${sragen.body}`);
    }
    // The province's own view (drilled into Surakarta) has Laweyan: the filter is not "nothing".
    const surakarta = await get(`/api/dash/offices?district=${SURAKARTA}`, country.accounts.province);
    assert.deepEqual(
      (surakarta.json() as OfficeMap).offices.map((office) => office.kecamatan),
      [null, 'Laweyan'],
    );
  });

  it("another district's escalation letter is unknown, its own prints", async () => {
    const settings = await post(
      `/api/dash/escalation-letters/settings?district=${DENPASAR}`,
      country.accounts.national,
      LETTER_SETTINGS,
    );
    assert.equal(settings.statusCode, 200, settings.body);
    const issued = await post('/api/dash/escalation-letters', country.accounts.denpasar, {
      stationId: country.stations.denpasar.stationId,
      faultId: 'fp-dps',
      recipient: 'province',
    });
    assert.equal(issued.statusCode, 200, issued.body);
    const letterId = (issued.json() as { id: string }).id;
    const own = await get(`/api/dash/escalation-letters/${letterId}/pdf`, country.accounts.denpasar);
    assert.equal(own.statusCode, 200, own.body.slice(0, 200));
    assert.equal(own.headers['content-type'], 'application/pdf');
    const foreign = await get(`/api/dash/escalation-letters/${letterId}/pdf`, country.accounts.sragen);
    assert.equal(foreign.statusCode, 404, foreign.body.slice(0, 200));
    const otherProvince = await get(`/api/dash/escalation-letters/${letterId}/pdf`, country.accounts.province);
    assert.equal(otherProvince.statusCode, 404, otherProvince.body.slice(0, 200));
  });

  it("a district admin sets its own letterhead, never the one other districts' letters carry", async () => {
    const own = await post('/api/dash/escalation-letters/settings', country.accounts.sragen, {
      ...LETTER_SETTINGS,
      signerName: 'Penanda Tangan Sragen',
    });
    assert.equal(own.statusCode, 200, own.body);
    const foreign = await post(
      `/api/dash/escalation-letters/settings?district=${DENPASAR}`,
      country.accounts.sragen,
      { ...LETTER_SETTINGS, signerName: 'Penanda Tangan Palsu' },
    );
    assert.equal(foreign.statusCode, 404, foreign.body);
    const kept = await get('/api/dash/escalation-letters/settings', country.accounts.denpasar);
    assert.ok(kept.body.includes('I Made Wirawan'), kept.body);
    assert.ok(!kept.body.includes('Palsu') && !kept.body.includes('Sragen'), kept.body);
  });

  it("loan suggestions for a district's fault never offer another district's spare", async () => {
    const own = await addSpare(district.db, {
      serialNumber: 'SN-SRG-1',
      vendor: 'Cross Match',
      model: 'Guardian',
      role: 'fingerprint',
      note: 'cadangan Sragen',
      nowMs: COUNTRY_NOW,
      district: SRAGEN,
    });
    const foreign = await addSpare(district.db, {
      serialNumber: 'SN-DPS-2',
      vendor: 'Cross Match',
      model: 'Guardian',
      role: 'fingerprint',
      note: 'cadangan Denpasar di rak',
      nowMs: COUNTRY_NOW,
      district: DENPASAR,
    });
    const url = `/api/dash/faults/${country.stations.tangen.stationId}/fp-srg/loan-suggestions`;
    const suggestions = await get(url, country.accounts.sragen);
    assert.equal(suggestions.statusCode, 200, suggestions.body);
    assert.ok(suggestions.body.includes('SN-SRG-1'), `its own spare is offered: ${suggestions.body.slice(0, 400)}`);
    assert.ok(!suggestions.body.includes('SN-DPS-2'), `Denpasar's spare offered to Sragen: ${suggestions.body.slice(0, 400)}`);
    const taken = await post(`${url}/accept`, country.accounts.sragen, {
      deviceId: foreign,
      dueOn: '2026-03-20',
      reference: 'PP/SRG/9',
    });
    assert.equal(taken.statusCode, 404, taken.body);
    assert.deepEqual(await district.db.query('SELECT id FROM loans WHERE device_id = $1', [foreign]), []);
    assert.ok(own !== '');
  });

  it('a province account reaches nothing of another province', async () => {
    const jateng = country.accounts.province;
    assert.equal((await get(`/api/dash/board?district=${DENPASAR}`, jateng)).statusCode, 404);
    assert.equal((await get('/api/dash/rollup?province=51', jateng)).statusCode, 404);
    assert.equal(
      (await get(`/api/dash/faults/${country.stations.denpasar.stationId}/fp-dps`, jateng)).statusCode,
      404,
    );
    assert.equal((await get(`/api/dash/faults?station=${country.stations.denpasar.stationId}`, jateng)).statusCode, 404);
    const returned = await post(`/api/dash/inventory/loans/${country.denpasarLoan}/return`, jateng, {
      returnedOn: '2026-03-12',
    });
    assert.equal(returned.statusCode, 404, returned.body);
    for (const url of [
      '/api/dash/faults',
      '/api/dash/audit',
      '/api/dash/users',
      '/api/dash/inventory/devices',
      '/api/dash/inventory/loans',
      '/api/dash/export/faults.csv',
      '/api/dash/export/inventory.csv',
    ]) {
      const answer = await get(url, jateng);
      assert.ok(!answer.body.includes('fp-dps') && !answer.body.includes('SN-DPS-1'), `${url}: ${answer.body.slice(0, 300)}`);
    }
    // Its own province's districts are reachable: the refusals above are not a blanket 404.
    assert.equal((await get(`/api/dash/board?district=${SURAKARTA}`, jateng)).statusCode, 200);
    const view = (await get('/api/dash/rollup', jateng)).json() as Rollup;
    assert.deepEqual(view.areas.map((area) => area.code), [SRAGEN, SURAKARTA]);
  });

  it('?district= given twice or as an odd value never widens a district account', async () => {
    const sragen = country.accounts.sragen;
    for (const query of [
      `district=${SRAGEN}&district=${DENPASAR}`,
      `district=${DENPASAR}&district=${SRAGEN}`,
      `district[]=${DENPASAR}`,
      `district=${encodeURIComponent(` ${DENPASAR}`)}`,
      'district=51.71%00',
    ]) {
      const answer = await get(`/api/dash/faults?${query}`, sragen);
      assert.ok(!answer.body.includes('fp-dps'), `${query}: ${answer.statusCode} ${answer.body.slice(0, 300)}`);
    }
  });

  it("a signed-in user's session follows a change of scope, and ends when the account is disabled", async () => {
    await addUser(
      district.db,
      { username: 'pindah', name: 'Pindah Tugas', role: 'viewer', password: PASSWORD, scope: { level: 'district', code: SRAGEN } },
      TEST_SCRYPT,
    );
    const session = await login(district.app, 'pindah');
    assert.ok((await get('/api/dash/faults', session)).body.includes('fp-srg'));
    // Moved to Denpasar by the operator while signed in: the next request already sees Denpasar only.
    await district.db.run("UPDATE users SET scope_code = $1 WHERE username = 'pindah'", [DENPASAR]);
    const moved = await get('/api/dash/faults', session);
    assert.ok(moved.body.includes('fp-dps') && !moved.body.includes('fp-srg'), moved.body.slice(0, 300));
    const me = await get('/api/dash/session', session);
    assert.ok(me.body.includes(DENPASAR), me.body);
    await district.db.run("UPDATE users SET disabled_at = $1 WHERE username = 'pindah'", [
      new Date(COUNTRY_NOW).toISOString(),
    ]);
    assert.equal((await get('/api/dash/faults', session)).statusCode, 401);
  });

  it('a user of an unknown district sees nothing and breaks nothing', async () => {
    await addUser(
      district.db,
      { username: 'yatim', name: 'Tanpa Kabupaten', role: 'admin', password: PASSWORD, scope: { level: 'district', code: '99.99' } },
      TEST_SCRYPT,
    ).catch(() => undefined);
    const rows = await district.db.query("SELECT username FROM users WHERE username = 'yatim'");
    if (rows.length === 0) {
      // Refused outright: the better answer.
      return;
    }
    const session = await login(district.app, 'yatim');
    for (const url of ['/api/dash/faults', '/api/dash/board', '/api/dash/inventory/devices', '/api/dash/audit', '/api/dash/users', '/api/dash/offices']) {
      const answer = await get(url, session);
      assert.ok(answer.statusCode < 500, `${url}: ${answer.statusCode} ${answer.body}`);
      for (const marker of ['fp-srg', 'fp-dps', 'Tangen', 'Laweyan', 'SN-DPS-1', 'sragen-admin']) {
        assert.ok(!answer.body.includes(marker), `${url} shows ${marker}: ${answer.body.slice(0, 300)}`);
      }
    }
  });

  it('the public page of an unknown district is a clear 404, not an empty board', async () => {
    const unknown = await district.app.inject({ method: 'GET', url: '/api/public/board?district=99.99' });
    assert.equal(unknown.statusCode, 404, unknown.body);
    const known = await district.app.inject({ method: 'GET', url: `/api/public/board?district=${SRAGEN}` });
    assert.equal(known.statusCode, 200, known.body);
    assert.ok(known.body.includes('Tangen') && !known.body.includes('Laweyan'), known.body);
  });

  it('the national and province views add up to the district boards (closed office, no news, not yet active)', async () => {
    // Not yet enrolled: on no board's kecamatan and in no view. Enrolled but never heard: no news.
    await addStation(district.db, { name: 'Loket Gemolong', kecamatan: 'Gemolong', district: SRAGEN });
    const silent = new TestStation();
    clock.now = COUNTRY_NOW - 30 * 60_000;
    await silent.enroll(district, 'Loket Denpasar Timur', 'Denpasar Timur', DENPASAR);
    clock.now = COUNTRY_NOW;
    await closeLaweyanToday(district);
    const national = country.accounts.national;
    const boards = new Map<string, Board>();
    for (const code of [SRAGEN, SURAKARTA, DENPASAR]) {
      const answer = await get(`/api/dash/board?district=${code}`, national);
      assert.equal(answer.statusCode, 200, answer.body);
      boards.set(code, answer.json() as Board);
    }
    const fromBoard = (board: Board) => [
      board.kecamatan.length,
      board.kecamatan.filter((kecamatan) => kecamatan.state === 'can-record').length,
      board.kecamatan.filter((kecamatan) => kecamatan.state === 'cannot-record').length,
      board.kecamatan.filter((kecamatan) => kecamatan.state === 'no-news').length,
      board.kecamatan.filter((kecamatan) => kecamatan.state === 'closed').length,
      board.kecamatan.reduce((sum, kecamatan) => sum + kecamatan.stations.length, 0),
    ];
    const fromView = (area: AreaRollup) => [area.kecamatan, area.canRecord, area.cannotRecord, area.noNews, area.closed, area.stations];
    assert.deepEqual(fromBoard(boards.get(SURAKARTA)!), [1, 0, 0, 0, 1, 1], 'Laweyan closed today, not "no news"');
    assert.deepEqual(fromBoard(boards.get(DENPASAR)!), [2, 1, 0, 1, 0, 2]);
    assert.ok(!boards.get(SRAGEN)!.kecamatan.some((kecamatan) => kecamatan.name === 'Gemolong'));
    const jateng = (await get('/api/dash/rollup?province=33', national)).json() as Rollup;
    const bali = (await get('/api/dash/rollup?province=51', national)).json() as Rollup;
    for (const area of [...jateng.areas, ...bali.areas]) {
      assert.deepEqual(fromView(area), fromBoard(boards.get(area.code)!), `district ${area.code}`);
    }
    const sum = (rows: number[][]) => rows.reduce((total, row) => total.map((value, index) => value + row[index]));
    const nation = (await get('/api/dash/rollup', national)).json() as Rollup;
    assert.deepEqual(fromView(nation.totals), sum([...boards.values()].map(fromBoard)));
    assert.deepEqual(
      nation.areas.map((area) => [area.code, ...fromView(area)]),
      [
        ['33', ...sum([fromBoard(boards.get(SRAGEN)!), fromBoard(boards.get(SURAKARTA)!)])],
        ['51', ...fromBoard(boards.get(DENPASAR)!)],
      ],
    );
  });
});
