// How a fault's device and link are written, shared by the board and the fault pages.
import { deviceName as productName } from '../../../protocol/device-name';
import type { FaultView } from '../../dash-api';

export function deviceName(fault: FaultView, t: (key: string) => string): string {
  if (fault.device === null) {
    return t(`role.${fault.role}`);
  }
  const name = productName(fault.device.vendor, fault.device.model) ?? fault.device.key;
  return fault.device.serialNumber === undefined
    ? name
    : `${name} (${t('serial')} ${fault.device.serialNumber})`;
}

export function faultLink(fault: Pick<FaultView, 'stationId' | 'faultId'>): string {
  return `#/gangguan/${encodeURIComponent(fault.stationId)}/${encodeURIComponent(fault.faultId)}`;
}
