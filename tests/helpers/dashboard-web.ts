// The dashboard's web app built as scripts/build.mjs builds it (app.js with the board, a chunk per
// other page, app.css from the stylesheets it imports), with its index.html, into a folder the test
// server serves. Not minified: a failing test's stack names the code.
import { buildDashboardWeb as buildForRelease } from '../../scripts/dashboard-web-build.mjs';

export async function buildDashboardWeb(webDir: string): Promise<void> {
  await buildForRelease(webDir, { minify: false });
}
