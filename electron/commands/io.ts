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
