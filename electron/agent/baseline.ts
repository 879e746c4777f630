// "Adopt what is attached now as the baseline": each expected role gets the exact VID:PID (and
// serial) of the device that matches it; devices the catalog knows but no role claims become
// expected roles too.
import type { Role } from '../../protocol/verdict';
import type { UsbDeviceInfo } from '../../native/usb/types';
import type { Catalog } from './catalog';
import { matchUsbDevice } from './catalog';
import { findRoleDevice } from './checks/usb';
import type { Profile, RoleSpec } from './profile';
import { parseProfile, roleSpecs } from './profile';

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

function usbSpec(device: UsbDeviceInfo): NonNullable<RoleSpec['usb']> {
  return {
    vendorId: hex4(device.vendorId),
    productId: hex4(device.productId),
    ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
  };
}

export function adoptBaseline(
  profile: Profile,
  devices: UsbDeviceInfo[],
  catalog: Catalog,
): { profile: Profile; adopted: Role[] } {
  const roles = { ...profile.roles };
  const adopted: Role[] = [];
  for (const [role, spec] of roleSpecs(profile)) {
    const device = findRoleDevice(role, spec, devices, catalog);
    if (device) {
      roles[role] = { ...spec, usb: usbSpec(device) };
      adopted.push(role);
    }
  }
  for (const device of devices) {
    const role = matchUsbDevice(device, catalog)?.role;
    if (role && !roles[role]) {
      roles[role] = { usb: usbSpec(device) };
      adopted.push(role);
    }
  }
  return { profile: parseProfile({ ...profile, roles }, 'adopted baseline'), adopted };
}

/** The role the profile (or else the catalog) gives a device; null when unknown. */
export function roleOfDevice(device: UsbDeviceInfo, profile: Profile, catalog: Catalog): Role | null {
  for (const [role, spec] of roleSpecs(profile)) {
    if (findRoleDevice(role, spec, [device], catalog)) {
      return role;
    }
  }
  return matchUsbDevice(device, catalog)?.role ?? null;
}
