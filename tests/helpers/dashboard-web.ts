// The dashboard's web app built as scripts/build.mjs builds it (app.js, and app.css from the
// stylesheets it imports, uPlot's), with its index.html, into a folder the test server serves.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export async function buildDashboardWeb(webDir: string): Promise<void> {
  await build({
    entryPoints: ['district/web/main.tsx'],
    bundle: true,
    outfile: join(webDir, 'app.js'),
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  });
  writeFileSync(join(webDir, 'index.html'), readFileSync('district/web/index.html', 'utf8'));
}
