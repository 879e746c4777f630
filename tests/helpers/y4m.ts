// Writes small YUV4MPEG2 (4:2:0) videos for Chromium's fake camera
// (--use-file-for-fake-video-capture=FILE.y4m). Luma uses video range 16..235; the chroma planes
// are neutral grey, so the pictures are black-and-white.
import { writeFileSync } from 'node:fs';

export type Scene = 'normal' | 'black' | 'frozen' | 'dark' | 'bright' | 'blurred';

export interface VideoOptions {
  scene: Scene;
  width?: number;
  height?: number;
  frames?: number;
  fps?: number;
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

function boxBlur(plane: Float32Array, width: number, height: number, radius: number): Float32Array {
  const horizontal = new Float32Array(plane.length);
  const result = new Float32Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let dx = -radius; dx <= radius; dx++) {
        const column = Math.min(width - 1, Math.max(0, x + dx));
        sum += plane[y * width + column]!;
        count++;
      }
      horizontal[y * width + x] = sum / count;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        const row = Math.min(height - 1, Math.max(0, y + dy));
        sum += horizontal[row * width + x]!;
        count++;
      }
      result[y * width + x] = sum / count;
    }
  }
  return result;
}

/** Luma plane (video range) of one frame of a scene. */
export function sceneLuma(scene: Scene, width: number, height: number, index: number): Uint8Array {
  const luma = new Uint8Array(width * height);
  if (scene === 'black') {
    return luma.fill(16);
  }
  // Frozen repeats frame 0; every other scene moves 3 px per frame, as a live picture changes.
  const shift = scene === 'frozen' ? 0 : index * 3;
  let plane = texture(width, height, shift);
  if (scene === 'blurred') {
    plane = boxBlur(plane, width, height, 14);
  }
  const [low, high] = scene === 'dark' ? [18, 55] : scene === 'bright' ? [215, 235] : [40, 220];
  for (let pixel = 0; pixel < luma.length; pixel++) {
    luma[pixel] = Math.round(low + plane[pixel]! * (high - low));
  }
  return luma;
}

export function y4mVideo(options: VideoOptions): Buffer {
  const { scene, width = 640, height = 480, frames = 8, fps = 15 } = options;
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'latin1');
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const parts: Buffer[] = [header];
  for (let index = 0; index < frames; index++) {
    parts.push(Buffer.from('FRAME\n', 'latin1'), Buffer.from(sceneLuma(scene, width, height, index)), chroma);
  }
  return Buffer.concat(parts);
}

export function writeY4m(path: string, options: VideoOptions): string {
  writeFileSync(path, y4mVideo(options));
  return path;
}
