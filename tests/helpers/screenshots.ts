// Where e2e tests and benches put their screenshots. A run writes them into a temporary folder, so
// it never changes the committed docs/screenshots/*.png; `npm run screenshots`
// (scripts/refresh-screenshots.mjs) sets SIAGA_SCREENSHOTS_DIR to refresh the docs on purpose.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const SCREENSHOTS_DIR_VARIABLE = 'SIAGA_SCREENSHOTS_DIR';

/** SIAGA_SCREENSHOTS_DIR when set, else `fallback`, else a new folder under the OS temp folder; created. */
export function screenshotDirectory(fallback?: string): string {
  const chosen = process.env[SCREENSHOTS_DIR_VARIABLE];
  if (chosen) {
    const directory = resolve(chosen);
    mkdirSync(directory, { recursive: true });
    return directory;
  }
  if (fallback !== undefined) {
    mkdirSync(fallback, { recursive: true });
    return fallback;
  }
  return mkdtempSync(join(tmpdir(), 'siaga-screenshots-'));
}
