// The district dashboard's browser bundle, one definition for the release build (scripts/build.mjs),
// the tests' servers (tests/helpers/dashboard-web.ts) and the benchmarks. Code splitting: app.js
// holds the shell, the login and the board (the page most often opened, shown without a second
// request for code); every other page is a chunk under chunks/ loaded when first opened, so the
// board does not download, parse and run uPlot, zod or the forms of pages it does not show.
// esbuild puts code app.js shares with a page's chunk (React, the texts) in shared chunks that app.js
// imports: index.html names them as modulepreload links, so they download alongside app.js instead
// of after it. Chunk names carry their content hash (served cacheable for a year by routes/web.ts);
// app.js, app.css and index.html keep their names (always revalidated).
// The server's first view of the board (docs/dashboard.md) needs two more files: first-view.mjs, a
// node module rendering the app's own Shell and Board to a string (routes/first-view.ts loads it),
// and a tiny classic script in index.html's head that decides, before the body is parsed, whether
// that view fits the browser (chunks/first-view-check-HASH.js, cacheable as the chunks are).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

/** Where chunks go, relative to the web folder (a route of routes/web.ts serves exactly this). */
export const CHUNK_FOLDER = 'chunks';

/** The module routes/first-view.ts loads (FIRST_VIEW_MODULE of district/dash-first-view.ts). */
export const FIRST_VIEW_MODULE = 'first-view.mjs';

/**
 * Builds the dashboard into `outDir`: index.html, app.js, app.css, chunks/* and first-view.mjs.
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
  if (!html.includes(script) || !html.includes('  </head>')) {
    throw new Error(`dashboard build: district/web/index.html no longer loads the app as ${script.trim()}`);
  }
  const check = await buildFirstViewCheck(outDir, options);
  await build({
    entryPoints: ['district/web/first-view.tsx'],
    bundle: true,
    outfile: join(outDir, FIRST_VIEW_MODULE),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    minify: options.minify ?? true,
    jsx: 'automatic',
    // The pages' stylesheets are app.css's business; the server renders markup only.
    loader: { '.json': 'json', '.css': 'empty' },
    define: { 'process.env.NODE_ENV': '"production"' },
    // react-dom/server is CommonJS asking for node's built-ins: an ES module has no `require` of its own.
    banner: { js: "import { createRequire as siagaRequire } from 'node:module'; const require = siagaRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  writeFileSync(
    join(outDir, 'index.html'),
    html
      .replace(script, `${preloads}${script}`)
      .replace('  </head>', `    <script src="/${CHUNK_FOLDER}/${check}"></script>\n  </head>`),
  );
}

/**
 * The head script (district/web/first-view-check.ts) as a classic script: parser-blocking, so it has
 * decided before the first view is painted. Named by its content's hash like the chunks (8 of
 * [A-Z0-9], as routes/web.ts serves them), so the browser keeps it without asking again.
 * @param {string} outDir
 * @param {{ minify?: boolean }} options
 * @returns {Promise<string>} its file name under chunks/
 */
async function buildFirstViewCheck(outDir, options) {
  const result = await build({
    entryPoints: ['district/web/first-view-check.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: options.minify ?? true,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  const name = `first-view-check-${createHash('sha256').update(code).digest('hex').slice(0, 8).toUpperCase()}.js`;
  mkdirSync(join(outDir, CHUNK_FOLDER), { recursive: true });
  writeFileSync(join(outDir, CHUNK_FOLDER, name), code);
  return name;
}
