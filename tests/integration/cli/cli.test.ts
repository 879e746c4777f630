// The `siaga` command as a user runs it: exit codes, table, JSON, configuration errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPtyPair } from '../../helpers/pty';
import { startUpsSimulator } from '../../helpers/serial-simulators';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'siaga-cli-'));

function siaga(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'electron/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SIAGA_DATA_DIR: dataDir },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('check --simulate healthy: exit 0 and an Indonesian table', () => {
  const { code, stdout } = siaga('check', '--simulate', 'healthy');
  assert.equal(code, 0, stdout);
  assert.match(stdout, /Bisa merekam hari ini: YA/);
  assert.match(stdout, /Pemindai sidik jari\s+BAIK\s+FINGERPRINT_OK/);
});

test('check --simulate fingerprint-missing --json: exit 1 and a verdicts array', () => {
  const { code, stdout } = siaga('check', '--simulate', 'fingerprint-missing', '--json');
  assert.equal(code, 1);
  const report = JSON.parse(stdout);
  assert.ok(Array.isArray(report.verdicts));
  const fingerprint = report.verdicts.find((verdict: { role: string }) => verdict.role === 'fingerprint');
  assert.equal(fingerprint.status, 'fault');
  assert.equal(fingerprint.code, 'FINGERPRINT_MISSING');
  assert.match(fingerprint.message.id, /tidak terdeteksi/);
  assert.equal(report.canRecord, false);
});

test('check --lang en prints English', () => {
  const { code, stdout } = siaga('check', '--simulate', 'ribbon-out', '--lang', 'en');
  assert.equal(code, 1);
  assert.match(stdout, /Can print e-KTP: NO/);
  assert.match(stdout, /ribbon is used up/);
});

test('usage and configuration errors exit 2 and name the problem', () => {
  assert.equal(siaga('check', '--bogus').code, 2);
  assert.equal(siaga('check', '--simulate', 'no-such-scenario').code, 2);
  const bad = path.join(dataDir, 'bad.json');
  writeFileSync(
    bad,
    JSON.stringify({
      version: 1,
      roles: { ups: { serial: { path: '/dev/ttyS0', protocol: 'megatec-q1', baudRate: 'fast' } } },
    }),
  );
  const result = siaga('check', '--profile', bad);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /roles\.ups\.serial\.baudRate/);
  writeFileSync(bad, '{ not json');
  assert.match(siaga('check', '--profile', bad).stderr, /not valid JSON/);
});

test('profile adopt writes a baseline that then checks clean, and refuses to overwrite a bad file', () => {
  const file = path.join(dataDir, 'adopted.json');
  const adopt = siaga('profile', 'adopt', '--profile', file, '--simulate', 'healthy');
  assert.equal(adopt.code, 0, adopt.stderr);
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(profile.roles.fingerprint.usb.vendorId, '080b');
  assert.equal(profile.roles.fingerprint.usb.serialNumber, 'G1502339');
  assert.equal(siaga('profile', 'validate', '--profile', file).code, 0);
  const check = siaga('check', '--profile', file, '--simulate', 'healthy', '--json');
  assert.equal(check.code, 0, check.stdout);

  const bad = path.join(dataDir, 'keep.json');
  writeFileSync(bad, '{"version": 2}');
  assert.equal(siaga('profile', 'adopt', '--profile', bad, '--simulate', 'healthy').code, 2);
  assert.equal(readFileSync(bad, 'utf8'), '{"version": 2}', 'the bad file is left as it was');
});

test('check: a UPS port that disappears mid-check is a fault and exits 1, not unknown with 0', async () => {
  const pty = await startPtyPair();
  const simulator = await startUpsSimulator(pty.devicePath, 'healthy');
  try {
    const profile = path.join(dataDir, 'ups-only.json');
    writeFileSync(
      profile,
      JSON.stringify({
        version: 1,
        roles: { ups: { serial: { path: pty.appPath, protocol: 'megatec-q1', baudRate: 2400 } } },
        timeouts: { serialMs: 8000 },
      }),
    );
    const run = () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'electron/cli.ts', 'check', '--profile', profile, '--json'],
        {
          env: { ...process.env, SIAGA_DATA_DIR: dataDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const done = new Promise<{ code: number | null; stdout: string }>((resolve) =>
        child.once('exit', (code) => resolve({ code, stdout })),
      );
      return done;
    };
    const upsVerdict = (stdout: string) =>
      (JSON.parse(stdout) as { verdicts: { role: string; status: string; code: string }[] }).verdicts.find(
        (verdict) => verdict.role === 'ups',
      );

    // The same UPS answering: OK, and the exit code is not pinned to 1 by anything else here.
    const healthy = await run();
    assert.equal(upsVerdict(healthy.stdout)?.code, 'UPS_OK');
    assert.equal(healthy.code, 0, healthy.stdout);

    // Now it takes its time; the port goes while the check waits for the reply.
    simulator.setTiming({ delayMs: 6000 });
    const pending = run();
    const deadline = Date.now() + 20_000;
    while (simulator.requests.length < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(simulator.requests.length, 2, 'the second check asked the UPS');
    await pty.unplug();
    const vanished = await pending;
    const verdict = upsVerdict(vanished.stdout);
    assert.equal(verdict?.status, 'fault', vanished.stdout);
    assert.equal(verdict?.code, 'UPS_DISCONNECTED');
    assert.equal(vanished.code, 1);
  } finally {
    await simulator.stop();
    await pty.stop();
  }
});

test('--help (and -h) after every command is help: its usage on stdout, exit 0, nothing run', () => {
  for (const command of ['check', 'profile', 'agent', 'enroll', 'faults', 'bundle', 'scenarios']) {
    for (const flag of ['--help', '-h']) {
      const { code, stdout, stderr } = siaga(command, flag);
      assert.equal(code, 0, `${command} ${flag}: ${stderr}`);
      assert.match(stdout, new RegExp(`^usage:\\n {2}siaga ${command}\\b`), command);
      assert.equal(stderr, '', command);
    }
  }
  // Even with options the command would refuse, or that would start something.
  assert.equal(siaga('agent', '--simulate', 'healthy', '--help').code, 0);
  assert.equal(siaga('faults', '--bogus', '--help').code, 0);
});

test('faults --lang refuses a language it does not speak', () => {
  const { code, stderr } = siaga('faults', '--lang', 'fr');
  assert.equal(code, 2);
  assert.match(stderr, /--lang must be "id" or "en"/);
});
