// Frame math on synthetic pixel arrays and on the generated camera scenes: luma, statistics, black
// area, noise, colour cast, edge sharpness, frame difference and the verdict order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  blackArea,
  colourCast,
  edgeSharpness,
  frameDifference,
  neighbourCorrelation,
  judgeFrames,
  laplacianVariance,
  lumaFromRgba,
  lumaStats,
} from '../../../renderer/camera/analysis';
import type { LumaFrame } from '../../../renderer/camera/analysis';
import { sceneFrame, sceneRgba } from '../../helpers/y4m';
import type { Scene } from '../../helpers/y4m';

const W = 64;
const H = 48;

function frame(pixel: (x: number, y: number) => number, width = W, height = H): LumaFrame {
  const luma = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      luma[y * width + x] = Math.max(0, Math.min(255, Math.round(pixel(x, y))));
    }
  }
  return { width, height, luma };
}

const checker = (shift = 0, low = 40, high = 220) =>
  frame((x, y) => ((Math.floor((x + shift) / 4) + Math.floor(y / 4)) % 2 ? high : low));
const judge = (frames: LumaFrame[], captureWidth = 640, captureHeight = 480) =>
  judgeFrames({ frames, captureWidth, captureHeight, minWidth: 640, minHeight: 480 }).code;

test('luma from RGBA uses BT.601 weights', () => {
  const rgba = new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255, 0, 255, 0, 255]);
  const { luma } = lumaFromRgba(rgba, 4, 1);
  assert.deepEqual([...luma], [255, 0, 76, 149]);
  assert.throws(() => lumaFromRgba(new Uint8Array(3), 1, 1), RangeError);
});

test('luma statistics', () => {
  const stats = lumaStats(frame((x) => (x < W / 2 ? 0 : 250)));
  assert.equal(stats.mean, 125);
  assert.equal(stats.standardDeviation, 125);
  assert.equal(stats.darkFraction, 0.5);
  assert.equal(stats.brightFraction, 0.5);
  assert.equal(stats.min, 0);
  assert.equal(stats.max, 250);
});

test('Laplacian variance: zero on a flat or linear image, large on edges', () => {
  assert.equal(laplacianVariance(frame(() => 128)), 0);
  assert.equal(laplacianVariance(frame((x) => x * 2)), 0);
  assert.ok(laplacianVariance(checker()) > 1000);
  assert.equal(laplacianVariance(frame(() => 1, 2, 2)), 0);
});

test('frame difference is the mean absolute change', () => {
  assert.equal(
    frameDifference(
      frame(() => 10),
      frame(() => 13),
    ),
    3,
  );
  assert.equal(frameDifference(checker(), checker()), 0);
  assert.ok(frameDifference(checker(0), checker(2)) > 50);
  assert.throws(
    () =>
      frameDifference(
        frame(() => 0),
        frame(() => 0, 8, 8),
      ),
    RangeError,
  );
});

test('verdicts: ok, black, dark, bright, frozen, blurred, wrong resolution', () => {
  const moving = [checker(0), checker(1), checker(2)];
  assert.equal(judge(moving), 'CAMERA_OK');
  assert.equal(judge([frame(() => 0), frame(() => 1)]), 'CAMERA_BLACK_FRAME');
  assert.equal(judge([checker(0, 10, 60), checker(1, 10, 60)]), 'CAMERA_TOO_DARK');
  assert.equal(judge([checker(0, 200, 255), checker(1, 200, 255)]), 'CAMERA_TOO_BRIGHT');
  assert.equal(judge([checker(0), checker(0), checker(0)]), 'CAMERA_FROZEN');
  const smooth = (shift: number) => frame((x, y) => 128 + 40 * Math.sin((x + shift) / 15) * Math.cos(y / 15));
  assert.equal(judge([smooth(0), smooth(2)]), 'CAMERA_BLURRED');
  assert.equal(judge(moving, 320, 240), 'CAMERA_WRONG_RESOLUTION');
});

test('the most basic cause is named first: a black frozen frame is black, not frozen', () => {
  const black = frame(() => 2);
  const result = judgeFrames({
    frames: [black, black],
    captureWidth: 320,
    captureHeight: 240,
    minWidth: 640,
    minHeight: 480,
  });
  assert.equal(result.code, 'CAMERA_BLACK_FRAME');
  assert.equal(result.measurements.frameDifference, 0);
  assert.equal(result.measurements.captureWidth, 320);
  assert.throws(
    () => judgeFrames({ frames: [], captureWidth: 1, captureHeight: 1, minWidth: 1, minHeight: 1 }),
    RangeError,
  );
});

// The very pictures the browser test feeds Chromium's fake camera, as the canvas sees them: each
// broken camera is named, and no healthy picture is called broken.
const sceneFrames = (scene: Scene, count = 4) =>
  Array.from({ length: count }, (_, index) => {
    const { rgba, width, height } = sceneRgba(sceneFrame(scene, 640, 480, index + 1));
    return lumaFromRgba(rgba, width, height);
  });

const SCENE_VERDICTS: [Scene, string][] = [
  ['half-black', 'CAMERA_PARTLY_BLACK'],
  ['row-band', 'CAMERA_PARTLY_BLACK'],
  ['noise', 'CAMERA_NOISE'],
  ['colour-cast', 'CAMERA_COLOUR_CAST'],
  ['gaussian', 'CAMERA_BLURRED'],
  ['face-gaussian', 'CAMERA_BLURRED'],
  // False alarms that must not happen.
  ['healthy-noisy', 'CAMERA_OK'],
  ['face', 'CAMERA_OK'],
  ['still', 'CAMERA_OK'],
  ['dim', 'CAMERA_OK'],
  ['wall', 'CAMERA_OK'],
  ['warm', 'CAMERA_OK'],
];
for (const [scene, expected] of SCENE_VERDICTS) {
  test(`scene ${scene} -> ${expected}`, () => {
    const result = judgeFrames({
      frames: sceneFrames(scene),
      captureWidth: 640,
      captureHeight: 480,
      minWidth: 640,
      minHeight: 480,
    });
    assert.equal(result.code, expected, JSON.stringify(result.measurements));
  });
}

test('blur is judged by edge width, not by the amount of texture or contrast', () => {
  const sharp = edgeSharpness(sceneFrames('face', 1)[0]!);
  const blurred = edgeSharpness(sceneFrames('face-gaussian', 1)[0]!);
  assert.ok(sharp.sharpness >= 0.6, `sharp face ${sharp.sharpness}`);
  assert.ok(blurred.sharpness <= 0.4, `blurred face ${blurred.sharpness}`);
  // Half the contrast, same edges: same sharpness.
  const faint = sceneFrames('face', 1)[0]!;
  const halved = { ...faint, luma: faint.luma.map((value) => 64 + (value >> 1)), rgba: undefined };
  assert.ok(Math.abs(edgeSharpness(halved).sharpness - sharp.sharpness) <= 0.1);
  assert.deepEqual(edgeSharpness(frame(() => 128)), { sharpness: 0, edges: 0 });
});

test('black area, neighbour correlation and colour cast measures', () => {
  const half = blackArea(frame((x, y) => (x < W / 2 ? 1 + ((x + y) % 2) : 100 + ((x * 7 + y * 13) % 50))));
  assert.equal(half.columns, 0.5);
  assert.equal(half.rows, 0);
  assert.ok(half.blocks >= 0.4);
  const noise = neighbourCorrelation(sceneFrames('noise', 1)[0]!);
  assert.ok(Math.abs(noise) < 0.2, `noise correlation ${noise}`);
  assert.ok(neighbourCorrelation(sceneFrames('face', 1)[0]!) > 0.8);
  const green = colourCast(sceneFrames('colour-cast', 1)[0]!);
  assert.ok(green.chroma > 60 && green.cb < 0 && green.cr < 0, JSON.stringify(green));
  assert.ok(colourCast(sceneFrames('warm', 1)[0]!).chroma < 25);
  assert.equal(colourCast(frame(() => 128)).chroma, 0, 'no RGBA, no colour measure');
});

test('frozen means a repeated frame: sensor noise on a still scene is alive, a repeated noisy frame is not', () => {
  const still = sceneFrames('still');
  assert.notEqual(judge(still), 'CAMERA_FROZEN');
  const repeated = [still[0]!, still[0]!, still[0]!];
  assert.equal(judge(repeated), 'CAMERA_FROZEN');
});
