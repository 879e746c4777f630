// `siaga-district` option parsing, in process: every command refuses an option it does not take
// (exit 2, naming it) and prints its own usage on --help (exit 0). No database is opened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDistrictCommand } from '../../helpers/district-cli';
import type { CommandOutput } from '../../helpers/district-cli';

const COMMANDS = [
  'serve',
  'station add',
  'station code',
  'stations',
  'bundle import',
  'faults',
  'user add',
  'escalate',
  'hours',
  'closed-day add',
  'closed-day remove',
  'time-zone',
];

async function run(...argv: string[]): Promise<CommandOutput> {
  return runDistrictCommand(argv);
}

test('every command refuses an unknown option with exit 2 and names it', async () => {
  for (const command of COMMANDS) {
    const result = await run(...command.split(' '), '--bogus-option');
    assert.equal(result.code, 2, command);
    assert.match(result.stderr, /--bogus-option/, command);
    assert.match(result.stderr, new RegExp(`usage: siaga-district ${command} `), command);
    assert.equal(result.stdout, '', command);
  }
});

test('an option of another command is refused too (serve takes no --code-hours, stations no --name)', async () => {
  for (const argv of [
    ['serve', '--code-hours', '3'],
    ['stations', '--name', 'x'],
    ['faults', '--role', 'admin'],
  ]) {
    const result = await run(...argv);
    assert.equal(result.code, 2, argv.join(' '));
    assert.match(result.stderr, new RegExp(argv[1]), argv.join(' '));
  }
});

test('--help and -h on every command print its usage and exit 0', async () => {
  for (const command of COMMANDS) {
    for (const flag of ['--help', '-h']) {
      const result = await run(...command.split(' '), flag);
      assert.equal(result.code, 0, `${command} ${flag}: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`^usage: siaga-district ${command} `), command);
      assert.match(result.stdout, /--data-dir DIR/, command);
      assert.equal(result.stderr, '', command);
    }
  }
  const all = await run('--help');
  assert.equal(all.code, 0);
  for (const command of COMMANDS) {
    assert.ok(all.stdout.includes(`\n  ${command} `), command);
  }
  const group = await run('station', '--help');
  assert.equal(group.code, 0);
  assert.match(group.stdout, /station add /);
  assert.match(group.stdout, /station code /);
  assert.doesNotMatch(group.stdout, /\bserve\b/);
});

test('an unknown command, a missing subcommand or a missing required option exits 2', async () => {
  const unknown = await run('stationz');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command: stationz/);
  assert.equal((await run('station')).code, 2);
  const missing = await run('station', 'add', '--name', 'Loket 1');
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /needs --name and --kecamatan/);
  const noFile = await run('bundle', 'import');
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /needs a FILE/);
  const badNumber = await run('station', 'add', '--name', 'a', '--kecamatan', 'b', '--code-hours', 'lama');
  assert.equal(badNumber.code, 2);
  assert.match(badNumber.stderr, /--code-hours must be a number/);
});
