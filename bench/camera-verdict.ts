// Time from opening the camera (getUserMedia in Debian Chromium with its fake camera on a generated
// 640x480 y4m video) to the verdict, per case. Goals: <= 1 s for black, dark, blur and colour
// faults; the verdict on a picture that freezes 1.5 s after opening by 3 s (watched preview).
// Figures, not pass/fail. Also the cost of one judgement (judgeFrames on 4 frames at 320x240) in Node.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judgeFrames, lumaFromRgba } from '../renderer/camera/analysis';
import { startCameraPage } from '../tests/helpers/fake-camera';
import { sceneFrame, sceneRgba, writeY4m } from '../tests/helpers/y4m';
import type { Scene, VideoOptions } from '../tests/helpers/y4m';

const RUNS = Number(process.env.RUNS ?? 3);
const directory = mkdtempSync(join(tmpdir(), 'siaga-bench-camera-'));
const camera = await startCameraPage();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const range = (values: number[]) =>
  `median ${median(values)} ms (${Math.min(...values)}-${Math.max(...values)})`;

try {
  const cases: [string, Scene, string][] = [
    ['black', 'black', 'CAMERA_BLACK_FRAME'],
    ['dark', 'dark', 'CAMERA_TOO_DARK'],
    ['half black', 'half-black', 'CAMERA_PARTLY_BLACK'],
    ['noise', 'noise', 'CAMERA_NOISE'],
    ['colour cast', 'colour-cast', 'CAMERA_COLOUR_CAST'],
    ['blur sigma 4', 'gaussian', 'CAMERA_BLURRED'],
    ['healthy face', 'face', 'CAMERA_OK'],
  ];
  console.log('time from opening the camera to the verdict (report.elapsedMs), Chromium fake camera 640x480');
  for (const [name, scene, expected] of cases) {
    const file = writeY4m(join(directory, `${scene}.y4m`), { scene });
    const totals: number[] = [];
    const opens: number[] = [];
    const codes = new Set<string>();
    for (let run = 0; run < RUNS; run++) {
      const report = await camera.judge({ videoFile: file });
      codes.add(report.code);
      totals.push(report.elapsedMs);
      opens.push(report.measurements.firstFrameMs ?? 0);
    }
    const ok =
      codes.size === 1 && codes.has(expected) ? '' : ` (got ${[...codes].join(', ')}, expected ${expected})`;
    console.log(`  ${name.padEnd(14)} ${range(totals)}; of which open to first frame ${range(opens)}${ok}`);
  }
  const freeze: VideoOptions = { scene: 'freeze-late', freezeAfterFrames: 22, frames: 22 + 75 };
  const file = writeY4m(join(directory, 'freeze-late.y4m'), freeze);
  const frozenAt: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const watched = await camera.watch({ videoFile: file }, 4500);
    const frozen = watched.updates.find((update) => update.report.code === 'CAMERA_FROZEN');
    frozenAt.push(frozen ? frozen.report.elapsedMs : Infinity);
  }
  console.log(
    `  ${'freeze @1.5 s'.padEnd(14)} frozen verdict ${range(frozenAt)} after opening (goal <= 3000 ms)`,
  );

  const frames = [1, 2, 3, 4].map((index) => {
    const { rgba, width, height } = sceneRgba(sceneFrame('face', 640, 480, index));
    return lumaFromRgba(rgba, width, height);
  });
  const times: number[] = [];
  for (let run = 0; run < 30; run++) {
    const started = performance.now();
    judgeFrames({ frames, captureWidth: 640, captureHeight: 480, minWidth: 640, minHeight: 480 });
    times.push(performance.now() - started);
  }
  console.log(`one judgement of 4 frames at 320x240 in Node: median ${median(times).toFixed(1)} ms`);
} finally {
  await camera.close();
  rmSync(directory, { recursive: true, force: true });
}
