// `siaga agent` prints a fault's news as it happens, heard from the agent's own events (no polling
// of the store): opened, then received by a real district over HTTP; nothing for a healthy kit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitFor } from '../../helpers/agent';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';

async function runAgent(scenario: string, whileRunning: (stdout: () => string) => Promise<void>) {
  const district = await startHttpDistrict();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-narration-'));
  try {
    const stationId = await enrollStation(district, dataDir);
    const config = path.join(dataDir, 'agent-config.json');
    writeFileSync(config, JSON.stringify({ schedule: { confirmDelayMs: 100 } }));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/cli.ts',
        'agent',
        '--data-dir',
        dataDir,
        '--simulate',
        scenario,
        '--config',
        config,
        '--lang',
        'id',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'Asia/Jakarta' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(
        'the agent to run',
        () => (stdout.includes('siaga agent running') ? true : undefined),
        60_000,
      );
      await whileRunning(() => stdout);
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, `siaga agent did not stop cleanly:\n${stderr.slice(-2000)}`);
    }
    return { stdout, stationId, district };
  } finally {
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('siaga agent: a missing scanner prints "Gangguan baru" and then "Terkirim ke kabupaten" once the district has it', async () => {
  const { stdout } = await runAgent('fingerprint-missing', async (output) => {
    await waitFor(
      'the delivered line',
      () =>
        output().includes('Terkirim ke kabupaten: gangguan Pemindai sidik jari — FINGERPRINT_MISSING.')
          ? true
          : undefined,
      30_000,
    );
  });
  const lines = stdout.split('\n');
  const opened = lines.findIndex((line) =>
    /^\d\d\.\d\d WIB {2}Gangguan baru: Pemindai sidik jari — FINGERPRINT_MISSING \(kritis\); menunggu dikirim ke kabupaten\.$/.test(
      line,
    ),
  );
  const delivered = lines.findIndex((line) =>
    line.includes('Terkirim ke kabupaten: gangguan Pemindai sidik jari'),
  );
  assert.ok(opened >= 0, stdout);
  assert.ok(delivered > opened, `delivered before opened:\n${stdout}`);
  assert.equal(lines.filter((line) => line.includes('Terkirim ke kabupaten')).length, 1, stdout);
});

test('siaga agent: a healthy kit delivered to the district prints no fault lines', async () => {
  const { stdout } = await runAgent('healthy', async () => {
    // Long enough for the startup check, its confirmation and a delivery round to the district.
    await new Promise((resolve) => setTimeout(resolve, 2000));
  });
  assert.doesNotMatch(stdout, /Gangguan baru|Terkirim ke kabupaten|pulih/, stdout);
});
