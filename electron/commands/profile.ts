// `siaga profile adopt --profile FILE [--simulate S] [--data-dir DIR] [--serial-port PATH]... [--central URL]`:
// makes what is attached now the station's baseline, keeping what the USB bus cannot show (see
// agent/baseline.ts). A missing folder for FILE is created; one that cannot be is exit 2.
// `siaga profile validate --profile FILE`: checks a profile file and names the first bad field.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { adoptStation } from '../agent/baseline';
import { setUpStation } from '../agent/composition-root';
import { expectedRoles, loadProfile, parseProfile } from '../agent/profile';
import type { CommandIo } from './io';
import { EXIT_OK, parseOptions, UsageError, writeLine } from './io';

/** Writes through a temporary file and a rename: a crash never leaves half a profile. */
function writeProfileFile(file: string, text: string): void {
  const folder = path.dirname(path.resolve(file));
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    throw new UsageError(
      `folder ${folder} tidak dapat dibuat / cannot be created: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const temporary = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, file);
  } catch (error) {
    throw new UsageError(
      `${file} tidak dapat ditulis / cannot be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export async function runProfileCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    profile: { type: 'string' },
    simulate: { type: 'string' },
    'data-dir': { type: 'string' },
    'serial-port': { type: 'string', multiple: true },
    central: { type: 'string' },
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
  if (values.central !== undefined && !URL.canParse(values.central)) {
    throw new UsageError(`--central: not a URL: ${values.central}`);
  }
  // An existing file must be valid: a bad one is reported and left untouched, never overwritten.
  const base = existsSync(values.profile)
    ? loadProfile(values.profile)
    : parseProfile({ version: 1, roles: {} });
  const station = setUpStation({ simulate: values.simulate, dataDir: values['data-dir'] });
  const { profile, lines, notes } = await adoptStation({
    profile: base,
    devices: await station.adapters.usb.list(),
    catalog: station.catalog,
    serial: station.adapters.serial,
    dataDir: station.dataDir,
    serialPorts: values['serial-port'],
    centralUrl: values.central,
  });
  writeProfileFile(values.profile, `${JSON.stringify(profile, null, 2)}\n`);
  writeLine(io.stdout, `Profil disimpan / profile written: ${values.profile}`);
  for (const line of lines) {
    writeLine(io.stdout, `  + ${line.role}: ${line.description}`);
  }
  if (lines.length === 0) {
    writeLine(io.stdout, '  (tidak ada perangkat dikenal terpasang / no known device attached)');
  }
  for (const note of notes) {
    writeLine(io.stdout, `  ! ${note}`);
  }
  return EXIT_OK;
}
