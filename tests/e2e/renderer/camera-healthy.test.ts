// Healthy pictures that must not alarm, in Debian Chromium with its fake camera on generated y4m
// videos: sensor noise on a textured scene, a sharp face (few edges), a dim but usable office, a
// plain wall with sensor noise, a warm-lit room.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useCameraPage } from '../../helpers/fake-camera';
import type { VideoOptions } from '../../helpers/y4m';
import type { CameraReport } from '../../../electron/station-api';

const camera = useCameraPage('camera-healthy');

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
      const report = await camera.judge({ videoFile: camera.video(name.replace(/\W+/g, '-'), options) });
      assert.equal(report.code, expected, JSON.stringify(report.measurements));
    });
  }
});
