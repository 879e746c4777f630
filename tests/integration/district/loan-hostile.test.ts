// Hostile cases for "Cari pinjaman" on a server holding several districts (tenancy): a district's
// fault is offered its own district's spares and stations only, never another district's; a spare
// that develops a fault between the suggestion and the accept is refused and lends nothing.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LoanSuggestions } from '../../../district/dash-api';
import { addSpare } from '../../../district/server/inventory/devices';
import { postEvents, staffHeaders } from '../../helpers/dashboard';
import type { Login } from '../../helpers/dashboard';
import { startTestDistrict } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { COUNTRY_NOW, seedCountry, SRAGEN, SURAKARTA } from '../../helpers/tenancy';
import type { Country } from '../../helpers/tenancy';

const clock = { now: COUNTRY_NOW };
let district: TestDistrict;
let country: Country;
let sragenSpare = '';
let surakartaSpare = '';
let suggestionsPath = '';

async function get<T>(url: string, session: Login, status = 200): Promise<T> {
  const response = await district.app.inject({ method: 'GET', url, headers: staffHeaders(session) });
  assert.equal(response.statusCode, status, `${url}: ${response.body}`);
  return response.json() as T;
}

before(async () => {
  district = await startTestDistrict({ now: () => clock.now });
  country = await seedCountry(district, clock);
  const spare = (serialNumber: string, code: string) =>
    addSpare(district.db, {
      serialNumber,
      vendor: 'Cross Match',
      model: 'Guardian',
      role: 'fingerprint',
      note: `cadangan ${code}`,
      nowMs: COUNTRY_NOW,
      district: code,
    });
  sragenSpare = await spare('SN-SRG-FP', SRAGEN);
  surakartaSpare = await spare('SN-SKA-FP', SURAKARTA);
  suggestionsPath = `/api/dash/faults/${country.stations.tangen.stationId}/fp-srg/loan-suggestions`;
});

after(async () => {
  await district.close();
});

test("a Sragen fault is offered Sragen's spare, never Surakarta's (nor by a national account)", async () => {
  for (const session of [country.accounts.sragen, country.accounts.national, country.accounts.province]) {
    const suggestions = await get<LoanSuggestions>(suggestionsPath, session);
    assert.deepEqual(
      suggestions.candidates.map((candidate) => candidate.device.id),
      [sragenSpare],
      JSON.stringify(suggestions.candidates.map((candidate) => candidate.device.serialNumber)),
    );
    assert.ok(!JSON.stringify(suggestions).includes('SN-SKA-FP'));
  }
});

test("accepting another district's spare for a Sragen fault lends nothing", async () => {
  const response = await district.app.inject({
    method: 'POST',
    url: `${suggestionsPath}/accept`,
    headers: staffHeaders(country.accounts.national, 'POST'),
    payload: JSON.stringify({ deviceId: surakartaSpare, dueOn: '2026-03-20', reference: 'PP/X/1', purpose: '' }),
  });
  assert.equal(response.statusCode, 409, response.body);
  const loans = await district.db.query('SELECT id FROM loans WHERE device_id = $1', [surakartaSpare]);
  assert.equal(loans.length, 0);
});

test('a spare that develops a fault after it was suggested is refused on accept, and lends nothing', async () => {
  const before = await get<LoanSuggestions>(suggestionsPath, country.accounts.sragen);
  assert.ok(before.candidates.some((candidate) => candidate.device.id === sragenSpare));
  // The spare is tried at Sragen Kota and fails there: a fault naming its serial number.
  const { sragenKota } = country.stations;
  clock.now = COUNTRY_NOW + 60_000;
  await postEvents(
    district,
    sragenKota,
    [
      sragenKota.fault('fault.opened', 'fp-spare-test', {
        firstSeen: new Date(clock.now).toISOString(),
        device: { key: 'usb:080b:0010:SN-SRG-FP', vendor: 'Cross Match', serialNumber: 'SN-SRG-FP', transport: 'usb' },
      }),
    ],
    clock.now,
  );
  const response = await district.app.inject({
    method: 'POST',
    url: `${suggestionsPath}/accept`,
    headers: staffHeaders(country.accounts.sragen, 'POST'),
    payload: JSON.stringify({ deviceId: sragenSpare, dueOn: '2026-03-20', reference: 'PP/SRG/1', purpose: '' }),
  });
  assert.equal(response.statusCode, 409, response.body);
  assert.match(response.body, /tidak \(lagi\) termasuk saran/);
  assert.equal((await district.db.query('SELECT id FROM loans WHERE device_id = $1', [sragenSpare])).length, 0);
});
