// How a fault's device and link are written, shared by the board and the fault pages.
import type { Translator } from '../../../protocol/i18n';
import { deviceName as productName } from '../../../protocol/device-name';
import type { FaultView, StationProblem } from '../../dash-api';

export function deviceName(fault: FaultView, t: Translator<'dashboard'>): string {
  if (fault.device === null) {
    return t.word('role', fault.role);
  }
  const name = productName(fault.device.vendor, fault.device.model) ?? fault.device.key;
  return fault.device.serialNumber === undefined
    ? name
    : `${name} (${t('serial')} ${fault.device.serialNumber})`;
}

export function faultLink(fault: Pick<FaultView, 'stationId' | 'faultId'>): string {
  return `#/gangguan/${encodeURIComponent(fault.stationId)}/${encodeURIComponent(fault.faultId)}`;
}

/**
 * How loud a problem is drawn: `bad` (red) when it stops recording or is a severe open fault,
 * `warn` (amber) for a warning, a printing problem or a minor fault, '' otherwise.
 */
export function problemTone(
  problem: Pick<StationProblem, 'blocks' | 'status' | 'fault'>,
): 'bad' | 'warn' | '' {
  if (problem.blocks === 'recording') {
    return 'bad';
  }
  if (problem.blocks === 'printing' || problem.status === 'warning') {
    return 'warn';
  }
  return problem.fault !== null ? faultTone(problem.fault) : '';
}

/** A fault still open is red when critical or major, amber when minor or only information. */
export function faultTone(fault: Pick<FaultView, 'severity' | 'state'>): 'bad' | 'warn' | '' {
  if (fault.state === 'resolved' || fault.state === 'closed') {
    return '';
  }
  return fault.severity === 'critical' || fault.severity === 'major' ? 'bad' : 'warn';
}
