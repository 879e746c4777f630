// The renderer's camera analysis (getUserMedia frames) as a verdict of the camera role. The agent
// keeps the latest one for CAMERA_VERDICT_TTL_MS and puts it into every check (Agent.reportVerdict),
// so a black, frozen or noisy picture opens a fault like any other; the tile shows it at once.
import type { CameraCode, CameraReport } from '../station-api';
import { CameraReportSchema } from '../station-api';
import type { Verdict } from '../../protocol/verdict';
import { severityOf } from '../../protocol/rules';
import { describe as describeCode } from '../agent/messages';
import { META, writeMeta } from '../agent/store/meta';
import type { Store } from '../agent/store/store';

/** A camera verdict from the renderer counts this long (ms). */
export const CAMERA_VERDICT_TTL_MS = 10 * 60_000;

/** Status of each camera verdict the renderer can report; texts are in resources/i18n/verdicts.json. */
const CAMERA_STATUS: Record<CameraCode, Verdict['status']> = {
  CAMERA_OK: 'ok',
  CAMERA_MISSING: 'fault',
  CAMERA_PERMISSION_DENIED: 'fault',
  CAMERA_IN_USE: 'in-use',
  CAMERA_BLACK_FRAME: 'fault',
  CAMERA_PARTLY_BLACK: 'fault',
  CAMERA_NOISE: 'fault',
  CAMERA_COLOUR_CAST: 'fault',
  CAMERA_FROZEN: 'fault',
  CAMERA_TOO_DARK: 'warning',
  CAMERA_TOO_BRIGHT: 'warning',
  CAMERA_BLURRED: 'warning',
  CAMERA_WRONG_RESOLUTION: 'warning',
};

export class CameraVerdicts {
  constructor(private readonly now: () => number) {}

  /** Turns a renderer report into a verdict and keeps its snapshot (if any) in `store`. */
  record(report: CameraReport, store: Store): Verdict {
    const valid = CameraReportSchema.parse(report);
    const status = CAMERA_STATUS[valid.code];
    const verdict: Verdict = {
      role: 'camera',
      status,
      code: valid.code,
      severity: severityOf(valid.code, status, 'camera'),
      ...describeCode(valid.code, 'camera'),
      device: valid.deviceLabel
        ? { key: `camera:${valid.deviceLabel}`, model: valid.deviceLabel, transport: 'camera' }
        : undefined,
      measurements: {
        ...valid.measurements,
        width: valid.width,
        height: valid.height,
        hasSnapshot: valid.snapshot !== undefined,
      },
      checkedAt: new Date(this.now()).toISOString(),
      durationMs: valid.elapsedMs,
    };
    if (valid.snapshot) {
      writeMeta(store, META.cameraSnapshot, {
        at: verdict.checkedAt,
        code: valid.code,
        snapshot: valid.snapshot,
      });
    }
    return verdict;
  }
}
