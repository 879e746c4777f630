// Bundles what ships: the kiosk renderer and the district dashboard for the browser, and the
// Electron main/preload plus both CLIs for Node. Native modules stay external (rebuilt for
// Electron by electron-builder at packaging time).
// `node scripts/build.mjs cli` bundles only the two CLIs (what bin/siaga runs when current).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { buildDashboardWeb } from './dashboard-web-build.mjs';

const NATIVE = ['electron', 'better-sqlite3', 'usb', 'serialport', 'pg-native'];
// pdfkit reads its own data files (standard fonts, ICC profile) relative to its package: left to node_modules.
const EXTERNAL = [...NATIVE, 'pdfkit'];
const cliOnly = process.argv[2] === 'cli';

if (!cliOnly) {
  // The kiosk's renderer as one bundle (it loads from disk, one file costs nothing).
  mkdirSync('dist/renderer', { recursive: true });
  await build({
    entryPoints: ['renderer/main.tsx'],
    bundle: true,
    outfile: 'dist/renderer/app.js',
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    sourcemap: true,
    jsx: 'automatic',
    loader: { '.json': 'json' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  copyFileSync('renderer/index.html', 'dist/renderer/index.html');
  // The district dashboard, split into the board's app.js and a chunk per other page.
  rmSync('dist/district-web', { recursive: true, force: true });
  await buildDashboardWeb('dist/district-web', { sourcemap: true });
}

const node = [
  { entry: 'electron/main.ts', out: 'dist/electron/main.cjs', format: 'cjs' },
  { entry: 'electron/preload.ts', out: 'dist/electron/preload.cjs', format: 'cjs' },
  { entry: 'electron/cli.ts', out: 'dist/cli/siaga.mjs', format: 'esm' },
  { entry: 'district/cli.ts', out: 'dist/cli/siaga-district.mjs', format: 'esm' },
];
for (const { entry, out, format } of node) {
  if ((cliOnly && !out.startsWith('dist/cli/')) || !existsSync(entry)) {
    continue;
  }
  await build({
    entryPoints: [entry],
    bundle: true,
    outfile: out,
    format,
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    loader: { '.json': 'json' },
    sourcemap: true,
    logLevel: 'warning',
    // Modules find resources/ relative to import.meta.url; a CommonJS bundle has no import.meta,
    // so it gets the bundle file's own URL (dist/electron/*.cjs and dist/cli/*.mjs sit two levels
    // below the app root, as the sources do).
    ...(format === 'esm'
      ? { banner: { js: "import { createRequire as __siagaRequire } from 'node:module'; const require = __siagaRequire(import.meta.url);" } }
      : {
          banner: { js: "const __siagaModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
          define: { 'import.meta.url': '__siagaModuleUrl' },
        }),
  });
}
writeFileSync('dist/BUILD', `${JSON.parse(readFileSync('package.json', 'utf8')).version} ${new Date().toISOString()}\n`);
