// What a single probe concludes about a role, before texts are attached.
import type { DeviceIdentity, Role, Severity, Status } from '../../../protocol/verdict';
import type { MessageParams } from '../messages';

export interface Outcome {
  status: Status;
  /** Code suffix appended to the role prefix (MISSING -> FINGERPRINT_MISSING), or a full code. */
  suffix?: string;
  code?: string;
  severity: Severity;
  /** Values for the message template, e.g. { reconnects: 4 }; a Text is worded per language. */
  params?: MessageParams;
  device?: DeviceIdentity;
  measurements: Record<string, unknown>;
}

/** How bad a role's fault is for the service: a recording role down stops recording. */
export function faultSeverity(role: Role | null): Severity {
  switch (role) {
    case 'camera':
    case 'fingerprint':
    case 'iris':
    case 'signature':
    case 'network':
      return 'critical';
    case 'card-printer':
    case 'ups':
      return 'major';
    default:
      return 'minor';
  }
}

export function ok(measurements: Record<string, unknown> = {}, device?: DeviceIdentity): Outcome {
  return { status: 'ok', suffix: 'OK', severity: 'info', measurements, device };
}

/**
 * A serial port the check could not use: held by another program (in use, not a fault), absent,
 * or gone during the query. Undefined for any other reason, which the caller judges itself.
 */
export function serialPortUnavailable(
  reason: string,
  severity: Severity,
  measurements: Record<string, unknown>,
): Outcome | undefined {
  switch (reason) {
    case 'busy':
      return { status: 'in-use', suffix: 'IN_USE', severity: 'info', measurements };
    case 'not-found':
      return { status: 'fault', suffix: 'MISSING', severity, measurements };
    case 'disconnected':
      return { status: 'fault', suffix: 'DISCONNECTED', severity, measurements };
    default:
      return undefined;
  }
}
