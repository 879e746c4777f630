// Pure frame math for the photo camera check: no DOM, so it runs in unit tests on synthetic pixels.
// Frames are luma planes (one byte per pixel, 0..255, row-major) of the same size.

export interface LumaFrame {
  width: number;
  height: number;
  /** BT.601 luma, 0..255, width*height values. */
  luma: Uint8Array;
}

/** RGBA bytes (canvas ImageData) to BT.601 luma. */
export function lumaFromRgba(rgba: ArrayLike<number>, width: number, height: number): LumaFrame {
  const count = width * height;
  if (rgba.length < count * 4) {
    throw new RangeError(`expected ${count * 4} RGBA bytes, got ${rgba.length}`);
  }
  const luma = new Uint8Array(count);
  for (let index = 0; index < count; index++) {
    const offset = index * 4;
    // Integer BT.601 weights (77, 150, 29) / 256: fast and within 1 of the float formula.
    luma[index] = (77 * rgba[offset]! + 150 * rgba[offset + 1]! + 29 * rgba[offset + 2]!) >> 8;
  }
  return { width, height, luma };
}

export interface LumaStats {
  mean: number;
  standardDeviation: number;
  min: number;
  max: number;
  /** Share of pixels at or below 16 (black) and at or above 240 (blown out), 0..1. */
  darkFraction: number;
  brightFraction: number;
}

export function lumaStats(frame: LumaFrame): LumaStats {
  const { luma } = frame;
  if (luma.length === 0) {
    return { mean: 0, standardDeviation: 0, min: 0, max: 0, darkFraction: 0, brightFraction: 0 };
  }
  let sum = 0;
  let sumSquares = 0;
  let min = 255;
  let max = 0;
  let dark = 0;
  let bright = 0;
  for (let index = 0; index < luma.length; index++) {
    const value = luma[index]!;
    sum += value;
    sumSquares += value * value;
    if (value < min) {
      min = value;
    }
    if (value > max) {
      max = value;
    }
    if (value <= 16) {
      dark++;
    } else if (value >= 240) {
      bright++;
    }
  }
  const mean = sum / luma.length;
  const variance = Math.max(0, sumSquares / luma.length - mean * mean);
  return {
    mean,
    standardDeviation: Math.sqrt(variance),
    min,
    max,
    darkFraction: dark / luma.length,
    brightFraction: bright / luma.length,
  };
}

/**
 * Variance of the 4-neighbour Laplacian over the interior pixels: a focus measure. Sharp edges give
 * large values; a defocused or smeared image gives small ones. 0 for frames smaller than 3x3.
 */
export function laplacianVariance(frame: LumaFrame): number {
  const { width, height, luma } = frame;
  if (width < 3 || height < 3) {
    return 0;
  }
  let sum = 0;
  let sumSquares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const index = row + x;
      const value =
        luma[index - width]! + luma[index + width]! + luma[index - 1]! + luma[index + 1]! - 4 * luma[index]!;
      sum += value;
      sumSquares += value * value;
      count++;
    }
  }
  const mean = sum / count;
  return Math.max(0, sumSquares / count - mean * mean);
}

/** Mean absolute luma difference between two frames of the same size, 0..255. */
export function frameDifference(first: LumaFrame, second: LumaFrame): number {
  if (first.width !== second.width || first.height !== second.height) {
    throw new RangeError('frames differ in size');
  }
  const count = first.luma.length;
  if (count === 0) {
    return 0;
  }
  let sum = 0;
  for (let index = 0; index < count; index++) {
    sum += Math.abs(first.luma[index]! - second.luma[index]!);
  }
  return sum / count;
}

export type FrameVerdictCode =
  | 'CAMERA_OK'
  | 'CAMERA_BLACK_FRAME'
  | 'CAMERA_FROZEN'
  | 'CAMERA_TOO_DARK'
  | 'CAMERA_TOO_BRIGHT'
  | 'CAMERA_BLURRED'
  | 'CAMERA_WRONG_RESOLUTION';

export interface FrameThresholds {
  /** Mean luma below this with almost no spread is a black frame (lens cap, dead sensor). */
  blackMean: number;
  blackStandardDeviation: number;
  tooDarkMean: number;
  tooBrightMean: number;
  /** Share of blown-out pixels that makes a frame too bright even with a moderate mean. */
  tooBrightFraction: number;
  /** Largest mean difference between sampled frames below which the image is frozen; live sensors
   *  always show some noise. */
  frozenDifference: number;
  /** Laplacian variance below which the picture is blurred (measured at analysis size, ~320 px wide). */
  blurVariance: number;
}

export const DEFAULT_THRESHOLDS: FrameThresholds = {
  blackMean: 12,
  blackStandardDeviation: 6,
  tooDarkMean: 50,
  tooBrightMean: 210,
  tooBrightFraction: 0.6,
  frozenDifference: 0.2,
  blurVariance: 40,
};

export interface JudgeInput {
  /** At least two frames sampled some time apart (the first is never the very first frame). */
  frames: LumaFrame[];
  /** Size the camera actually delivers (track settings), and the photo standard's minimum. */
  captureWidth: number;
  captureHeight: number;
  minWidth: number;
  minHeight: number;
  thresholds?: Partial<FrameThresholds>;
}

export interface FrameJudgement {
  code: FrameVerdictCode;
  measurements: Record<string, number>;
}

/**
 * The verdict on sampled frames. Order matters: a black frame is also frozen and blurred, a dark one
 * blurred, so the most basic cause is named first; the resolution comes last because a usable image
 * at the wrong size is a configuration problem, not a broken camera.
 */
export function judgeFrames(input: JudgeInput): FrameJudgement {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const { frames } = input;
  if (frames.length === 0) {
    throw new RangeError('no frames to judge');
  }
  const last = frames[frames.length - 1]!;
  const stats = lumaStats(last);
  const sharpness = laplacianVariance(last);
  let largestDifference = 0;
  for (let index = 1; index < frames.length; index++) {
    largestDifference = Math.max(largestDifference, frameDifference(frames[index - 1]!, frames[index]!));
  }
  const measurements: Record<string, number> = {
    meanLuma: round(stats.mean),
    lumaStandardDeviation: round(stats.standardDeviation),
    darkFraction: round(stats.darkFraction),
    brightFraction: round(stats.brightFraction),
    laplacianVariance: round(sharpness),
    frameDifference: round(largestDifference),
    framesSampled: frames.length,
    captureWidth: input.captureWidth,
    captureHeight: input.captureHeight,
  };
  const code = ((): FrameVerdictCode => {
    if (stats.mean < thresholds.blackMean && stats.standardDeviation < thresholds.blackStandardDeviation) {
      return 'CAMERA_BLACK_FRAME';
    }
    if (stats.mean < thresholds.tooDarkMean) {
      return 'CAMERA_TOO_DARK';
    }
    if (stats.mean > thresholds.tooBrightMean || stats.brightFraction > thresholds.tooBrightFraction) {
      return 'CAMERA_TOO_BRIGHT';
    }
    if (frames.length > 1 && largestDifference < thresholds.frozenDifference) {
      return 'CAMERA_FROZEN';
    }
    if (sharpness < thresholds.blurVariance) {
      return 'CAMERA_BLURRED';
    }
    if (input.captureWidth < input.minWidth || input.captureHeight < input.minHeight) {
      return 'CAMERA_WRONG_RESOLUTION';
    }
    return 'CAMERA_OK';
  })();
  return { code, measurements };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
