// Pure frame math for the photo camera check: no DOM, so it runs in unit tests on synthetic pixels.
// Frames are luma planes (one byte per pixel, 0..255, row-major) of the same size, with the RGBA
// they came from when colour is needed (the colour-cast test).

export interface LumaFrame {
  width: number;
  height: number;
  /** BT.601 luma, 0..255, width*height values. */
  luma: Uint8Array;
  /** The RGBA bytes the luma came from (canvas ImageData), for colour measures. */
  rgba?: ArrayLike<number>;
}

/** RGBA bytes (canvas ImageData) to BT.601 luma; the frame keeps `rgba` for colour measures. */
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
  return { width, height, luma, rgba };
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

/**
 * How much of the picture is dead black: the largest of the shares of black rows, black columns and
 * black blocks (a 16x12 grid). A black pixel run has a mean at or below `blackMean` and almost no
 * spread; a dark but lit scene keeps texture and noise, so it is not "dead".
 */
export function blackArea(
  frame: LumaFrame,
  blackMean = 12,
  blackStandardDeviation = 4,
): {
  rows: number;
  columns: number;
  blocks: number;
} {
  const { width, height, luma } = frame;
  if (width === 0 || height === 0) {
    return { rows: 0, columns: 0, blocks: 0 };
  }
  const dead = (sum: number, sumSquares: number, count: number) => {
    const mean = sum / count;
    return (
      mean <= blackMean && Math.sqrt(Math.max(0, sumSquares / count - mean * mean)) <= blackStandardDeviation
    );
  };
  const columnSum = new Float64Array(width);
  const columnSquares = new Float64Array(width);
  const gridX = 16;
  const gridY = 12;
  const blockSum = new Float64Array(gridX * gridY);
  const blockSquares = new Float64Array(gridX * gridY);
  const blockCount = new Float64Array(gridX * gridY);
  const blockColumn = blockColumns(width, gridX);
  let deadRows = 0;
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    let rowSquares = 0;
    const blockRow = Math.min(gridY - 1, Math.floor((y * gridY) / height)) * gridX;
    for (let x = 0; x < width; x++) {
      const value = luma[y * width + x]!;
      rowSum += value;
      rowSquares += value * value;
      columnSum[x] += value;
      columnSquares[x] += value * value;
      const block = blockRow + blockColumn[x]!;
      blockSum[block] += value;
      blockSquares[block] += value * value;
      blockCount[block]++;
    }
    deadRows += dead(rowSum, rowSquares, width) ? 1 : 0;
  }
  let deadColumns = 0;
  for (let x = 0; x < width; x++) {
    deadColumns += dead(columnSum[x]!, columnSquares[x]!, height) ? 1 : 0;
  }
  let deadBlocks = 0;
  let blocks = 0;
  for (let block = 0; block < blockSum.length; block++) {
    if (blockCount[block]! > 0) {
      blocks++;
      deadBlocks += dead(blockSum[block]!, blockSquares[block]!, blockCount[block]!) ? 1 : 0;
    }
  }
  return { rows: deadRows / height, columns: deadColumns / width, blocks: deadBlocks / blocks };
}

/** The grid column of each pixel column. */
function blockColumns(width: number, gridX: number): Uint8Array {
  const columns = new Uint8Array(width);
  for (let x = 0; x < width; x++) {
    columns[x] = Math.min(gridX - 1, Math.floor((x * gridX) / width));
  }
  return columns;
}

/**
 * Correlation of each pixel with its right and lower neighbours, -1..1. Any picture of the world
 * is smooth at pixel scale (0.8 and more, even with sensor noise on a textured scene); pure random
 * noise is near 0. A plain wall is low too, which is why noise also needs amplitude (see judgeFrames).
 */
export function neighbourCorrelation(frame: LumaFrame): number {
  const { width, height, luma } = frame;
  let sum = 0;
  let sumSquares = 0;
  let products = 0;
  let pairs = 0;
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const index = y * width + x;
      const value = luma[index]!;
      products += value * luma[index + 1]! + value * luma[index + width]!;
      pairs += 2;
      sum += value;
      sumSquares += value * value;
    }
  }
  if (pairs === 0) {
    return 1;
  }
  const count = pairs / 2;
  const mean = sum / count;
  const variance = sumSquares / count - mean * mean;
  if (variance < 1e-9) {
    return 1;
  }
  return (products / pairs - mean * mean) / variance;
}

/**
 * Colour cast: the chroma (distance from grey, BT.601 Cb/Cr in 0..255 units) of the least coloured
 * tenth of a 16x12 grid of blocks. A scene has something near-grey in it (hair, eyes, a shirt, the
 * shadows), even in front of the red or blue e-KTP backdrop or in warm light; a fault in the
 * camera's colour path tints every part of the picture, the grey ones too. 0 without RGBA.
 */
export function colourCast(frame: LumaFrame): { chroma: number; cb: number; cr: number } {
  const { width, height, rgba } = frame;
  if (!rgba || width === 0 || height === 0) {
    return { chroma: 0, cb: 0, cr: 0 };
  }
  const gridX = 16;
  const gridY = 12;
  const sums = new Float64Array(gridX * gridY * 4);
  const blockColumn = blockColumns(width, gridX);
  for (let y = 0; y < height; y++) {
    const blockRow = Math.min(gridY - 1, Math.floor((y * gridY) / height)) * gridX;
    for (let x = 0; x < width; x++) {
      const block = (blockRow + blockColumn[x]!) * 4;
      const offset = (y * width + x) * 4;
      sums[block] += rgba[offset]!;
      sums[block + 1] += rgba[offset + 1]!;
      sums[block + 2] += rgba[offset + 2]!;
      sums[block + 3]++;
    }
  }
  const blocks: { chroma: number; cb: number; cr: number }[] = [];
  for (let block = 0; block < gridX * gridY; block++) {
    const count = sums[block * 4 + 3]!;
    if (count === 0) {
      continue;
    }
    const red = sums[block * 4]! / count;
    const green = sums[block * 4 + 1]! / count;
    const blue = sums[block * 4 + 2]! / count;
    const cb = -0.1687 * red - 0.3313 * green + 0.5 * blue;
    const cr = 0.5 * red - 0.4187 * green - 0.0813 * blue;
    blocks.push({ chroma: Math.hypot(cb, cr), cb, cr });
  }
  if (blocks.length === 0) {
    return { chroma: 0, cb: 0, cr: 0 };
  }
  blocks.sort((first, second) => first.chroma - second.chroma);
  return blocks[Math.floor((blocks.length - 1) * 0.1)]!;
}

/**
 * Edge sharpness, 0..1: over the picture's strong edges (a monotonic luma step across 4 px of at
 * least `minimumStep` and of at least a third of the picture's strongest steps), the largest
 * single-pixel step within those 4 px divided by the whole step, in the window centred on the edge;
 * its 90th percentile. A sharp edge
 * takes one or two pixels (0.5..1); an edge blurred by a Gaussian of sigma 2 px at analysis size
 * (4 px at 640 wide) spreads over ~10 px (about 0.3), whatever the contrast. The high percentile lets
 * the few sharp outlines of a face count over its smooth shading. `edges` is the number of edge
 * samples; with none, focus cannot be judged from this picture.
 */
export function edgeSharpness(frame: LumaFrame, minimumStep = 24): { sharpness: number; edges: number } {
  const { width, height, luma } = frame;
  const span = 4;
  // One pass into a histogram of (step, ratio in hundredths): < 5 ms per 320x240 frame.
  const counts = new Uint32Array(256 * 101);
  let samples = 0;
  const sample = (start: number, stride: number) => {
    const step = Math.abs(luma[start + span * stride]! - luma[start]!);
    if (step < minimumStep) {
      return;
    }
    // Only the window centred on the edge (the largest step along it): an off-centre window sees
    // the steep middle of a blurred edge but only part of its rise, and would look sharp.
    if (
      step < Math.abs(luma[start + (span - 1) * stride]! - luma[start - stride]!) ||
      step < Math.abs(luma[start + (span + 1) * stride]! - luma[start + stride]!)
    ) {
      return;
    }
    let largest = 0;
    let total = 0;
    for (let k = 0; k < span; k++) {
      const index = start + k * stride;
      const change = Math.abs(luma[index + stride]! - luma[index]!);
      total += change;
      largest = change > largest ? change : largest;
    }
    // Only monotonic runs (allowing a little sensor noise): a bump is texture, not an edge.
    if (total <= step * 1.2 + 4) {
      counts[step * 101 + Math.round(Math.min(1, largest / step) * 100)]++;
      samples++;
    }
  };
  for (let y = 0; y < height; y++) {
    for (let x = 1; x + span + 1 < width; x++) {
      sample(y * width + x, 1);
    }
  }
  for (let y = 1; y + span + 1 < height; y++) {
    for (let x = 0; x < width; x++) {
      sample(y * width + x, width);
    }
  }
  if (samples === 0) {
    return { sharpness: 0, edges: 0 };
  }
  const stepCounts = new Uint32Array(256);
  for (let step = 0; step < 256; step++) {
    for (let ratio = 0; ratio <= 100; ratio++) {
      stepCounts[step] += counts[step * 101 + ratio]!;
    }
  }
  const strong = Math.ceil(percentileOfCounts(stepCounts, samples, 0.98) / 3);
  const ratioCounts = new Uint32Array(101);
  let edges = 0;
  for (let step = strong; step < 256; step++) {
    for (let ratio = 0; ratio <= 100; ratio++) {
      const count = counts[step * 101 + ratio]!;
      ratioCounts[ratio] += count;
      edges += count;
    }
  }
  return { sharpness: percentileOfCounts(ratioCounts, edges, 0.9) / 100, edges };
}

/** The value (bin index) at `fraction` of `total` counts in a histogram. */
function percentileOfCounts(counts: Uint32Array, total: number, fraction: number): number {
  const target = Math.floor((total - 1) * fraction);
  let seen = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    seen += counts[bin]!;
    if (seen > target) {
      return bin;
    }
  }
  return counts.length - 1;
}

export type FrameVerdictCode =
  | 'CAMERA_OK'
  | 'CAMERA_BLACK_FRAME'
  | 'CAMERA_PARTLY_BLACK'
  | 'CAMERA_NOISE'
  | 'CAMERA_COLOUR_CAST'
  | 'CAMERA_FROZEN'
  | 'CAMERA_TOO_DARK'
  | 'CAMERA_TOO_BRIGHT'
  | 'CAMERA_BLURRED'
  | 'CAMERA_WRONG_RESOLUTION';

/** Thresholds on a frame about 320 px wide (full-range luma and RGB, 0..255). README "Camera verdicts". */
export interface FrameThresholds {
  /** Mean luma below this with almost no spread is a black frame (lens cap, dead sensor). */
  blackMean: number;
  blackStandardDeviation: number;
  /** Share of black rows or columns (a failing sensor band, half a lens cap) that is a fault. */
  partlyBlackLines: number;
  /** Share of black blocks that is a fault (a corner or side covered). */
  partlyBlackBlocks: number;
  /** Neighbour correlation below which, with `noiseStandardDeviation` of spread, a frame is noise. */
  noiseCorrelation: number;
  noiseStandardDeviation: number;
  /** Chroma of the least coloured tenth of the picture above which it has a colour cast. */
  castChroma: number;
  tooDarkMean: number;
  tooBrightMean: number;
  /** Share of blown-out pixels that makes a frame too bright even with a moderate mean. */
  tooBrightFraction: number;
  /** Largest mean difference between sampled frames below which the image is frozen; live sensors
   *  always show some noise, so only a repeated frame (bit-identical or re-encoded) stays below. */
  frozenDifference: number;
  /** Edge sharpness (edgeSharpness) below which the picture is blurred. */
  blurSharpness: number;
  /** Luma spread above which a picture without any edge is blurred (a plain wall has less). */
  blurContrast: number;
}

export const DEFAULT_THRESHOLDS: FrameThresholds = {
  blackMean: 12,
  blackStandardDeviation: 6,
  partlyBlackLines: 0.05,
  partlyBlackBlocks: 0.2,
  noiseCorrelation: 0.35,
  noiseStandardDeviation: 25,
  castChroma: 30,
  tooDarkMean: 50,
  tooBrightMean: 210,
  tooBrightFraction: 0.6,
  frozenDifference: 0.2,
  blurSharpness: 0.45,
  blurContrast: 12,
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
 * The verdict on sampled frames (picture measures on the last one, change across all of them).
 * Order matters: a black frame is also frozen and blurred, a dark one blurred, so the most basic
 * cause is named first; faults (no usable picture) come before warnings (a picture to improve); the
 * resolution comes last because a usable image at the wrong size is a configuration problem.
 */
export function judgeFrames(input: JudgeInput): FrameJudgement {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  const { frames } = input;
  if (frames.length === 0) {
    throw new RangeError('no frames to judge');
  }
  const last = frames[frames.length - 1]!;
  const stats = lumaStats(last);
  const black = blackArea(last);
  const correlation = neighbourCorrelation(last);
  const cast = colourCast(last);
  const edges = edgeSharpness(last);
  let largestDifference = 0;
  for (let index = 1; index < frames.length; index++) {
    largestDifference = Math.max(largestDifference, frameDifference(frames[index - 1]!, frames[index]!));
  }
  const measurements: Record<string, number> = {
    meanLuma: round(stats.mean),
    lumaStandardDeviation: round(stats.standardDeviation),
    brightFraction: round(stats.brightFraction),
    blackLines: round(Math.max(black.rows, black.columns)),
    blackBlocks: round(black.blocks),
    neighbourCorrelation: round(correlation),
    castChroma: round(cast.chroma),
    edgeSharpness: round(edges.sharpness),
    edges: edges.edges,
    laplacianVariance: round(laplacianVariance(last)),
    frameDifference: round(largestDifference),
    framesSampled: frames.length,
    captureWidth: input.captureWidth,
    captureHeight: input.captureHeight,
  };
  const code = ((): FrameVerdictCode => {
    if (stats.mean < thresholds.blackMean && stats.standardDeviation < thresholds.blackStandardDeviation) {
      return 'CAMERA_BLACK_FRAME';
    }
    if (frames.length > 1 && largestDifference < thresholds.frozenDifference) {
      return 'CAMERA_FROZEN';
    }
    if (
      Math.max(black.rows, black.columns) >= thresholds.partlyBlackLines ||
      black.blocks >= thresholds.partlyBlackBlocks
    ) {
      return 'CAMERA_PARTLY_BLACK';
    }
    if (
      correlation < thresholds.noiseCorrelation &&
      stats.standardDeviation >= thresholds.noiseStandardDeviation
    ) {
      return 'CAMERA_NOISE';
    }
    if (cast.chroma >= thresholds.castChroma) {
      return 'CAMERA_COLOUR_CAST';
    }
    if (stats.mean < thresholds.tooDarkMean) {
      return 'CAMERA_TOO_DARK';
    }
    if (stats.mean > thresholds.tooBrightMean || stats.brightFraction > thresholds.tooBrightFraction) {
      return 'CAMERA_TOO_BRIGHT';
    }
    const blurred =
      edges.edges > 0
        ? edges.sharpness < thresholds.blurSharpness
        : stats.standardDeviation >= thresholds.blurContrast;
    if (blurred) {
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
