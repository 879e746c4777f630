// Printer health from the spooler's view of the queue (IPP printer-state-reasons and markers, or
// the Windows spooler mapped to the same vocabulary).
import type { Role } from '../../../protocol/verdict';
import type { PrinterMarker, PrinterStatusResult } from '../../../native/printer/types';
import type { Outcome } from './outcome';
import { faultSeverity, ok } from './outcome';

/** Marker levels at or under this percent count as low when the printer gives no low level of its own. */
const DEFAULT_LOW_PERCENT = 10;

export function checkPrinterStatus(role: Role, queue: string, result: PrinterStatusResult): Outcome {
  if (!result.ok) {
    const measurements = { queue, reason: result.reason, error: result.message, elapsedMs: result.elapsedMs };
    switch (result.reason) {
      case 'not-found':
        return { status: 'fault', suffix: 'QUEUE_NOT_FOUND', severity: faultSeverity(role), measurements };
      case 'timeout':
        return { status: 'fault', suffix: 'NOT_RESPONDING', severity: faultSeverity(role), measurements };
      case 'unreachable':
        return {
          status: 'fault',
          suffix: 'SPOOLER_UNREACHABLE',
          severity: faultSeverity(role),
          measurements,
        };
      default:
        return { status: 'unknown', suffix: 'CHECK_ERROR', severity: 'minor', measurements };
    }
  }
  const { status } = result;
  const card = role === 'card-printer';
  const measurements: Record<string, unknown> = {
    queue,
    state: status.state,
    reasons: status.reasons,
    markers: status.markers,
    acceptingJobs: status.acceptingJobs,
    stateMessage: status.stateMessage,
    makeAndModel: status.makeAndModel,
    elapsedMs: result.elapsedMs,
  };
  const fault = (suffix: string, params?: Record<string, string | number>): Outcome => ({
    status: 'fault',
    suffix,
    severity: faultSeverity(role),
    params,
    measurements,
  });
  const reasons = new Set(status.reasons);
  const has = (...names: string[]) => names.some((name) => reasons.has(name));

  if (has('media-jam', 'jam')) {
    return fault('JAM');
  }
  if (has('cover-open', 'door-open', 'interlock-open')) {
    return fault('COVER_OPEN');
  }
  if (has('media-empty', 'media-needed', 'input-tray-missing')) {
    return fault(card ? 'CARDS_OUT' : 'PAPER_OUT');
  }
  const emptyMarker = status.markers.find((marker) => marker.level === 0);
  if (has('marker-supply-empty', 'toner-empty', 'marker-ink-almost-empty-never') || emptyMarker) {
    return fault(card ? 'RIBBON_OUT' : 'TONER_OUT', { level: 0 });
  }
  if (has('offline', 'shutdown', 'paused') || status.state === 'stopped' || status.acceptingJobs === false) {
    const errors = status.reasons.filter((reason) => status.reasonSeverity[reason] === 'error');
    return fault(errors.length > 0 && !has('offline', 'shutdown', 'paused') ? 'ERROR' : 'OFFLINE');
  }
  const lowMarker = status.markers.find(
    (marker: PrinterMarker) => marker.level >= 0 && marker.level <= (marker.lowLevel ?? DEFAULT_LOW_PERCENT),
  );
  if (has('marker-supply-low', 'toner-low') || lowMarker) {
    return {
      status: 'warning',
      suffix: card ? 'RIBBON_LOW' : 'TONER_LOW',
      severity: 'minor',
      params: { level: lowMarker?.level ?? '?' },
      measurements,
    };
  }
  if (status.reasons.some((reason) => status.reasonSeverity[reason] === 'error')) {
    return fault('ERROR');
  }
  return ok(measurements);
}
