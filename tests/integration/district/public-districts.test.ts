// /publik on a service of several districts (SQLite): /publik lists the districts and links to
// /publik/<code>, each the district's own light page (its kecamatan only, gzip under 2 KB, cached,
// ETag, language kept on its own path); an unknown code is a 404 page in Indonesian; a service of
// one district (not the default one) shows that district's board at /publik.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { addDistrict, addProvince } from '../../../district/server/tenancy/districts';
import { ALL_WEEK, HEALTHY, heartbeat, postEvents } from '../../helpers/dashboard';
import { setServiceWeek } from '../../../district/server/calendar/store';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';
import { COUNTRY_NOW, DENPASAR, seedCountry, SRAGEN, SURAKARTA } from '../../helpers/tenancy';

const clock = { now: COUNTRY_NOW };
let district: TestDistrict;

before(async () => {
  district = await startTestDistrict({ now: () => clock.now, dashboard: { districtName: 'Layanan Provinsi' } });
  await seedCountry(district, clock);
});
after(async () => district?.close());

const gzipped = async (url: string, headers: Record<string, string> = {}) => {
  const response = await district.app.inject({ url, headers: { 'accept-encoding': 'gzip', ...headers } });
  return { response, html: response.statusCode === 304 ? '' : gunzipSync(response.rawPayload).toString('utf8') };
};

test('/publik of a service of several districts lists them, by province, each linking to its own page', async () => {
  const { response, html } = await gzipped('/publik');
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['cache-control']), /public, max-age=30/);
  assert.ok(response.rawPayload.length < 2048, `${response.rawPayload.length} bytes`);
  assert.match(html, /Pilih kabupaten\/kota Anda\./);
  const links = [...html.matchAll(/<a class="name" href="([^"]+)">([^<]+)<\/a> <span>([^<]+)<\/span>/g)].map((match) => match.slice(1));
  // Bali before Jawa Tengah; the default district (no stations) is not offered.
  assert.deepEqual(links, [
    [`/publik/${DENPASAR}`, 'Kota Denpasar', 'Bali'],
    [`/publik/${SRAGEN}`, 'Kabupaten Sragen', 'Jawa Tengah'],
    [`/publik/${SURAKARTA}`, 'Kota Surakarta', 'Jawa Tengah'],
  ]);
  assert.ok(!html.includes('Tangen') && !/<script/i.test(html));
  const english = (await district.app.inject({ url: '/publik?lang=en' })).body;
  assert.match(english, /href="\/publik\/33\.14\?lang=en"/);
});

test("/publik/<code> is that district's own page only: light, cached, its language button on its own path", async () => {
  const { response, html } = await gzipped(`/publik/${SRAGEN}`);
  assert.equal(response.statusCode, 200);
  const bytes = response.rawPayload.length;
  console.log(`/publik/${SRAGEN}: ${bytes} bytes gzip over the wire`);
  assert.ok(bytes < 2048, `${bytes} bytes`);
  assert.match(html, /<p class="district">Kabupaten Sragen<\/p>/);
  assert.match(html, /1 dari 2 kecamatan bisa merekam sekarang; tidak bisa: Tangen/);
  assert.match(html, /<form method="get" action="\/publik\/33\.14">/);
  assert.match(html, /<a href="\/publik\?lang=id">← Semua kabupaten\/kota<\/a>/);
  for (const foreign of ['Laweyan', 'Denpasar', 'Layanan Provinsi']) {
    assert.ok(!html.includes(foreign), `${foreign} on Sragen's page`);
  }
  // A trailing slash (as typed or copied) is the same page.
  assert.equal((await gzipped(`/publik/${SRAGEN}/`)).html, html);
  const again = await gzipped(`/publik/${SRAGEN}`, { 'if-none-match': String(response.headers.etag) });
  assert.equal(again.response.statusCode, 304);
  // Another district's page differs (its own kecamatan and time zone), so its ETag does too.
  const denpasar = await gzipped(`/publik/${DENPASAR}`, { 'if-none-match': String(response.headers.etag) });
  assert.equal(denpasar.response.statusCode, 200);
  assert.match(denpasar.html, /1 dari 1 kecamatan bisa merekam sekarang/);
  assert.match(denpasar.html, /WITA/);
  assert.ok(!denpasar.html.includes('Tangen'));
  const english = (await district.app.inject({ url: `/publik/${SURAKARTA}?lang=en` })).body;
  assert.match(english, /<html lang="en">/);
  assert.match(english, /\? No news yet · may not be able to record/);
});

test('an unknown district code is a 404 page in Indonesian, not an empty board', async () => {
  for (const code of ['99.99', '%3Cscript%3E', 'default', '33.14x', 'x'.repeat(300), '..%2F..', '%00']) {
    const response = await district.app.inject({ url: `/publik/${code}` });
    // The default district has no stations in this service: its page is the empty one, not a 404.
    if (code === 'default') {
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /Belum ada kecamatan yang aktif\./);
      continue;
    }
    assert.equal(response.statusCode, 404, code);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /<html lang="id">/);
    assert.match(response.body, /Kabupaten\/kota tidak ditemukan/);
    assert.match(response.body, /<a href="\/publik">/);
    assert.ok(!response.body.includes('<script'), code);
    assert.ok(!/bisa merekam sekarang/.test(response.body), 'no board for an unknown code');
  }
});

test('a service of one district (not the default) shows that district at /publik', async () => {
  const single = await startTestDistrict({ now: () => clock.now });
  try {
    await addProvince(single.db, { code: '34', name: 'DI Yogyakarta' });
    await addDistrict(single.db, { code: '34.04', name: 'Kabupaten Sleman', province: '34', timeZone: 'WIB' });
    await setServiceWeek(single.db, { kecamatan: null, week: ALL_WEEK, nowMs: COUNTRY_NOW, district: '34.04' });
    const station = new TestStation();
    await station.enroll(single, 'Loket 1', 'Depok', '34.04');
    await postEvents(single, station, [heartbeat(station, clock.now, HEALTHY)], clock.now);
    const html = (await single.app.inject({ url: '/publik' })).body;
    assert.match(html, /<p class="district">Kabupaten Sleman<\/p>/);
    assert.match(html, /1 dari 1 kecamatan bisa merekam sekarang/);
    assert.ok(!html.includes('Semua kabupaten'), 'no list to go back to');
  } finally {
    await single.close();
  }
});
