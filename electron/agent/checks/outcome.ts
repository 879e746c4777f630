// What a single probe concludes about a role, before texts are attached.
import type { DeviceIdentity, Status } from '../../../protocol/verdict';
import type { MessageParams } from '../messages';

export interface Outcome {
  status: Status;
  /** Code suffix appended to the role prefix (MISSING -> FINGERPRINT_MISSING), or a full code. */
  suffix?: string;
  code?: string;
  /** Values for the message template, e.g. { reconnects: 4 }; a Text is worded per language. */
  params?: MessageParams;
  device?: DeviceIdentity;
  measurements: Record<string, unknown>;
}

export function ok(measurements: Record<string, unknown> = {}, device?: DeviceIdentity): Outcome {
  return { status: 'ok', suffix: 'OK', measurements, device };
}

/**
 * A serial port the check could not use: held by another program (in use, not a fault), absent,
 * or gone during the query. Undefined for any other reason, which the caller judges itself.
 */
export function serialPortUnavailable(
  reason: string,
  measurements: Record<string, unknown>,
): Outcome | undefined {
  switch (reason) {
    case 'busy':
      return { status: 'in-use', suffix: 'IN_USE', measurements };
    case 'not-found':
      return { status: 'fault', suffix: 'MISSING', measurements };
    case 'disconnected':
      return { status: 'fault', suffix: 'DISCONNECTED', measurements };
    default:
      return undefined;
  }
}
