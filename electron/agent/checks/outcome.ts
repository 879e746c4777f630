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
