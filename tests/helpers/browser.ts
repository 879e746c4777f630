// Debian's Chromium driven by playwright-core, with the flags of TESTING.md. Never downloads a browser.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export interface LaunchOptions {
  /** Feed the fake camera from this y4m file. */
  videoFile?: string;
  /** false: no fake device at all, so getUserMedia fails with NotFoundError (camera missing). */
  fakeCamera?: boolean;
  /** Deny the camera permission instead of granting it. */
  denyCamera?: boolean;
  args?: string[];
}

export function chromiumArgs(options: LaunchOptions = {}): string[] {
  const { fakeCamera = true, videoFile, denyCamera = false } = options;
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    ...(denyCamera ? ['--deny-permission-prompts'] : ['--use-fake-ui-for-media-stream']),
    ...(fakeCamera ? ['--use-fake-device-for-media-stream'] : []),
    ...(fakeCamera && videoFile ? [`--use-file-for-fake-video-capture=${videoFile}`] : []),
    ...(options.args ?? []),
  ];
}

/** Launches headless Chromium; throws a clear error when the Debian package is missing. */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install the Debian "chromium" package (TESTING.md)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: chromiumArgs(options),
    timeout: 30_000,
  });
}
