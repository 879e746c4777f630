// `npm run screenshots [kiosk|dashboard]`: refreshes the committed docs/screenshots/*.png on
// purpose. Tests and benches write theirs into a temporary folder; this points them at the docs
// (SIAGA_SCREENSHOTS_DIR, tests/helpers/screenshots.ts). Kiosk: bench/kiosk-screenshots.ts (Xvfb,
// chromium, ImageMagick). Dashboard: the dashboard e2e test, which seeds the district it shows.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const sources = {
  kiosk: ['--import', 'tsx', 'bench/kiosk-screenshots.ts'],
  dashboard: ['scripts/run-tests.mjs', 'tests/e2e/district/dashboard.test.ts'],
};
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !(name in sources));
if (unknown.length > 0) {
  console.error(`unknown screenshot set ${unknown.join(', ')}; known: ${Object.keys(sources).join(', ')}`);
  process.exit(2);
}
const env = { ...process.env, SIAGA_SCREENSHOTS_DIR: resolve('docs/screenshots') };
let failed = 0;
for (const [name, args] of Object.entries(sources)) {
  if (wanted.length > 0 && !wanted.includes(name)) {
    continue;
  }
  console.log(`\n== ${name} screenshots into docs/screenshots`);
  failed += spawnSync(process.execPath, args, { stdio: 'inherit', env }).status === 0 ? 0 : 1;
}
process.exit(failed === 0 ? 0 : 1);
