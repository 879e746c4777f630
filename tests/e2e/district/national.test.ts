// The province and national views in Debian's Chromium on a phone-sized screen (360 px): a national
// account signs in, sees every province, drills into Jawa Tengah, then into Kabupaten Sragen's own
// board and faults, which show nothing of another district. Screenshots go to a temporary folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CountryBrowser } from '../../helpers/country-browser';
import { startCountryBrowser } from '../../helpers/country-browser';

let country: CountryBrowser;

before(async () => {
  country = await startCountryBrowser('national-e2e');
});

after(async () => {
  await country?.close();
});

test('national -> province -> district board on a 360 px phone, in Bahasa Indonesia', async () => {
  const { page, server, screenshots } = country;
  await country.signIn('pusat');
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  // A national account lands on the national view: two provinces, Jawa Tengah first (it has trouble).
  await page.locator('li.area[data-area="51"]').waitFor();
  assert.equal(await page.locator('.rollup h2').textContent(), 'Nasional');
  assert.equal(
    await page.locator('.rollup .summary').textContent(),
    '2 dari 4 kecamatan bisa merekam sekarang',
  );
  assert.deepEqual(
    await page.locator('li.area').evaluateAll((items) => items.map((item) => item.getAttribute('data-area'))),
    ['33', '51'],
  );
  const jateng = page.locator('li.area[data-area="33"]');
  assert.match((await jateng.textContent()) ?? '', /1\/3 bisa merekam · 1 tidak bisa · 1 tanpa kabar/);
  assert.match((await page.locator('ol.oldest').textContent()) ?? '', /Kota Denpasar · Kec\. Denpasar Barat/);
  assert.equal(await overflow(), 0, 'national view scrolls sideways at 360 px');
  await page.screenshot({ path: join(screenshots, 'nasional-360.png'), fullPage: true });

  await jateng.locator('a').first().click();
  await page.locator('li.area[data-area="33.72"]').waitFor();
  assert.equal(await page.locator('.rollup h2').textContent(), 'Jawa Tengah');
  assert.equal(await page.locator('li.area').count(), 2);
  assert.ok(!((await page.locator('.rollup').textContent()) ?? '').includes('Denpasar'));
  assert.equal(await overflow(), 0, 'province view scrolls sideways at 360 px');
  await page.screenshot({ path: join(screenshots, 'provinsi-360.png'), fullPage: true });

  await page.locator('li.area[data-area="33.14"] a').first().click();
  await page.locator('article.kecamatan').nth(1).waitFor();
  assert.match((await page.locator('p.drill').textContent()) ?? '', /Kabupaten\/kota: 33\.14/);
  const board = (await page.locator('main').textContent()) ?? '';
  assert.match(board, /Tangen/);
  assert.match(board, /Sragen Kota/);
  assert.ok(!board.includes('Laweyan') && !board.includes('Denpasar'), board.slice(0, 300));
  assert.equal(await overflow(), 0, 'district board scrolls sideways at 360 px');
  await page.screenshot({ path: join(screenshots, 'kabupaten-360.png'), fullPage: true });

  // The district stays chosen for its other pages: its faults, nobody else's.
  await page.goto(server.url + '/#/gangguan');
  await page.locator('text=Tangen').first().waitFor();
  const faults = (await page.locator('main').textContent()) ?? '';
  assert.ok(!faults.includes('Denpasar'), faults.slice(0, 300));

  // Back to the regional view from the navigation.
  await page.goto(server.url + '/#/nasional');
  await page.locator('li.area[data-area="51"]').waitFor();
});
