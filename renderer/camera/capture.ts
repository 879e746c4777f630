// Opens the profile's photo camera with getUserMedia, samples a few frames and judges them; then,
// while the preview stays open, keeps watching: a camera that freezes a second or two after opening,
// or goes black, noisy or blurred later, updates the verdict.
// Chromium quirk: the very first frame after play() can be all zeros, so sampling starts one frame
// callback later.
import type { CameraCode, CameraReport, CameraSettings } from '../../electron/station-api';
import { judgeFrames, lumaFromRgba } from './analysis';
import type { LumaFrame } from './analysis';

/** Analysis width in pixels: enough for focus and exposure, small enough for < 10 ms per frame. */
const ANALYSIS_WIDTH = 320;
const SNAPSHOT_WIDTH = 160;
const SAMPLE_COUNT = 4;
/**
 * Sampled frames are at least this far apart so a live sensor shows change: every frame at 15 fps
 * (67 ms), every other one at 30 fps. Four samples span >= 150 ms, more than one frame of a sensor
 * slowed to 7.5 fps in low light whose frames the driver repeats, so such a camera still shows
 * change between two of them. (At 70 ms a 15 fps camera was sampled every other frame: the first
 * verdict took ~470 ms after the first frame instead of ~270 ms.)
 */
const SAMPLE_SPACING_MS = 50;
const FIRST_FRAME_TIMEOUT_MS = 4000;
/** While watching, the frames of the last FREEZE_WINDOW_MS are judged together: a picture with no
 *  change at all (not even sensor noise) for that long is frozen. */
const FREEZE_WINDOW_MS = 1000;
/** The preview is watched at least this long before the verdict is settled (onUpdate `settled`). */
export const WATCH_MS = 3000;
/** No new frame for this long is a frozen (stalled) camera. */
const STALL_MS = 1000;

export interface WatchOptions {
  /** Called with each changed verdict while the preview stays open, and once when `settled`. */
  onUpdate: (report: CameraReport, settled: boolean) => void;
}

export interface CameraCheck {
  report: CameraReport;
  /** The open stream for a live preview; the caller stops it. Absent when no camera opened. */
  stream?: MediaStream;
}

function errorCode(error: unknown): CameraCode {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'CAMERA_PERMISSION_DENIED';
    case 'NotReadableError':
    case 'AbortError':
      // Another program (the recording software) holds the camera: in use, not faulty.
      return 'CAMERA_IN_USE';
    default:
      return 'CAMERA_MISSING';
  }
}

async function openCamera(settings: CameraSettings): Promise<MediaStream> {
  const wanted = settings.label.trim().toLowerCase();
  const constraints = (deviceId?: string): MediaStreamConstraints => ({
    audio: false,
    video: {
      ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
      width: { ideal: Math.max(settings.minWidth, 640) },
      height: { ideal: Math.max(settings.minHeight, 480) },
    },
  });
  const stream = await navigator.mediaDevices.getUserMedia(constraints());
  if (!wanted) {
    return stream;
  }
  const current = stream.getVideoTracks()[0]?.label.toLowerCase() ?? '';
  if (current.includes(wanted)) {
    return stream;
  }
  // Labels are only readable after permission was granted, hence the first open.
  const devices = await navigator.mediaDevices.enumerateDevices();
  const match = devices.find(
    (device) => device.kind === 'videoinput' && device.label.toLowerCase().includes(wanted),
  );
  stream.getTracks().forEach((track) => track.stop());
  if (!match) {
    throw new DOMException(`no camera labelled "${settings.label}"`, 'NotFoundError');
  }
  return navigator.mediaDevices.getUserMedia(constraints(match.deviceId));
}

function nextFrame(video: HTMLVideoElement): Promise<void> {
  return new Promise((resolve) => {
    if ('requestVideoFrameCallback' in video) {
      video.requestVideoFrameCallback(() => resolve());
    } else {
      setTimeout(resolve, 40);
    }
  });
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), milliseconds);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function grab(video: HTMLVideoElement, canvas: HTMLCanvasElement): LumaFrame {
  const width = ANALYSIS_WIDTH;
  const height = Math.max(1, Math.round((video.videoHeight / Math.max(1, video.videoWidth)) * width));
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(video, 0, 0, width, height);
  return lumaFromRgba(context.getImageData(0, 0, width, height).data, width, height);
}

/**
 * Keeps judging the open preview (the frames of the last FREEZE_WINDOW_MS) until its track ends:
 * reports each change of verdict, and once after WATCH_MS (`settled`). Never throws.
 */
async function watch(
  video: HTMLVideoElement,
  canvas: HTMLCanvasElement,
  track: MediaStreamTrack,
  firstCode: CameraCode,
  options: WatchOptions,
  elapsed: () => number,
  /** Judges frames; without a snapshot (made only for a report that is sent). */
  reportOf: (frames: LumaFrame[], extra?: Record<string, number>) => CameraReport,
): Promise<void> {
  const started = performance.now();
  const recent: { at: number; frame: LumaFrame }[] = [];
  let lastCode = firstCode;
  let settled = false;
  let lastSample = -Infinity;
  try {
    while (track.readyState === 'live' && video.srcObject) {
      try {
        await withTimeout(nextFrame(video), STALL_MS, 'camera stopped delivering frames');
      } catch {
        if (track.readyState !== 'live') {
          return;
        }
        const report: CameraReport = {
          code: 'CAMERA_FROZEN',
          deviceLabel: track.label.slice(0, 200),
          measurements: { noFrames: 1, watchedMs: Math.round(performance.now() - started) },
          elapsedMs: elapsed(),
        };
        options.onUpdate(report, true);
        return;
      }
      const now = performance.now();
      if (now - lastSample < SAMPLE_SPACING_MS) {
        continue;
      }
      lastSample = now;
      // Only the newest frame keeps its RGBA: colour is judged on the last frame alone.
      const previous = recent[recent.length - 1];
      if (previous) {
        previous.frame = { ...previous.frame, rgba: undefined };
      }
      recent.push({ at: now, frame: grab(video, canvas) });
      while (recent.length > 2 && now - recent[1]!.at >= FREEZE_WINDOW_MS) {
        recent.shift();
      }
      // A freeze is only judged over a full window; the first verdict already judged the start.
      if (now - recent[0]!.at < FREEZE_WINDOW_MS) {
        continue;
      }
      const watchedMs = Math.round(now - started);
      const report = reportOf(
        recent.map((sample) => sample.frame),
        { watchedMs },
      );
      const settles: boolean = !settled && watchedMs >= WATCH_MS;
      if (report.code !== lastCode || settles) {
        settled = settled || settles;
        lastCode = report.code;
        options.onUpdate({ ...report, snapshot: snapshot(video) }, settled);
      }
    }
  } catch {
    // The preview was closed mid-frame: nothing more to say.
  }
}

function snapshot(video: HTMLVideoElement): string {
  const canvas = document.createElement('canvas');
  canvas.width = SNAPSHOT_WIDTH;
  canvas.height = Math.max(
    1,
    Math.round((video.videoHeight / Math.max(1, video.videoWidth)) * SNAPSHOT_WIDTH),
  );
  canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/jpeg', 0.7);
}

/**
 * Opens the camera into `video`, judges a few frames and returns the report (never throws).
 * Keeps the stream running for the preview when `keepOpen` is set.
 */
export async function checkCamera(
  settings: CameraSettings,
  video: HTMLVideoElement,
  options: { keepOpen?: boolean; watch?: WatchOptions } = {},
): Promise<CameraCheck> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (!navigator.mediaDevices?.getUserMedia) {
    return { report: { code: 'CAMERA_MISSING', measurements: {}, elapsedMs: elapsed() } };
  }
  let stream: MediaStream;
  try {
    stream = await openCamera(settings);
  } catch (error) {
    return { report: { code: errorCode(error), measurements: {}, elapsedMs: elapsed() } };
  }
  const track = stream.getVideoTracks()[0];
  const stop = () => stream.getTracks().forEach((each) => each.stop());
  try {
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    await withTimeout(video.play(), FIRST_FRAME_TIMEOUT_MS, 'camera did not start');
    await withTimeout(nextFrame(video), FIRST_FRAME_TIMEOUT_MS, 'camera delivered no frame');
    const firstFrameMs = elapsed();
    const canvas = document.createElement('canvas');
    const frames: LumaFrame[] = [];
    let lastSample = -Infinity;
    while (frames.length < SAMPLE_COUNT) {
      await withTimeout(nextFrame(video), 1000, 'camera stopped delivering frames');
      if (performance.now() - lastSample >= SAMPLE_SPACING_MS) {
        lastSample = performance.now();
        frames.push(grab(video, canvas));
      }
    }
    const trackSettings = track?.getSettings() ?? {};
    const captureWidth = trackSettings.width ?? video.videoWidth;
    const captureHeight = trackSettings.height ?? video.videoHeight;
    const reportOf = (judged: LumaFrame[], extra: Record<string, number> = {}): CameraReport => {
      const judgement = judgeFrames({
        frames: judged,
        captureWidth,
        captureHeight,
        minWidth: settings.minWidth,
        minHeight: settings.minHeight,
      });
      return {
        code: judgement.code,
        deviceLabel: track?.label.slice(0, 200),
        width: captureWidth,
        height: captureHeight,
        measurements: {
          ...judgement.measurements,
          firstFrameMs,
          judgedAfterFirstFrameMs: elapsed() - firstFrameMs,
          ...extra,
        },
        elapsedMs: elapsed(),
      };
    };
    const report = { ...reportOf(frames), snapshot: snapshot(video) };
    if (!options.keepOpen) {
      stop();
    } else if (options.watch && track) {
      void watch(video, canvas, track, report.code, options.watch, elapsed, reportOf);
    }
    return { report, stream: options.keepOpen ? stream : undefined };
  } catch {
    stop();
    // A camera that opens but never delivers a frame shows nothing new: frozen.
    return {
      report: {
        code: 'CAMERA_FROZEN',
        deviceLabel: track?.label.slice(0, 200),
        measurements: { noFrames: 1 },
        elapsedMs: elapsed(),
      },
    };
  }
}
