// The `siaga` command: the station agent without a window.
import type { Command } from './commands/io';
import { EXIT_USAGE, UsageError } from './commands/io';
import { runCheckCommand } from './commands/check';
import { runProfileCommand } from './commands/profile';
import { run as runAgentCommand } from './commands/agent';
import { run as runEnrollCommand } from './commands/enroll';
import { run as runFaultsCommand } from './commands/faults';
import { run as runBundleCommand } from './commands/bundle';
import { SCENARIOS, UnknownScenarioError } from './agent/simulate';
import { ProfileError } from './agent/profile';
import { ConfigError } from './agent/config-file';
import { isUnwritableError } from './agent/store/store';
import { unwritableLine } from './commands/io';

const USAGE = `Siaga — pemeriksa kesehatan perangkat stasiun perekaman KTP-el / e-KTP station device health

  siaga check [--profile FILE] [--json] [--simulate SCENARIO] [--lang id|en] [--passive]
  siaga profile adopt --profile FILE [--simulate SCENARIO] [--serial-port PATH]... [--central URL]
  siaga profile validate --profile FILE
  siaga agent [--data-dir DIR] [--profile FILE] [--simulate SCENARIO] [--config FILE] [--lang id|en] [--verbose]
  siaga enroll --district URL --code CODE [--ca FILE] [--insecure] [--data-dir DIR] [--name NAME] [--force]
  siaga faults [--json] [--all] [--lang id|en] [--data-dir DIR]
  siaga bundle export FILE [--data-dir DIR]
  siaga scenarios

Exit codes: 0 nothing at fault, 1 a fault found, 2 usage or configuration error or a data folder
that cannot be written.`;

const commands: Record<string, Command> = {
  check: runCheckCommand,
  profile: runProfileCommand,
  agent: runAgentCommand,
  enroll: runEnrollCommand,
  faults: runFaultsCommand,
  bundle: runBundleCommand,
  scenarios: async (_argv, io) => {
    for (const [name, { description }] of Object.entries(SCENARIOS)) {
      io.stdout.write(`${name.padEnd(22)} ${description}\n`);
    }
    return 0;
  },
};

/** The usage lines of one command (`siaga NAME ...`), for `siaga NAME --help`. */
export function commandUsage(name: string): string {
  const lines = USAGE.split('\n').filter((line) => line.trimStart().startsWith(`siaga ${name}`));
  return `usage:\n${lines.join('\n')}\n\n${USAGE.split('\n').at(-1)}`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(USAGE);
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`siaga: unknown command "${name}"\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  // --help anywhere after a command is help (exit 0), before any option is checked or run.
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(commandUsage(name));
    return 0;
  }
  try {
    return await command(rest, { stdout: process.stdout, stderr: process.stderr });
  } catch (error) {
    if (error instanceof UsageError || error instanceof UnknownScenarioError) {
      console.error(`siaga ${name}: ${error.message}`);
      return EXIT_USAGE;
    }
    if (error instanceof ProfileError) {
      console.error(`siaga ${name}: profil tidak valid / invalid profile: ${error.message}`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      console.error(`siaga ${name}: konfigurasi tidak valid / invalid configuration: ${error.message}`);
      return EXIT_USAGE;
    }
    if (isUnwritableError(error)) {
      console.error(unwritableLine(name, (error as Error).message));
      return EXIT_USAGE;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 70;
  },
);
