// The photo camera check in Debian Chromium, its fake camera fed from generated y4m videos: one
// launch per verdict, since the video file is a browser flag. The broken pictures beyond brightness,
// the false alarms and the watched preview are in camera-verdicts.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAMERA_SETTINGS, startCameraPage } from '../../helpers/fake-camera';
import type { CameraPage } from '../../helpers/fake-camera';
import { writeY4m } from '../../helpers/y4m';
import type { VideoOptions } from '../../helpers/y4m';
import type { CameraReport } from '../../../electron/station-api';

let directory: string;
let camera: CameraPage;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'siaga-camera-'));
  camera = await startCameraPage();
});

after(async () => {
  await camera.close();
  rmSync(directory, { recursive: true, force: true });
});

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
      const report = await camera.judge({ videoFile: video(name, options) });
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
    const report = await camera.judge({ fakeCamera: false });
    assert.equal(report.code, 'CAMERA_MISSING');
  });

  test('permission denied is its own verdict', async () => {
    const report = await camera.judge({ videoFile: video('denied', { scene: 'normal' }), denyCamera: true });
    assert.equal(report.code, 'CAMERA_PERMISSION_DENIED');
  });

  test('a profile label that matches no camera means the expected camera is missing', async () => {
    const report = await camera.judge(
      { videoFile: video('label', { scene: 'normal' }) },
      { ...CAMERA_SETTINGS, label: 'Canon EOS' },
    );
    assert.equal(report.code, 'CAMERA_MISSING');
  });
});
