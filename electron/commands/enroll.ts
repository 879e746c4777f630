// `siaga enroll --district URL --code CODE [--name NAME] [--force] [--data-dir DIR]`: registers this
// station with its district. Exit 0 enrolled, 1 refused or unreachable, 2 usage error.
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
      'data-dir': { type: 'string' },
    }));
    if (!values.district || !values.code) {
      throw new UsageError(
        'usage: siaga enroll --district URL --code CODE [--name NAME] [--force] [--data-dir DIR]',
      );
    }
  } catch (error) {
    writeLine(io.stderr, (error as Error).message);
    return EXIT_USAGE;
  }
  try {
    const identity = await enroll({
      dataDir: values['data-dir'] ?? defaultDataDir(),
      districtUrl: values.district,
      code: values.code,
      stationName: values.name,
      force: values.force,
      appVersion: APP_VERSION,
    });
    writeLine(
      io.stdout,
      `Terdaftar / enrolled: ${identity.stationId} (${identity.stationName}, ${identity.kecamatan}) at ${identity.districtUrl}`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof EnrollError) {
      writeLine(io.stderr, `Pendaftaran gagal / enrollment failed: ${error.message}`);
      return error.reason === 'bad-url' ? EXIT_USAGE : EXIT_FAULT;
    }
    throw error;
  }
}
