// A province officer in Chromium typing another province's and district's addresses by hand
// (#/provinsi/51, #/kabupaten/51.71, #/nasional): each shows nothing of Bali, and the page says so
// instead of going blank. Screenshots go to a temporary folder.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { CountryBrowser } from '../../helpers/country-browser';
import { startCountryBrowser } from '../../helpers/country-browser';

let country: CountryBrowser;

before(async () => {
  country = await startCountryBrowser('national-hostile-e2e');
});

after(async () => {
  await country?.close();
});

const BALI = ['Denpasar', 'fp-dps', 'Bali', 'SN-DPS-1'];

test("a province officer typing Bali's addresses sees nothing of Bali, and is told so", async () => {
  const { page, server, screenshots } = country;
  await country.signIn('jateng');
  await page.locator('li.area[data-area="33.72"]').waitFor();
  for (const [hash, name] of [
    ['#/provinsi/51', 'provinsi-51'],
    ['#/kabupaten/51.71', 'kabupaten-51-71'],
    ['#/nasional', 'nasional'],
  ] as const) {
    await page.goto(`${server.url}/${hash}`);
    // A hand-typed hash is a same-document navigation: wait for the view to answer.
    await page.waitForFunction(() =>
      /tidak ditemukan|Jawa Tengah/.test(
        document.querySelector('main')?.textContent ?? document.body.innerText,
      ),
    );
    const text = await page.evaluate(() => document.body.innerText);
    await page.screenshot({ path: join(screenshots, `jateng-${name}-360.png`), fullPage: true });
    for (const marker of BALI) {
      assert.ok(!text.includes(marker), `${hash} shows ${marker}: ${text.slice(0, 300)}`);
    }
    // Not a blank page: in Bahasa Indonesia first, "not found" for Bali, or the officer's own province.
    assert.match(
      text,
      hash === '#/nasional' ? /tidak ditemukan|Jawa Tengah/ : /tidak ditemukan/,
      `${hash}: ${text.slice(0, 300)}`,
    );
  }
});
