// How a fault's device and link are written, shared by the board and the fault pages.
import type { Translator } from '../../../protocol/i18n';
import { deviceName as productName } from '../../../protocol/device-name';
import type { FaultView } from '../../dash-api';

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
