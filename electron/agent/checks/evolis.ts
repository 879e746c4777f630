// Card printer status over the Evolis command protocol. Active checks only: a status query while
// a card is printing could disturb the job.
import type { ReadEvolisStatusResult } from '../../../native/serial/evolis';
import type { Outcome } from './outcome';
import { ok, serialPortUnavailable } from './outcome';
import { LEVEL_NOT_REPORTED } from './printer';

const STATE_SUFFIX = {
  'ribbon-out': 'RIBBON_OUT',
  'card-out': 'CARDS_OUT',
  'cover-open': 'COVER_OPEN',
  jam: 'JAM',
  error: 'ERROR',
} as const;

export function checkEvolisStatus(path: string, result: ReadEvolisStatusResult): Outcome {
  const measurements: Record<string, unknown> = { path, elapsedMs: Math.round(result.elapsedMs) };
  if (!result.ok) {
    Object.assign(measurements, { reason: result.reason, error: result.message, raw: result.raw });
    const unavailable = serialPortUnavailable(result.reason, measurements);
    if (unavailable !== undefined) {
      return unavailable;
    }
    switch (result.reason) {
      case 'timeout':
        return { status: 'fault', suffix: 'NOT_RESPONDING', measurements };
      case 'parse':
      case 'overflow':
        return { status: 'warning', suffix: 'BAD_REPLY', measurements };
      default:
        return { status: 'unknown', suffix: 'CHECK_ERROR', measurements };
    }
  }
  const { state, code, raw, ribbonRemaining } = result.status;
  Object.assign(measurements, { state, statusWord: code, raw, ribbonRemaining });
  switch (state) {
    case 'ready':
      return ok(measurements);
    case 'busy':
      return { status: 'in-use', suffix: 'IN_USE', measurements };
    case 'ribbon-low':
      return {
        status: 'warning',
        suffix: 'RIBBON_LOW',
        // The printer counts prints left, not percent.
        params: {
          level:
            ribbonRemaining === undefined
              ? LEVEL_NOT_REPORTED
              : { id: `sisa ${ribbonRemaining} cetakan`, en: `${ribbonRemaining} prints left` },
        },
        measurements,
      };
    default:
      return { status: 'fault', suffix: STATE_SUFFIX[state], measurements };
  }
}
