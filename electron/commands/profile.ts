// `siaga profile adopt --profile FILE [--simulate S]`: makes what is attached now the station's baseline.
// `siaga profile validate --profile FILE`: checks a profile file and names the first bad field.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import type { Role } from '../../protocol/verdict';
import { matchUsbDevice } from '../agent/catalog';
import { expectedRoles, loadProfile, parseProfile, type Profile, type RoleSpec } from '../agent/profile';
import type { UsbDeviceInfo } from '../../native/usb/types';
import type { CommandIo } from './io';
import { EXIT_OK, parseOptions, UsageError, writeLine } from './io';
import { setUpStation } from '../agent/composition-root';
import type { Catalog } from '../agent/catalog';

const hex = (value: number) => value.toString(16).padStart(4, '0');

/** Roles filled from attached USB devices; USB matching replaces the old one, other matching is kept. */
export function adoptDevices(
  base: Profile,
  devices: UsbDeviceInfo[],
  catalog: Catalog,
): { profile: Profile; adopted: string[] } {
  const roles: Partial<Record<Role, RoleSpec>> = { ...base.roles };
  const adopted: string[] = [];
  const taken = new Set<Role>();
  for (const device of devices) {
    const entry = matchUsbDevice(device, catalog);
    if (!entry || taken.has(entry.role)) {
      continue;
    }
    taken.add(entry.role);
    roles[entry.role] = {
      ...roles[entry.role],
      usb: {
        vendorId: hex(device.vendorId),
        productId: hex(device.productId),
        ...(device.serialNumber ? { serialNumber: device.serialNumber } : {}),
      },
    };
    adopted.push(
      `${entry.role}: ${entry.vendor} ${entry.model} (${hex(device.vendorId)}:${hex(device.productId)}${device.serialNumber ? ` SN ${device.serialNumber}` : ''})`,
    );
  }
  return { profile: parseProfile({ ...base, roles }), adopted };
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

export async function runProfileCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    profile: { type: 'string' },
    simulate: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  const [action] = positionals;
  if (!values.profile) {
    throw new UsageError('--profile FILE is required');
  }
  if (action === 'validate') {
    const profile = loadProfile(values.profile);
    writeLine(io.stdout, `${values.profile}: OK (${expectedRoles(profile).join(', ') || 'no roles'})`);
    return EXIT_OK;
  }
  if (action !== 'adopt') {
    throw new UsageError('usage: siaga profile adopt|validate --profile FILE');
  }
  // An existing file must be valid: a bad one is reported and left untouched, never overwritten.
  const base = existsSync(values.profile)
    ? loadProfile(values.profile)
    : parseProfile({ version: 1, roles: {} });
  const station = setUpStation({ simulate: values.simulate, dataDir: values['data-dir'] });
  const devices = await station.adapters.usb.list();
  const { profile, adopted } = adoptDevices(base, devices, station.catalog);
  writeAtomically(values.profile, `${JSON.stringify(profile, null, 2)}\n`);
  writeLine(io.stdout, `Profil disimpan / profile written: ${values.profile}`);
  for (const line of adopted) {
    writeLine(io.stdout, `  + ${line}`);
  }
  if (adopted.length === 0) {
    writeLine(io.stdout, '  (tidak ada perangkat dikenal terpasang / no known device attached)');
  }
  return EXIT_OK;
}
