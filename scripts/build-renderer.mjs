// Bundles the kiosk UI into dist/renderer: index.html (from renderer/index.html), app.js, app.css.
// Same options as scripts/build.mjs; the tests call buildRenderer() to build only the renderer.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds into outDir (default dist/renderer). Returns the output directory. */
export async function buildRenderer({ outDir = join(root, 'dist', 'renderer'), minify = true } = {}) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(root, 'renderer', 'main.tsx')],
    outfile: join(outDir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    minify,
    sourcemap: true,
    loader: { '.json': 'json' },
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'renderer', 'index.html'), join(outDir, 'index.html'));
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = Date.now();
  const outDir = await buildRenderer();
  console.log(`renderer built into ${outDir} in ${Date.now() - started} ms`);
}
