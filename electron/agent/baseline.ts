// "Adopt what is attached now as the baseline", for `siaga profile adopt` and the technician's
// button alike. Each expected role gets the exact VID:PID (and serial) of the device that fills it
// (a replaced unit's new serial included); devices the catalog knows but no role claims become
// expected roles too. What the USB bus cannot show is kept, never dropped: the UPS (kept from the
// profile, or found on the serial ports by one Megatec Q1 status query, which only reads) and the
// network endpoints (kept from the profile; the enrolled district's URL added from identity.json).
import type { Role } from '../../protocol/verdict';
import { deviceName } from '../../protocol/device-name';
import { MEGATEC_BAUD_RATE, megatecQ1Query, parseQ1 } from '../../native/serial/megatec';
import type { SerialTransport } from '../../native/serial/types';
import type { UsbDeviceInfo } from '../../native/usb/types';
import type { Catalog } from './catalog';
import { matchUsbDevice } from './catalog';
import { findRoleDevice } from './checks/usb';
import { loadIdentity } from './identity';
import type { Profile, RoleSpec } from './profile';
import { parseProfile, roleSpecs } from './profile';

/** A Megatec UPS answers Q1 at 2400 baud in about 0.2 s; a port silent this long holds no UPS. */
export const UPS_PROBE_TIMEOUT_MS = 1000;

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

/** One line of what adoption decided, for the technician: role and what fills it. */
export interface AdoptedRole {
  role: Role;
  /** e.g. "Cross Match fingerprint scanner (080b:0010 SN GRD-0042)", "Megatec UPS on /dev/ttyS0 (kept)". */
  description: string;
}

function describeUsb(device: UsbDeviceInfo, catalog: Catalog): string {
  const entry = matchUsbDevice(device, catalog);
  const name = deviceName(entry?.vendor ?? device.manufacturer, entry?.model ?? device.product) ?? 'USB';
  const serial = device.serialNumber ? ` SN ${device.serialNumber}` : '';
  return `${name} (${hex4(device.vendorId)}:${hex4(device.productId)}${serial})`;
}

/** The USB part of adoption: pure, from one enumeration. Other roles are kept as they are. */
export function adoptBaseline(
  profile: Profile,
  devices: UsbDeviceInfo[],
  catalog: Catalog,
): { profile: Profile; adopted: Role[]; lines: AdoptedRole[] } {
  const roles = { ...profile.roles };
  const lines: AdoptedRole[] = [];
  const claimed = new Set<string>();
  for (const [role, spec] of roleSpecs(profile)) {
    const device = findRoleDevice(role, spec, devices, catalog);
    if (device && !claimed.has(device.key)) {
      claimed.add(device.key);
      roles[role] = { ...spec, usb: usbSpec(device) };
      lines.push({ role, description: describeUsb(device, catalog) });
    }
  }
  for (const device of devices) {
    const role = matchUsbDevice(device, catalog)?.role;
    if (role && !roles[role] && !claimed.has(device.key)) {
      claimed.add(device.key);
      roles[role] = { usb: usbSpec(device) };
      lines.push({ role, description: describeUsb(device, catalog) });
    }
  }
  return {
    profile: parseProfile({ ...profile, roles }, 'adopted baseline'),
    adopted: lines.map((line) => line.role),
    lines,
  };
}

/**
 * The first of the ports that answers a Megatec Q1 status query with a valid status line, or
 * undefined. Ports are tried one after another (a short query each) so that no two probes share
 * a USB-serial bridge at once.
 */
export async function findMegatecUps(
  serial: SerialTransport,
  extraPorts: readonly string[] = [],
  timeoutMs = UPS_PROBE_TIMEOUT_MS,
): Promise<{ path: string; tried: string[]; listError?: string }> {
  const listed = await serial.list();
  const paths = [...new Set([...extraPorts, ...listed.ports.map((port) => port.path)])];
  const tried: string[] = [];
  for (const path of paths) {
    tried.push(path);
    const result = await serial.query(megatecQ1Query(path, timeoutMs));
    if (result.ok && parseQ1(result.reply).ok) {
      return { path, tried, listError: listed.error };
    }
  }
  return { path: '', tried, listError: listed.error };
}

export interface AdoptStationOptions {
  profile: Profile;
  devices: UsbDeviceInfo[];
  catalog: Catalog;
  serial: SerialTransport;
  /** Where identity.json is (the enrolled district). */
  dataDir: string;
  /** Serial ports to try for a UPS besides the ones the OS lists (e.g. a port udev does not know). */
  serialPorts?: readonly string[];
  /** The central endpoint when the profile has none. */
  centralUrl?: string;
}

/** The whole adoption: USB roles, then the UPS and the network endpoints the bus cannot show. */
export async function adoptStation(
  options: AdoptStationOptions,
): Promise<{ profile: Profile; adopted: Role[]; lines: AdoptedRole[]; notes: string[] }> {
  const { profile, lines } = adoptBaseline(options.profile, options.devices, options.catalog);
  const roles = { ...profile.roles };
  const notes: string[] = [];
  const ups = roles.ups;
  if (ups?.serial) {
    lines.push({ role: 'ups', description: `UPS ${ups.serial.protocol} ${ups.serial.path} (tetap / kept)` });
  } else if (!ups?.usb) {
    const found = await findMegatecUps(options.serial, options.serialPorts ?? []);
    if (found.path !== '') {
      roles.ups = {
        ...ups,
        serial: { path: found.path, protocol: 'megatec-q1', baudRate: MEGATEC_BAUD_RATE },
      };
      lines.push({ role: 'ups', description: `UPS Megatec Q1 ${found.path}` });
    } else {
      notes.push(
        `UPS tidak ditemukan di port serial (${found.tried.join(', ') || 'tidak ada port'}) / no UPS answered on the serial ports` +
          (found.listError ? ` (${found.listError})` : ''),
      );
    }
  }
  const endpoints = [...(roles.network?.endpoints ?? [])];
  const identity = loadIdentity(options.dataDir);
  if (identity && !endpoints.some((endpoint) => endpoint.name === 'district')) {
    endpoints.push({ name: 'district', url: identity.districtUrl });
  }
  if (options.centralUrl && !endpoints.some((endpoint) => endpoint.name === 'central')) {
    endpoints.push({ name: 'central', url: options.centralUrl });
  }
  if (endpoints.length > 0) {
    roles.network = { ...roles.network, endpoints };
    lines.push({
      role: 'network',
      description: endpoints.map((endpoint) => `${endpoint.name} ${endpoint.url}`).join(', '),
    });
  }
  if (!endpoints.some((endpoint) => endpoint.name === 'central')) {
    notes.push(
      'Alamat pusat belum ada di profil (--central URL) / no central endpoint in the profile (--central URL)',
    );
  }
  const adoptedProfile = parseProfile({ ...profile, roles }, 'adopted baseline');
  return { profile: adoptedProfile, adopted: lines.map((line) => line.role), lines, notes };
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
