// What both command lines (`siaga`, electron/commands/, and `siaga-district`, district/commands/)
// share: a command's arguments and streams, its exit codes, and strict option parsing. Node only;
// imports nothing of ours, so either side may import it without crossing a layer.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export type Command = (argv: string[], io: CommandIo) => Promise<number>;

export const EXIT_OK = 0;
export const EXIT_FAULT = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/** parseArgs that turns unknown or malformed options into a UsageError (exit code 2). */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}

/** The `--lang` option: `id` (the default) or `en`; anything else is a UsageError. */
export function languageOption(value: string | undefined): 'id' | 'en' {
  if (value === undefined || value === 'id' || value === 'en') {
    return value ?? 'id';
  }
  throw new UsageError(`--lang must be "id" or "en", not "${value}"`);
}
