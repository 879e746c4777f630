// The `siaga-district` commands by name, their one usage text, and the dispatch: a command's own
// options only (anything else: exit 2, naming the option), `--help` on any command (exit 0).
// Exit codes: 0 done, 1 refused or failed (the message says why), 2 usage error.
import type { CommandIo } from '../../cli/command';
import { EXIT_FAULT, EXIT_OK, EXIT_USAGE, UsageError, writeLine } from '../../cli/command';
import { Refusal } from '../server/intake/refusal';
import { bundleImport } from './bundle';
import { closedDayAdd, closedDayRemove, hours, timeZone } from './calendar';
import { escalate } from './escalate';
import { faults } from './faults';
import type { DistrictCommand } from './io';
import { DATABASE_USAGE } from './io';
import { peerAdd, peers, upstreamEnroll, upstreamStatus } from './peer';
import { serve } from './serve';
import { stationAdd, stationCode, stations } from './station';
import { userAdd } from './user';
import { districtAdd, provinceAdd } from './tenancy';

const COMMANDS: Record<string, DistrictCommand> = {
  serve,
  'station add': stationAdd,
  'station code': stationCode,
  stations,
  'bundle import': bundleImport,
  faults,
  'user add': userAdd,
  hours,
  'closed-day add': closedDayAdd,
  'closed-day remove': closedDayRemove,
  'time-zone': timeZone,
  escalate,
  'peer add': peerAdd,
  peers,
  'upstream enroll': upstreamEnroll,
  'upstream status': upstreamStatus,
  'province add': provinceAdd,
  'district add': districtAdd,
};

const usageOf = (names: string[]): string =>
  `usage: siaga-district <command> [options]\n${names.map((name) => `  ${COMMANDS[name].usage}`).join('\n')}\nevery command: ${DATABASE_USAGE} [--help]`;

export const USAGE = usageOf(Object.keys(COMMANDS));

const isHelp = (word: string | undefined): boolean => word === 'help' || word === '--help' || word === '-h';

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || isHelp(first)) {
    writeLine(io.stdout, USAGE);
    return EXIT_OK;
  }
  const twoWords = `${first} ${second}`;
  const name = twoWords in COMMANDS ? twoWords : first in COMMANDS ? first : null;
  if (name === null) {
    // A group such as `station` without (or with a wrong) subcommand: its commands' usage.
    const group = Object.keys(COMMANDS).filter((candidate) => candidate.startsWith(`${first} `));
    if (group.length > 0 && isHelp(second)) {
      writeLine(io.stdout, usageOf(group));
      return EXIT_OK;
    }
    writeLine(
      io.stderr,
      `siaga-district: unknown command: ${argv.join(' ')}\n${usageOf(group.length > 0 ? group : Object.keys(COMMANDS))}`,
    );
    return EXIT_USAGE;
  }
  const command = COMMANDS[name];
  try {
    return await command.run(argv.slice(name.split(' ').length), io);
  } catch (error) {
    if (error instanceof UsageError) {
      writeLine(
        io.stderr,
        `siaga-district ${name}: ${error.message}\nusage: siaga-district ${command.usage}`,
      );
      return EXIT_USAGE;
    }
    const message =
      error instanceof Refusal
        ? `${error.error}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    writeLine(io.stderr, `siaga-district ${name}: ${message}`);
    return EXIT_FAULT;
  }
}
