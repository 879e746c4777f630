// /publik as browsers and proxies fetch it: Accept-Encoding with q-values (a coding refused with
// q=0 is never sent), codings in any letter case, If-None-Match as caches send it (weak, a list,
// `*`), a 304 that keeps the caching headers, HEAD; and kecamatan names with HTML or 100
// characters shown as text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { HEALTHY, heartbeat, openAllWeek, postEvents } from '../../helpers/dashboard';
import { startTestDistrict, TestStation } from '../../helpers/district';
import type { TestDistrict } from '../../helpers/district';

let district: TestDistrict;
const clock = Date.parse('2026-03-02T03:00:00Z');
const HOSTILE = '<script>alert("x")</script> & Co';
/** As long as a kecamatan name may be (kecamatan-names.test.ts refuses longer ones). */
const LONG = `Kecamatan ${'Panjang'.repeat(27)}`.slice(0, 100);

before(async () => {
  district = await startTestDistrict({
    now: () => clock,
    dashboard: { districtName: 'Kabupaten <b>Uji</b>' },
  });
  await openAllWeek(district.db);
  for (const kecamatan of [HOSTILE, LONG]) {
    const station = new TestStation();
    await station.enroll(district, 'Loket 1', kecamatan);
    await postEvents(district, station, [heartbeat(station, clock, HEALTHY)], clock);
  }
});
after(async () => district.close());

const get = (headers: Record<string, string> = {}, url = '/publik', method: 'GET' | 'HEAD' = 'GET') =>
  district.app.inject({ method, url, headers });

async function plainPage(): Promise<string> {
  return (await get({ 'accept-encoding': 'identity' })).body;
}

function decoded(response: Awaited<ReturnType<typeof get>>): string {
  const raw = response.rawPayload;
  const coding = response.headers['content-encoding'];
  return (coding === 'br' ? brotliDecompressSync(raw) : coding === 'gzip' ? gunzipSync(raw) : raw).toString(
    'utf8',
  );
}

for (const [acceptEncoding, expected] of [
  ['gzip, deflate, br', 'br'],
  ['gzip', 'gzip'],
  ['GZIP', 'gzip'],
  ['br;q=0, gzip', 'gzip'],
  ['br;q=0.0, gzip;q=0.5', 'gzip'],
  ['gzip;q=0, br;q=0', undefined],
  ['identity', undefined],
  ['', undefined],
] as const) {
  test(`Accept-Encoding "${acceptEncoding}" gets ${expected ?? 'no'} content coding, same page`, async () => {
    const response = await get({ 'accept-encoding': acceptEncoding });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-encoding'], expected);
    assert.match(String(response.headers.vary), /accept-encoding/i);
    assert.equal(decoded(response), await plainPage());
  });
}

test('If-None-Match with the ETag, weak, in a list or `*` gets 304 with the caching headers; another tag gets the page', async () => {
  const first = await get({ 'accept-encoding': 'gzip' });
  const etag = String(first.headers.etag);
  const opaque = etag.replace(/^W\//, '');
  for (const ifNoneMatch of [etag, `W/${opaque}`, `"other", ${etag}`, '*']) {
    const again = await get({ 'accept-encoding': 'gzip', 'if-none-match': ifNoneMatch });
    assert.equal(again.statusCode, 304, `If-None-Match: ${ifNoneMatch}`);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    assert.match(String(again.headers['cache-control']), /max-age=30/);
    assert.match(String(again.headers.vary), /accept-encoding/i);
  }
  const other = await get({ 'if-none-match': '"not-this-one"' });
  assert.equal(other.statusCode, 200);
});

test('the same page gzip-coded and plain does not claim the same strong validator', async () => {
  const gzip = await get({ 'accept-encoding': 'gzip' });
  const plain = await get({ 'accept-encoding': 'identity' });
  // One strong ETag for different bytes would let a cache join ranges of the two: weak, or one per coding.
  const gzipTag = String(gzip.headers.etag);
  const plainTag = String(plain.headers.etag);
  assert.ok(gzipTag.startsWith('W/') || gzipTag !== plainTag, `${gzipTag} vs ${plainTag}`);
});

test('HEAD /publik and /publik/ answer like GET without a body', async () => {
  for (const url of ['/publik', '/publik/']) {
    const head = await get({ 'accept-encoding': 'identity' }, url, 'HEAD');
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    assert.match(String(head.headers['content-type']), /text\/html/);
  }
});

test('kecamatan and district names with HTML or of the longest length are shown as text', async () => {
  const page = await plainPage();
  assert.doesNotMatch(page, /<script>/);
  assert.doesNotMatch(page, /<b>Uji/);
  assert.match(page, /Kabupaten &lt;b&gt;Uji&lt;\/b&gt;/);
  assert.match(page, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; Co/);
  assert.ok(page.includes(LONG), 'the long name in full');
  assert.match(page, /2 dari 2 kecamatan bisa merekam sekarang/);
});
