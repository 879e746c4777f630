// `siaga bundle export FILE [--data-dir DIR]`: every undelivered event, signed, for a USB stick
// (protocol/bundle.ts). Exit 0 written, 1 not possible (not enrolled, no store), 2 usage error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { exportBundle } from '../agent/bundle';
import { loadIdentity } from '../agent/identity';
import { META, readMeta } from '../agent/store/meta';
import { Store, STORE_FILE } from '../agent/store/store';
import type { CommandIo } from './io';
import { EXIT_FAULT, EXIT_OK, EXIT_USAGE, parseOptions, writeLine } from './io';
import { defaultDataDir } from '../agent/composition-root';

const USAGE = 'usage: siaga bundle export FILE [--data-dir DIR]';

export async function run(argv: string[], io: CommandIo): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseOptions(argv, { 'data-dir': { type: 'string' } }));
  } catch (error) {
    writeLine(io.stderr, `${(error as Error).message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (positionals[0] !== 'export' || positionals.length !== 2) {
    writeLine(io.stderr, USAGE);
    return EXIT_USAGE;
  }
  const file = positionals[1]!;
  const dataDir = values['data-dir'] ?? defaultDataDir();
  const identity = loadIdentity(dataDir);
  if (!identity) {
    writeLine(
      io.stderr,
      'this station is not enrolled: run `siaga enroll` first (a bundle is signed with the station key)',
    );
    return EXIT_FAULT;
  }
  if (!existsSync(path.join(dataDir, STORE_FILE))) {
    writeLine(io.stderr, `no station store in ${dataDir}`);
    return EXIT_FAULT;
  }
  const store = Store.open(dataDir, { readonly: true });
  try {
    const offset = readMeta(store, META.clockOffsetMs) ?? 0;
    const result = exportBundle(store, identity, file, Date.now() + offset);
    writeLine(
      io.stdout,
      `${result.events} kejadian / events in ${result.requests} requests written to ${file} (${result.bytes} bytes)`,
    );
    return EXIT_OK;
  } finally {
    store.close();
  }
}
