// What every `siaga-district` command shares: strict option parsing (cli/command.ts) with the
// database options and `--help` added to its own, and the database it works on.
import type { ParseArgsConfig } from 'node:util';
import type { CommandIo } from '../../cli/command';
import { EXIT_OK, parseOptions, UsageError, writeLine } from '../../cli/command';
import { openDatabase } from '../server/db/open';
import type { Db } from '../server/db/types';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Taken by every command: where the database is. */
const DATABASE_OPTIONS = {
  'data-dir': { type: 'string' },
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

export const DATABASE_USAGE = '[--data-dir DIR] [--db postgres://...|sqlite:PATH]';

export type Parsed<T extends Options> = ReturnType<typeof parseOptions<T & typeof DATABASE_OPTIONS>>;

export interface DistrictCommand {
  /** The command words and what it takes, e.g. `stations [--json]`. */
  usage: string;
  run: (argv: string[], io: CommandIo) => Promise<number>;
}

/** A command that refuses any option not in `options` (UsageError, exit 2) and prints its usage on --help. */
export function defineCommand<T extends Options>(spec: {
  usage: string;
  options: T;
  run: (parsed: Parsed<T>, io: CommandIo) => Promise<number>;
}): DistrictCommand {
  return {
    usage: spec.usage,
    run: async (argv, io) => {
      const parsed = parseOptions(argv, { ...spec.options, ...DATABASE_OPTIONS });
      // parseArgs cannot type the values of a generic option set; --help is ours in every one.
      if ((parsed.values as { help?: boolean }).help === true) {
        writeLine(io.stdout, `usage: siaga-district ${spec.usage}\n  ${DATABASE_USAGE}`);
        return EXIT_OK;
      }
      return spec.run(parsed as Parsed<T>, io);
    },
  };
}

/** The database of `--db`, or the SQLite file in `--data-dir` (default $SIAGA_DISTRICT_DATA_DIR or ./siaga-district-data). */
export function databaseOf(values: { 'data-dir'?: string; db?: string }): { url?: string; dataDir: string } {
  return {
    url: values.db,
    dataDir: values['data-dir'] ?? process.env.SIAGA_DISTRICT_DATA_DIR ?? 'siaga-district-data',
  };
}

export async function withDb<T>(
  values: { 'data-dir'?: string; db?: string },
  work: (db: Db) => Promise<T>,
): Promise<T> {
  const db = await openDatabase(databaseOf(values));
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** A number >= 0 from an option's text; a UsageError otherwise. */
export function numberOption(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(`--${option} must be a number >= 0`);
  }
  return value;
}

/** The one positional argument a command needs (a FILE, a STATION_ID); a UsageError when it is missing or extra ones follow. */
export function onePositional(positionals: string[], what: string): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? `needs a ${what}` : `takes one ${what}, got ${positionals.join(' ')}`,
    );
  }
  return positionals[0];
}

/** No positional arguments; a UsageError for any. */
export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument: ${positionals.join(' ')}`);
  }
}
