// The district dashboard's browser bundle, one definition for the release build (scripts/build.mjs),
// the tests' servers (tests/helpers/dashboard-web.ts) and the benchmarks. Code splitting: app.js
// holds the shell, the login and the board (the page most often opened, shown without a second
// request for code); every other page is a chunk under chunks/ loaded when first opened, so the
// board does not download, parse and run uPlot, zod or the forms of pages it does not show.
// esbuild puts code app.js shares with a page's chunk (React, the texts) in shared chunks that app.js
// imports: index.html names them as modulepreload links, so they download alongside app.js instead
// of after it. Chunk names carry their content hash (served cacheable for a year by routes/web.ts);
// app.js, app.css and index.html keep their names (always revalidated).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/** Where chunks go, relative to the web folder (a route of routes/web.ts serves exactly this). */
export const CHUNK_FOLDER = 'chunks';

/**
 * Builds the dashboard into `outDir`: index.html, app.js, app.css and chunks/*.
 * @param {string} outDir
 * @param {{ minify?: boolean; sourcemap?: boolean }} [options]
 */
export async function buildDashboardWeb(outDir, options = {}) {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: { app: 'district/web/main.tsx' },
    bundle: true,
    splitting: true,
    outdir: outDir,
    entryNames: '[name]',
    chunkNames: `${CHUNK_FOLDER}/[name]-[hash]`,
    assetNames: `${CHUNK_FOLDER}/[name]-[hash]`,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: options.minify ?? true,
    sourcemap: options.sourcemap ?? false,
    jsx: 'automatic',
    loader: { '.json': 'json' },
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    logLevel: 'warning',
  });
  const app = Object.entries(result.metafile.outputs).find(([path]) => basename(path) === 'app.js');
  if (app === undefined) {
    throw new Error('dashboard build: esbuild wrote no app.js');
  }
  const preloads = app[1].imports
    .filter((imported) => imported.kind === 'import-statement')
    .map(
      (imported) => `    <link rel="modulepreload" href="/${CHUNK_FOLDER}/${basename(imported.path)}" />\n`,
    )
    .join('');
  const html = readFileSync('district/web/index.html', 'utf8');
  const script = '    <script type="module" src="/app.js"></script>';
  if (!html.includes(script)) {
    throw new Error(`dashboard build: district/web/index.html no longer loads the app as ${script.trim()}`);
  }
  writeFileSync(join(outDir, 'index.html'), html.replace(script, `${preloads}${script}`));
}
