// What every `siaga` subcommand gets: its arguments, the streams it writes to, exit codes and
// option parsing, shared with `siaga-district` (cli/command.ts).
export type { Command, CommandIo } from '../../cli/command';
export {
  EXIT_FAULT,
  EXIT_OK,
  EXIT_USAGE,
  languageOption,
  parseOptions,
  UsageError,
  writeLine,
} from '../../cli/command';
import { describe } from '../agent/messages';

/**
 * The one line a command prints when the data folder cannot be written (`reason` names the folder
 * and the system's error): Bahasa Indonesia first, English second, no stack trace. Exit code 2.
 */
export function unwritableLine(command: string, reason: string): string {
  const { message } = describe('PC_DATA_FOLDER_READONLY', 'pc');
  return `siaga ${command}: ${message.id} / ${message.en} (${reason})`;
}
