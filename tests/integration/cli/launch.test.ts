// bin/siaga and bin/siaga-district as installed: reached through symlinks (npm link, a global
// install), and running the bundle only while it is current. The bundle cases run in a copy of
// the checkout in a temporary folder, so touching a source there changes no tracked file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('../../..', import.meta.url));
const temporary: string[] = [];
function temporaryDirectory(prefix: string): string {
  const directory = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(directory);
  return directory;
}
after(() => {
  for (const directory of temporary) {
    rmSync(directory, { recursive: true, force: true });
  }
});

const dataDir = temporaryDirectory('siaga-launch-data-');

function run(command: string, ...args: string[]) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    cwd: os.tmpdir(),
    env: { ...process.env, SIAGA_DATA_DIR: dataDir, SIAGA_DEBUG_LAUNCH: '1' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The launcher's own line on stderr: "bundle ..." or "tsx ... (why)". */
function launchPath(stderr: string): string {
  const line = stderr.split('\n').find((text) => text.startsWith('siaga launch: '));
  assert.ok(line, `no launch line on stderr:\n${stderr}`);
  return line.slice('siaga launch: '.length);
}

describe('through a symlink', () => {
  test('a link in another folder to bin/siaga lists the scenarios and runs a simulated check', () => {
    const links = temporaryDirectory('siaga-links-');
    symlinkSync(path.join(repository, 'bin', 'siaga'), path.join(links, 'siaga'));
    // A chain with a relative link, as /usr/local/bin -> ../lib/node_modules/... makes.
    symlinkSync('siaga', path.join(links, 'station'));
    const scenarios = run(path.join(links, 'station'), 'scenarios');
    assert.equal(scenarios.code, 0, scenarios.stderr);
    assert.match(scenarios.stdout, /fingerprint-missing/);
    const check = run(path.join(links, 'siaga'), 'check', '--simulate', 'healthy');
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /Bisa merekam hari ini: YA/);
  });

  test('a link to bin/siaga-district prints its usage', () => {
    const links = temporaryDirectory('siaga-links-');
    symlinkSync(path.join(repository, 'bin', 'siaga-district'), path.join(links, 'siaga-district'));
    const help = run(path.join(links, 'siaga-district'), '--help');
    assert.match(help.stdout + help.stderr, /usage: siaga-district <command>/);
  });
});

describe('bundle or tsx', () => {
  let checkout: string;
  let siaga: string;

  before(() => {
    checkout = temporaryDirectory('siaga-checkout-');
    for (const entry of [
      'bin',
      'cli',
      'protocol',
      'native',
      'electron',
      'district',
      'link',
      'resources',
      'scripts',
    ]) {
      cpSync(path.join(repository, entry), path.join(checkout, entry), { recursive: true });
    }
    for (const file of ['package.json', 'tsconfig.base.json', 'tsconfig.node.json']) {
      cpSync(path.join(repository, file), path.join(checkout, file));
    }
    symlinkSync(path.join(repository, 'node_modules'), path.join(checkout, 'node_modules'));
    siaga = path.join(temporaryDirectory('siaga-links-'), 'siaga');
    symlinkSync(path.join(checkout, 'bin', 'siaga'), siaga);
  });

  function buildCli(): void {
    const build = spawnSync(process.execPath, ['scripts/build.mjs', 'cli'], {
      cwd: checkout,
      encoding: 'utf8',
    });
    assert.equal(build.status, 0, build.stderr);
  }

  test('without a bundle: tsx, and it says why', () => {
    const result = run(siaga, 'check', '--simulate', 'healthy');
    assert.equal(result.code, 0, result.stderr);
    assert.match(launchPath(result.stderr), /^tsx electron\/cli\.ts \(no dist\/cli\/siaga\.mjs/);
  });

  test('with a current bundle: the bundle, with the same verdict', () => {
    buildCli();
    const result = run(siaga, 'check', '--simulate', 'fingerprint-missing', '--json');
    assert.equal(launchPath(result.stderr), 'bundle dist/cli/siaga.mjs');
    assert.equal(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as {
      canRecord: boolean;
      verdicts: { role: string; code: string }[];
    };
    assert.equal(report.canRecord, false);
    assert.equal(
      report.verdicts.find((verdict) => verdict.role === 'fingerprint')?.code,
      'FINGERPRINT_MISSING',
    );
  });

  test('a source newer than the bundle: tsx again, naming the file', () => {
    buildCli();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(checkout, 'protocol', 'verdict.ts'), later, later);
    const result = run(siaga, 'scenarios');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      launchPath(result.stderr),
      'tsx electron/cli.ts (protocol/verdict.ts is newer than dist/cli/siaga.mjs)',
    );
  });
});
