// What a broken camera looks like beyond brightness, in Debian Chromium with its fake camera on
// generated y4m videos: part of the picture black, random noise, a colour cast, a Gaussian blur of
// sigma 4 px at 640 wide. The false alarms are camera-healthy.test.ts, the watched preview
// camera-watch.test.ts (one browser launch per video: split to stay within a test file's time).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { useCameraPage } from '../../helpers/fake-camera';
import type { VideoOptions } from '../../helpers/y4m';
import type { CameraReport } from '../../../electron/station-api';

const camera = useCameraPage('camera-verdicts');

describe('broken pictures are named', () => {
  const cases: [string, VideoOptions, CameraReport['code']][] = [
    ['half black (lens cap)', { scene: 'half-black' }, 'CAMERA_PARTLY_BLACK'],
    ['dead row band', { scene: 'row-band' }, 'CAMERA_PARTLY_BLACK'],
    ['random noise', { scene: 'noise' }, 'CAMERA_NOISE'],
    ['green colour cast', { scene: 'colour-cast' }, 'CAMERA_COLOUR_CAST'],
    ['Gaussian blur sigma 4 on texture', { scene: 'gaussian' }, 'CAMERA_BLURRED'],
    ['Gaussian blur sigma 4 on a face', { scene: 'face-gaussian' }, 'CAMERA_BLURRED'],
  ];
  for (const [name, options, expected] of cases) {
    test(`${name} -> ${expected}`, async () => {
      const report = await camera.judge({ videoFile: camera.video(name.replace(/\W+/g, '-'), options) });
      assert.equal(report.code, expected, JSON.stringify(report.measurements));
    });
  }
});
