// Healthy pictures that must not alarm, in Debian Chromium with its fake camera on generated y4m
// videos: sensor noise on a textured scene, a sharp face (few edges), a dim but usable office, a
// plain wall with sensor noise, a warm-lit room.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCameraPage } from '../../helpers/fake-camera';
import type { CameraPage } from '../../helpers/fake-camera';
import { writeY4m } from '../../helpers/y4m';
import type { VideoOptions } from '../../helpers/y4m';
import type { CameraReport } from '../../../electron/station-api';

let directory: string;
let camera: CameraPage;

before(async () => {
  directory = mkdtempSync(join(tmpdir(), 'siaga-camera-healthy-'));
  camera = await startCameraPage();
});

after(async () => {
  await camera.close();
  rmSync(directory, { recursive: true, force: true });
});

function video(name: string, options: VideoOptions): string {
  return writeY4m(join(directory, `${name}.y4m`), options);
}

describe('healthy pictures do not alarm', () => {
  const cases: [string, VideoOptions, CameraReport['code']][] = [
    ['textured scene with sensor noise', { scene: 'healthy-noisy' }, 'CAMERA_OK'],
    ['sharp face', { scene: 'face' }, 'CAMERA_OK'],
    ['dim but usable office', { scene: 'dim' }, 'CAMERA_OK'],
    ['plain wall with sensor noise', { scene: 'wall' }, 'CAMERA_OK'],
    ['warm-lit room', { scene: 'warm' }, 'CAMERA_OK'],
  ];
  for (const [name, options, expected] of cases) {
    test(`${name} -> ${expected}`, async () => {
      const report = await camera.judge({ videoFile: video(name.replace(/\W+/g, '-'), options) });
      assert.equal(report.code, expected, JSON.stringify(report.measurements));
    });
  }
});
