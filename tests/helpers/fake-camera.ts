// The renderer's camera check in Debian Chromium with its fake camera fed from a y4m file
// (tests/e2e/pages/camera-page.ts bundled and served on 127.0.0.1): one browser launch per video,
// since the file is a browser flag. Used by the camera tests and bench/camera-verdict.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { build } from 'esbuild';
import { launchChromium } from './browser';
import type { LaunchOptions } from './browser';
import { writeY4m } from './y4m';
import type { VideoOptions } from './y4m';
import type { Page } from 'playwright-core';
import type { CameraReport, CameraSettings } from '../../electron/station-api';

export const CAMERA_SETTINGS: CameraSettings = { label: '', minWidth: 640, minHeight: 480 };

export interface WatchedCamera {
  first: CameraReport;
  updates: { report: CameraReport; settled: boolean }[];
}

export interface CameraPage {
  url: string;
  /** One camera check (preview closed at once). */
  judge(launch: LaunchOptions, settings?: CameraSettings): Promise<CameraReport>;
  /** The check with its preview kept open and watched for `watchMs` after its first verdict. */
  watch(launch: LaunchOptions, watchMs: number, settings?: CameraSettings): Promise<WatchedCamera>;
  close(): Promise<void>;
}

type PageGlobals = {
  runCameraCheck: (settings: CameraSettings) => Promise<CameraReport>;
  runCameraWatch: (settings: CameraSettings, watchMs: number) => Promise<WatchedCamera>;
};

export async function startCameraPage(): Promise<CameraPage> {
  const bundle = await build({
    entryPoints: ['tests/e2e/pages/camera-page.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
  });
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((request, response) => {
    if (request.url === '/camera.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><html><body><script type="module" src="/camera.js"></script></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const withPage = async <T>(launch: LaunchOptions, run: (page: Page) => Promise<T>) => {
    const browser = await launchChromium(launch);
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction('typeof window.runCameraWatch === "function"');
      return await run(page);
    } finally {
      await browser.close();
    }
  };
  return {
    url,
    judge: (launch, settings = CAMERA_SETTINGS) =>
      withPage(launch, (page) =>
        page.evaluate((value) => (globalThis as unknown as PageGlobals).runCameraCheck(value), settings),
      ),
    watch: (launch, watchMs, settings = CAMERA_SETTINGS) =>
      withPage(launch, (page) =>
        page.evaluate(
          ([value, milliseconds]) =>
            (globalThis as unknown as PageGlobals).runCameraWatch(value, milliseconds),
          [settings, watchMs] as const,
        ),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface CameraTestFile extends Pick<CameraPage, 'judge' | 'watch'> {
  /** Writes `<name>.y4m` into the test file's temp folder and returns its path. */
  video(name: string, options: VideoOptions): string;
}

/**
 * Registers the test file's before/after hooks: one camera page and one temp folder for the videos
 * (`siaga-<prefix>-*`), both removed after the file's tests. Call at the top level of a test file.
 */
export function useCameraPage(prefix: string): CameraTestFile {
  let directory: string | undefined;
  let camera: CameraPage | undefined;
  before(async () => {
    directory = mkdtempSync(join(tmpdir(), `siaga-${prefix}-`));
    camera = await startCameraPage();
  });
  after(async () => {
    await camera?.close();
    if (directory !== undefined) {
      rmSync(directory, { recursive: true, force: true });
    }
  });
  const started = (): CameraPage => {
    if (camera === undefined) {
      throw new Error('the camera page starts in before(): use it inside a test');
    }
    return camera;
  };
  return {
    video: (name, options) => {
      if (directory === undefined) {
        throw new Error('the video folder is made in before(): use it inside a test');
      }
      return writeY4m(join(directory, `${name}.y4m`), options);
    },
    judge: (launch, settings) => started().judge(launch, settings),
    watch: (launch, watchMs, settings) => started().watch(launch, watchMs, settings),
  };
}
