// USB presence per role, loose-cable detection from the monitor's reconnect history, another unit
// of the profile's model standing in for the baseline one, and the verdicts for attached devices
// the profile does not expect.
import { deviceName } from '../../../protocol/device-name';
import type { DeviceIdentity, Role } from '../../../protocol/verdict';
import type { UsbDeviceHistory, UsbDeviceInfo } from '../../../native/usb/types';
import type { Catalog, CatalogEntry } from '../catalog';
import { matchUsbDevice } from '../catalog';
import type { Profile, RoleSpec } from '../profile';
import type { Outcome } from './outcome';
import { ok } from './outcome';

const hex = (value: number) => value.toString(16).padStart(4, '0');

/** USB hubs and root hubs are plumbing, not kit. */
function isHub(device: UsbDeviceInfo): boolean {
  return device.deviceClass === 0x09 || device.vendorId === 0x1d6b;
}

/** Vendor and model: the catalog's names for a known model; the device's own strings for a class match. */
function names(device: UsbDeviceInfo, entry: CatalogEntry | undefined): { vendor?: string; model?: string } {
  if (entry && entry.match.vendorId !== undefined) {
    return { vendor: entry.vendor, model: entry.model };
  }
  return { vendor: device.manufacturer ?? entry?.vendor, model: device.product ?? entry?.model };
}

export function usbIdentity(device: UsbDeviceInfo, catalog: Catalog): DeviceIdentity {
  return {
    key: device.key,
    transport: 'usb',
    ...names(device, matchUsbDevice(device, catalog)),
    serialNumber: device.serialNumber,
  };
}

export function usbMeasurements(device: UsbDeviceInfo): Record<string, unknown> {
  return {
    usbId: `${hex(device.vendorId)}:${hex(device.productId)}`,
    usbClass: device.deviceClass,
    manufacturer: device.manufacturer,
    product: device.product,
    serialNumber: device.serialNumber,
    bus: device.bus,
    ports: device.ports?.join('.'),
  };
}

export interface RoleDeviceMatch {
  device: UsbDeviceInfo;
  /**
   * Set when the profile names a serial number and the device attached is another unit of the
   * same model (the profile's other ids, or the catalog's role when it gives none): the baseline's
   * serial number, which the unit attached replaces.
   */
  replacedSerialNumber?: string;
}

function matchesIds(
  device: UsbDeviceInfo,
  match: NonNullable<RoleSpec['usb']>,
  withSerial: boolean,
): boolean {
  return (
    (match.vendorId === undefined || hex(device.vendorId) === match.vendorId) &&
    (match.productId === undefined || hex(device.productId) === match.productId) &&
    (!withSerial || match.serialNumber === undefined || device.serialNumber === match.serialNumber)
  );
}

/**
 * The attached device that fills a role, by the profile's ids or, failing those, by the catalog's
 * role. A spare scanner swapped in (same model, another serial number) still fills the role: a
 * replaced unit must never make the station say it cannot record.
 */
export function matchRoleDevice(
  role: Role,
  spec: RoleSpec,
  devices: UsbDeviceInfo[],
  catalog: Catalog,
): RoleDeviceMatch | undefined {
  const match = spec.usb ?? {};
  const byModel = match.vendorId !== undefined || match.productId !== undefined;
  if (!byModel && match.serialNumber === undefined) {
    const device = devices.find((candidate) => matchUsbDevice(candidate, catalog)?.role === role);
    return device && { device };
  }
  const exact = devices.find((device) => matchesIds(device, match, true));
  if (exact || match.serialNumber === undefined) {
    return exact && { device: exact };
  }
  const sameModel = devices.find((device) =>
    byModel ? matchesIds(device, match, false) : matchUsbDevice(device, catalog)?.role === role,
  );
  return sameModel && { device: sameModel, replacedSerialNumber: match.serialNumber };
}

/** The attached device that fills a role (see matchRoleDevice). */
export function findRoleDevice(
  role: Role,
  spec: RoleSpec,
  devices: UsbDeviceInfo[],
  catalog: Catalog,
): UsbDeviceInfo | undefined {
  return matchRoleDevice(role, spec, devices, catalog)?.device;
}

export function checkUsbRole(
  role: Role,
  spec: RoleSpec,
  devices: UsbDeviceInfo[],
  catalog: Catalog,
  history: ((key: string) => UsbDeviceHistory | undefined) | undefined,
  thresholds: Profile['thresholds'],
  enumerationError?: string,
): Outcome {
  if (enumerationError !== undefined) {
    // Not a missing device: the PC could not list its USB devices at all.
    return {
      status: 'unknown',
      suffix: 'CHECK_ERROR',
      measurements: { error: enumerationError },
    };
  }
  const found = matchRoleDevice(role, spec, devices, catalog);
  if (!found) {
    return {
      status: 'fault',
      suffix: 'MISSING',
      measurements: { expected: spec.usb ?? { anyKnownModel: true }, attached: devices.length },
    };
  }
  const { device, replacedSerialNumber } = found;
  const identity = usbIdentity(device, catalog);
  const measurements = usbMeasurements(device);
  if (replacedSerialNumber !== undefined) {
    measurements.baselineSerialNumber = replacedSerialNumber;
  }
  const past = history?.(device.key);
  if (past) {
    measurements.reconnects = past.reconnects;
    measurements.recentTransitions = past.recentTransitions.length;
    // Two transitions (detach + attach) make one reconnect.
    const recentReconnects = Math.floor(past.recentTransitions.length / 2);
    if (recentReconnects >= thresholds.reconnectsForLooseCable) {
      return {
        status: 'warning',
        suffix: 'LOOSE_CABLE',
        params: { reconnects: recentReconnects },
        device: identity,
        measurements,
      };
    }
  }
  if (replacedSerialNumber !== undefined) {
    // Usable (a warning never stops recording); open until a technician adopts the new baseline.
    return {
      status: 'warning',
      suffix: 'UNIT_REPLACED',
      params: { serialNumber: device.serialNumber ?? '-', baselineSerialNumber: replacedSerialNumber },
      device: identity,
      measurements,
    };
  }
  return ok(measurements, identity);
}

/** Verdicts for attached devices no role claimed: known models are shown, unknown ones too, neither alarms. */
export function checkUnclaimedDevices(
  devices: UsbDeviceInfo[],
  claimed: Set<string>,
  catalog: Catalog,
): Outcome[] {
  return devices
    .filter((device) => !claimed.has(device.key) && !isHub(device))
    .map((device) => {
      const entry = matchUsbDevice(device, catalog);
      const { vendor, model } = names(device, entry);
      const product = deviceName(vendor, model) ?? `USB ${hex(device.vendorId)}:${hex(device.productId)}`;
      return {
        status: entry ? 'ok' : 'unknown',
        code: entry ? 'USB_DEVICE_UNEXPECTED' : 'USB_DEVICE_UNKNOWN',
        params: { product },
        device: usbIdentity(device, catalog),
        measurements: { ...usbMeasurements(device), catalogRole: entry?.role },
      } satisfies Outcome;
    });
}
