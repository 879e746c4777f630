// Writes small YUV4MPEG2 (4:2:0) videos for Chromium's fake camera
// (--use-file-for-fake-video-capture=FILE.y4m), one scene per way a camera breaks or a healthy
// picture could be mistaken for broken. Luma uses video range 16..235, chroma 16..240 around 128.
// `sceneRgba` gives the same pictures as the canvas sees them (BT.601 to RGB, halved to analysis
// size), so unit tests judge the very pixels the browser test feeds the fake camera.
import { writeFileSync } from 'node:fs';

export type Scene =
  /** Textured scene moving 3 px a frame (a live picture). */
  | 'normal'
  | 'black'
  /** Frame 0 of `normal`, repeated bit for bit. */
  | 'frozen'
  | 'dark'
  | 'bright'
  /** `normal` under a box blur of radius 14 px. */
  | 'blurred'
  /** `normal` with sensor noise (std 2): a healthy camera. */
  | 'healthy-noisy'
  /** A face on a plain background, sharp, swaying 1 px a frame, sensor noise. */
  | 'face'
  /** `face` standing still: only the sensor noise changes (a person sitting still). */
  | 'still'
  /** `face` and `healthy-noisy` under a Gaussian blur of sigma 4 px (at 640 wide). */
  | 'gaussian'
  | 'face-gaussian'
  /** A dim but usable office (auto-exposure at its limit), with noise. */
  | 'dim'
  /** A plain wall: almost no texture, sensor noise (std 2). */
  | 'wall'
  /** Warm (tungsten) light: a mild orange cast a camera's white balance leaves. */
  | 'warm'
  /** Left half black (a half-fitted lens cap). */
  | 'half-black'
  /** A band of dead sensor rows across the picture. */
  | 'row-band'
  /** Random noise (a broken sensor or cable). */
  | 'noise'
  /** A strong green cast (a chroma fault: U and V stuck low). */
  | 'colour-cast'
  /** `face` (moving, noisy) for `freezeAfterFrames` frames, then one frame repeated bit for bit. */
  | 'freeze-late';

export interface VideoOptions {
  scene: Scene;
  width?: number;
  height?: number;
  frames?: number;
  fps?: number;
  /** For freeze-late: frames of live picture before it freezes. */
  freezeAfterFrames?: number;
}

export interface YuvFrame {
  width: number;
  height: number;
  /** Full-size luma, and half-size (4:2:0) chroma planes. */
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

/** A deterministic textured picture (blocks of varying brightness and edges), shifted by `shift` px. */
function texture(width: number, height: number, shift: number): Float32Array {
  const plane = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const cellX = Math.floor((x + shift) / 8);
      const cellY = Math.floor(y / 8);
      // A hash of the cell gives blocks of pseudo-random brightness: lots of sharp edges.
      const hash = Math.imul((cellX * 73856093) ^ (cellY * 19349663), 0x9e3779b1) >>> 0;
      plane[y * width + x] = (hash % 1000) / 1000;
    }
  }
  return plane;
}

/**
 * A head and shoulders on a plain backdrop, 0..1: smooth shading on the face and the wall, sharp
 * (1 px anti-aliased) outlines, dark hair, eyes and mouth: little texture, few but sharp edges.
 */
function face(width: number, height: number, shift: number): Float32Array {
  const plane = new Float32Array(width * height);
  const centreX = width / 2 + shift;
  const centreY = height * 0.45;
  const radiusX = width * 0.14;
  const radiusY = height * 0.27;
  // Signed distance-ish to an ellipse, in px, for anti-aliased edges.
  const inside = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) => {
    const distance = Math.hypot((x - cx) / rx, (y - cy) / ry);
    return Math.min(1, Math.max(0, (1 - distance) * Math.min(rx, ry) + 0.5));
  };
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let value = 0.62 + 0.1 * (y / height) - 0.05 * (x / width);
      const shoulders =
        y > height * 0.78 ? inside(x, y, centreX, height * 1.15, width * 0.38, height * 0.4) : 0;
      value = value * (1 - shoulders) + 0.18 * shoulders;
      const hair = inside(x, y, centreX, centreY - radiusY * 0.35, radiusX * 1.08, radiusY * 0.8);
      value = value * (1 - hair) + 0.1 * hair;
      const skin = inside(x, y, centreX, centreY + radiusY * 0.08, radiusX, radiusY * 0.9);
      const shade = 0.68 - (0.12 * Math.abs(x - centreX)) / radiusX + 0.05 * ((y - centreY) / radiusY);
      value = value * (1 - skin) + shade * skin;
      for (const side of [-1, 1]) {
        const eye = inside(x, y, centreX + side * radiusX * 0.4, centreY, radiusX * 0.16, radiusY * 0.06);
        value = value * (1 - eye) + 0.12 * eye;
      }
      const mouth = inside(x, y, centreX, centreY + radiusY * 0.5, radiusX * 0.35, radiusY * 0.05);
      value = value * (1 - mouth) + 0.3 * mouth;
      plane[y * width + x] = value;
    }
  }
  return plane;
}

function boxBlur(plane: Float32Array, width: number, height: number, radius: number): Float32Array {
  const horizontal = new Float32Array(plane.length);
  const result = new Float32Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dx = -radius; dx <= radius; dx++) {
        sum += plane[y * width + Math.min(width - 1, Math.max(0, x + dx))]!;
      }
      horizontal[y * width + x] = sum / (2 * radius + 1);
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        sum += horizontal[Math.min(height - 1, Math.max(0, y + dy)) * width + x]!;
      }
      result[y * width + x] = sum / (2 * radius + 1);
    }
  }
  return result;
}

/** Separable Gaussian blur of `sigma` px (kernel to 3 sigma, edges clamped). */
export function gaussianBlur(
  plane: Float32Array,
  width: number,
  height: number,
  sigma: number,
): Float32Array {
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, index) =>
    Math.exp(-((index - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = kernel.reduce((sum, weight) => sum + weight, 0);
  const weights = kernel.map((weight) => weight / total);
  const horizontal = new Float32Array(plane.length);
  const result = new Float32Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) {
        sum += weights[k + radius]! * plane[y * width + Math.min(width - 1, Math.max(0, x + k))]!;
      }
      horizontal[y * width + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) {
        sum += weights[k + radius]! * horizontal[Math.min(height - 1, Math.max(0, y + k)) * width + x]!;
      }
      result[y * width + x] = sum;
    }
  }
  return result;
}

/** Deterministic standard-normal noise (xorshift + Box-Muller), seeded per frame. */
function gaussianNoise(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  const uniform = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, Math.round(value)));

/** One frame of a scene in 4:2:0 YUV (BT.601, video range). */
export function sceneFrame(
  scene: Scene,
  width: number,
  height: number,
  index: number,
  freezeAfterFrames = 22,
): YuvFrame {
  const y = new Uint8Array(width * height);
  const u = new Uint8Array((width / 2) * (height / 2)).fill(128);
  const v = new Uint8Array((width / 2) * (height / 2)).fill(128);
  const noise = gaussianNoise(index + 1);
  if (scene === 'black') {
    return { width, height, y: y.fill(16), u, v };
  }
  if (scene === 'noise') {
    for (let pixel = 0; pixel < y.length; pixel++) {
      y[pixel] = clamp(16 + (noise() * 0.5 + 0.5) * 219, 16, 235);
    }
    for (let pixel = 0; pixel < u.length; pixel++) {
      u[pixel] = clamp(128 + noise() * 40, 16, 240);
      v[pixel] = clamp(128 + noise() * 40, 16, 240);
    }
    return { width, height, y, u, v };
  }
  const faceScenes: Scene[] = ['face', 'still', 'face-gaussian', 'freeze-late', 'warm'];
  let plane: Float32Array;
  if (faceScenes.includes(scene)) {
    const frame = scene === 'freeze-late' ? Math.min(index, freezeAfterFrames) : index;
    plane = face(width, height, scene === 'still' ? 0 : frame % 6 < 3 ? frame % 3 : 3 - (frame % 3));
  } else if (scene === 'wall') {
    plane = new Float32Array(width * height).map((_, pixel) => 0.55 + 0.04 * ((pixel % width) / width));
  } else {
    // Frozen repeats frame 0; every other scene moves 3 px per frame, as a live picture changes.
    plane = texture(width, height, scene === 'frozen' ? 0 : index * 3);
  }
  if (scene === 'blurred') {
    plane = boxBlur(plane, width, height, 14);
  } else if (scene === 'gaussian' || scene === 'face-gaussian') {
    plane = gaussianBlur(plane, width, height, 4);
  }
  const [low, high] =
    scene === 'dark' ? [18, 55] : scene === 'bright' ? [215, 235] : scene === 'dim' ? [24, 120] : [40, 220];
  const noisy: Scene[] = [
    'healthy-noisy',
    'face',
    'still',
    'gaussian',
    'face-gaussian',
    'dim',
    'wall',
    'warm',
    'half-black',
    'row-band',
    'colour-cast',
  ];
  // A frozen picture is one frame repeated, noise and all.
  const noiseIndex = scene === 'freeze-late' ? Math.min(index, freezeAfterFrames) : index;
  const frameNoise = scene === 'freeze-late' ? gaussianNoise(noiseIndex + 1) : noise;
  const noiseStd = noisy.includes(scene) || scene === 'freeze-late' ? 2 : 0;
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const pixel = row * width + column;
      const deadRows = scene === 'row-band' && row >= height * 0.45 && row < height * 0.58;
      const capped = scene === 'half-black' && column < width / 2;
      const value = deadRows || capped ? 17 : low + plane[pixel]! * (high - low);
      y[pixel] = clamp(value + (noiseStd ? frameNoise() * noiseStd : 0), 16, 235);
    }
  }
  if (scene === 'colour-cast') {
    u.fill(128 - 60);
    v.fill(128 - 60);
  } else if (scene === 'warm') {
    u.fill(128 - 10);
    v.fill(128 + 10);
  } else if (scene === 'dim') {
    // A dim office under fluorescent light is slightly green-yellow.
    u.fill(126);
    v.fill(127);
  }
  return { width, height, y, u, v };
}

/** Luma plane (video range) of one frame of a scene. */
export function sceneLuma(scene: Scene, width: number, height: number, index: number): Uint8Array {
  return sceneFrame(scene, width, height, index).y;
}

/**
 * RGBA of a frame as the kiosk's canvas sees it: BT.601 video range to full-range RGB, halved by
 * averaging 2x2 pixels (the analysis works at 320 px wide).
 */
export function sceneRgba(frame: YuvFrame): { rgba: Uint8ClampedArray; width: number; height: number } {
  const width = frame.width / 2;
  const height = frame.height / 2;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    for (let column = 0; column < width; column++) {
      const source = 2 * row * frame.width + 2 * column;
      const luma =
        (frame.y[source]! +
          frame.y[source + 1]! +
          frame.y[source + frame.width]! +
          frame.y[source + frame.width + 1]!) /
        4;
      const cb = frame.u[row * width + column]! - 128;
      const cr = frame.v[row * width + column]! - 128;
      const scaled = 1.164 * (luma - 16);
      const offset = (row * width + column) * 4;
      rgba[offset] = scaled + 1.596 * cr;
      rgba[offset + 1] = scaled - 0.392 * cb - 0.813 * cr;
      rgba[offset + 2] = scaled + 2.017 * cb;
      rgba[offset + 3] = 255;
    }
  }
  return { rgba, width, height };
}

export function y4mVideo(options: VideoOptions): Buffer {
  const { scene, width = 640, height = 480, frames = 8, fps = 15 } = options;
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'latin1');
  const parts: Buffer[] = [header];
  for (let index = 0; index < frames; index++) {
    const frame = sceneFrame(scene, width, height, index, options.freezeAfterFrames);
    parts.push(
      Buffer.from('FRAME\n', 'latin1'),
      Buffer.from(frame.y),
      Buffer.from(frame.u),
      Buffer.from(frame.v),
    );
  }
  return Buffer.concat(parts);
}

export function writeY4m(path: string, options: VideoOptions): string {
  writeFileSync(path, y4mVideo(options));
  return path;
}
