// What every `siaga` subcommand gets: its arguments and the streams it writes to.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { describe } from '../agent/messages';

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

/**
 * The one line a command prints when the data folder cannot be written (`reason` names the folder
 * and the system's error): Bahasa Indonesia first, English second, no stack trace. Exit code 2.
 */
export function unwritableLine(command: string, reason: string): string {
  const { message } = describe('PC_DATA_FOLDER_READONLY', 'pc');
  return `siaga ${command}: ${message.id} / ${message.en} (${reason})`;
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
