// `siaga enroll --district URL --code CODE [--ca FILE] [--insecure] [--name NAME] [--force] [--data-dir DIR]`:
// registers this station with its district. Exit 0 enrolled, 1 refused or unreachable, 2 usage
// error (a bad URL, plain HTTP to another PC without --insecure, an unreadable --ca file).
import { readFileSync } from 'node:fs';
import { enroll, EnrollError } from '../agent/enroll';
import { APP_VERSION } from './agent';
import type { CommandIo } from './io';
import { EXIT_FAULT, EXIT_OK, EXIT_USAGE, parseOptions, UsageError, writeLine } from './io';
import { defaultDataDir } from '../agent/composition-root';

export async function run(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseOptions(argv, {
      district: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      force: { type: 'boolean', default: false },
      ca: { type: 'string' },
      insecure: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    }));
    if (!values.district || !values.code) {
      throw new UsageError(
        'usage: siaga enroll --district URL --code CODE [--ca FILE] [--insecure] [--name NAME] [--force] [--data-dir DIR]',
      );
    }
  } catch (error) {
    writeLine(io.stderr, (error as Error).message);
    return EXIT_USAGE;
  }
  let caPem: string | undefined;
  if (values.ca !== undefined) {
    try {
      caPem = readFileSync(values.ca, 'utf8');
    } catch (error) {
      writeLine(io.stderr, `--ca ${values.ca}: ${(error as Error).message}`);
      return EXIT_USAGE;
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----')) {
      writeLine(io.stderr, `--ca ${values.ca}: not a PEM certificate`);
      return EXIT_USAGE;
    }
  }
  try {
    const identity = await enroll({
      dataDir: values['data-dir'] ?? defaultDataDir(),
      districtUrl: values.district,
      code: values.code,
      stationName: values.name,
      force: values.force,
      caPem,
      insecure: values.insecure,
      appVersion: APP_VERSION,
    });
    if (identity.insecure) {
      writeLine(
        io.stderr,
        'PERINGATAN / WARNING: koneksi ke kabupaten TIDAK terenkripsi (--insecure) / the link to the district is NOT encrypted',
      );
    }
    writeLine(
      io.stdout,
      `Terdaftar / enrolled: ${identity.stationId} (${identity.stationName}, ${identity.kecamatan}) at ${identity.districtUrl}`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof EnrollError) {
      writeLine(io.stderr, `Pendaftaran gagal / enrollment failed: ${error.message}`);
      return error.reason === 'bad-url' || error.reason === 'insecure-url' ? EXIT_USAGE : EXIT_FAULT;
    }
    throw error;
  }
}
