// UPS health over serial with the Megatec Q1 query. The UPS port belongs to no recording program,
// so this query is allowed in passive checks too; a port held by the vendor's UPS software is "in use".
import type { SerialQueryResult } from '../../../native/serial/types';
import { parseQ1 } from '../../../native/serial/megatec';
import type { Outcome } from './outcome';
import { faultSeverity, ok } from './outcome';

export function checkUpsReply(path: string, result: SerialQueryResult): Outcome {
  const measurements: Record<string, unknown> = { path, elapsedMs: Math.round(result.elapsedMs) };
  if (!result.ok) {
    measurements.reason = result.reason;
    measurements.error = result.message;
    if (result.partial && result.partial.length > 0) {
      measurements.partialReply = result.partial.subarray(0, 64).toString('latin1');
    }
    switch (result.reason) {
      case 'busy':
        return { status: 'in-use', suffix: 'IN_USE', severity: 'info', measurements };
      case 'not-found':
        return { status: 'fault', suffix: 'MISSING', severity: faultSeverity('ups'), measurements };
      case 'timeout':
        return { status: 'fault', suffix: 'NOT_RESPONDING', severity: faultSeverity('ups'), measurements };
      case 'overflow':
        return { status: 'warning', suffix: 'BAD_REPLY', severity: 'minor', measurements };
      default:
        return { status: 'unknown', suffix: 'CHECK_ERROR', severity: 'minor', measurements };
    }
  }
  measurements.reply = result.reply.subarray(0, 80).toString('latin1').trim();
  const parsed = parseQ1(result.reply);
  if (!parsed.ok) {
    measurements.error = parsed.error;
    return { status: 'warning', suffix: 'BAD_REPLY', severity: 'minor', measurements };
  }
  const status = parsed.status;
  Object.assign(measurements, status);
  if (status.upsFailed) {
    return { status: 'fault', code: 'UPS_FAILED', severity: 'major', measurements };
  }
  if (status.utilityFail && status.batteryLow) {
    return { status: 'fault', code: 'UPS_BATTERY_LOW', severity: 'critical', measurements };
  }
  if (status.utilityFail) {
    return { status: 'warning', code: 'UPS_ON_BATTERY', severity: 'major', measurements };
  }
  return ok(measurements);
}
