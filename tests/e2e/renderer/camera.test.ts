// The photo camera check in Debian Chromium, its fake camera fed from generated y4m videos: one
// launch per verdict, since the video file is a browser flag.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { launchChromium } from '../../helpers/browser';
import type { LaunchOptions } from '../../helpers/browser';
import { writeY4m } from '../../helpers/y4m';
import type { VideoOptions } from '../../helpers/y4m';
import type { CameraReport, CameraSettings } from '../../../electron/station-api';

const SETTINGS: CameraSettings = { label: '', minWidth: 640, minHeight: 480 };
let directory: string;
let server: Server;
let url: string;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'siaga-camera-'));
  const bundle = await build({
    entryPoints: ['tests/e2e/pages/camera-page.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
  });
  const script = bundle.outputFiles[0]!.text;
  server = createServer((request, response) => {
    if (request.url === '/camera.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><html><body><script type="module" src="/camera.js"></script></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(directory, { recursive: true, force: true });
});

async function judge(launch: LaunchOptions, settings = SETTINGS): Promise<CameraReport> {
  const browser = await launchChromium(launch);
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction('typeof window.runCameraCheck === "function"');
    return await page.evaluate(
      (value) =>
        (
          globalThis as unknown as { runCameraCheck: (settings: CameraSettings) => Promise<CameraReport> }
        ).runCameraCheck(value),
      settings,
    );
  } finally {
    await browser.close();
  }
}

function video(name: string, options: VideoOptions): string {
  return writeY4m(join(directory, `${name}.y4m`), options);
}

describe('camera check in Chromium with a fake camera', () => {
  const cases: [string, VideoOptions, CameraReport['code']][] = [
    ['normal', { scene: 'normal' }, 'CAMERA_OK'],
    ['black', { scene: 'black' }, 'CAMERA_BLACK_FRAME'],
    ['frozen', { scene: 'frozen' }, 'CAMERA_FROZEN'],
    ['dark', { scene: 'dark' }, 'CAMERA_TOO_DARK'],
    ['bright', { scene: 'bright' }, 'CAMERA_TOO_BRIGHT'],
    ['blurred', { scene: 'blurred' }, 'CAMERA_BLURRED'],
    ['small', { scene: 'normal', width: 320, height: 240 }, 'CAMERA_WRONG_RESOLUTION'],
  ];
  for (const [name, options, expected] of cases) {
    test(`${name} video -> ${expected}, judged well under a second after the first frame`, async () => {
      const report = await judge({ videoFile: video(name, options) });
      assert.equal(report.code, expected, JSON.stringify(report.measurements));
      assert.ok(report.snapshot?.startsWith('data:image/jpeg;base64,'), 'a snapshot is attached');
      assert.equal(report.width, options.width ?? 640);
      assert.ok(
        (report.measurements.judgedAfterFirstFrameMs ?? Infinity) < 800,
        `judged ${report.measurements.judgedAfterFirstFrameMs} ms after the first frame`,
      );
    });
  }

  test('no fake device: the camera is missing', async () => {
    const report = await judge({ fakeCamera: false });
    assert.equal(report.code, 'CAMERA_MISSING');
  });

  test('permission denied is its own verdict', async () => {
    const report = await judge({ videoFile: video('denied', { scene: 'normal' }), denyCamera: true });
    assert.equal(report.code, 'CAMERA_PERMISSION_DENIED');
  });

  test('a profile label that matches no camera means the expected camera is missing', async () => {
    const report = await judge(
      { videoFile: video('label', { scene: 'normal' }) },
      { ...SETTINGS, label: 'Canon EOS' },
    );
    assert.equal(report.code, 'CAMERA_MISSING');
  });
});
