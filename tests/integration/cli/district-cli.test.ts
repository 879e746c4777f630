// The `siaga-district` command as a technician runs it: exit codes, usage, and a station added,
// listed and given a new code in a real SQLite data dir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'siaga-district-cli-'));

function district(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'district/cli.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, SIAGA_DISTRICT_DATA_DIR: dataDir },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('an unknown option exits 2 and names it; --help exits 0 with the usage', () => {
  const unknown = district('stations', '--verbose');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--verbose/);
  const help = district('station', 'add', '--help');
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: siaga-district station add --name NAME --kecamatan KECAMATAN/);
});

test('station add, stations and station code work on the data dir', () => {
  const added = district('station', 'add', '--name', 'Loket 1', '--kecamatan', 'Tangen', '--json');
  assert.equal(added.code, 0, added.stderr);
  const station = JSON.parse(added.stdout) as { stationId: string; code: string; kecamatan: string };
  assert.equal(station.kecamatan, 'Tangen');
  const listed = district('stations', '--json');
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    (JSON.parse(listed.stdout) as { id: string; name: string }[]).map((row) => [row.id, row.name]),
    [[station.stationId, 'Loket 1']],
  );
  const code = district('station', 'code', station.stationId, '--json');
  assert.equal(code.code, 0, code.stderr);
  assert.notEqual((JSON.parse(code.stdout) as { code: string }).code, station.code);
  const missing = district('station', 'code', 'no-such-station');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no station no-such-station/);
});

test('service hours, closed days and the time zone are set from the command line', () => {
  const set = district('hours', '--set', 'sen-jum 07:30-14:00; sat 08:00-12:00', '--json');
  assert.equal(set.code, 0, set.stderr);
  const calendar = JSON.parse(set.stdout) as { district: Record<string, string[]>; timeZone: string };
  assert.deepEqual(
    [calendar.district.mon, calendar.district.fri, calendar.district.sat, calendar.district.sun],
    [['07:30-14:00'], ['07:30-14:00'], ['08:00-12:00'], []],
  );
  const wrong = district('hours', '--set', 'mon-fri 15:00-08:00');
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /open before they close/);
  const unknown = district('hours', '--kecamatan', 'Tidak Ada', '--default');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no station in kecamatan Tidak Ada/);
  assert.equal(district('closed-day', 'add', '2025-08-17', '--note', 'HUT RI').code, 0);
  assert.equal(district('closed-day', 'add', '17-08-2025').code, 2);
  assert.equal(district('time-zone', 'wita').code, 0);
  const shown = district('hours');
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(
    shown.stdout,
    /^time zone WITA\ndistrict: mon 07:30-14:00 .* sun closed\nclosed 2025-08-17 \(district\) HUT RI/,
  );
  assert.equal(district('closed-day', 'remove', '2025-08-17').code, 0);
  assert.equal(district('closed-day', 'remove', '2025-08-17').code, 1);
  assert.equal(district('time-zone', 'UTC').code, 2);
});

test('serve --log FILE: one plain line per request in the file, Ctrl+C (SIGINT) stops it', async () => {
  const { spawn } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const logFile = path.join(dataDir, 'server.log');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'district/cli.ts', 'serve', '--port', '0', '--host', '127.0.0.1', '--log', logFile],
    { env: { ...process.env, SIAGA_DISTRICT_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /listening on (http:\/\/[\d.:]+)/.exec(stdout);
      if (match) {
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stdout}`)));
  });
  assert.match(stdout, /requests logged to .*server\.log\. Ctrl\+C stops it\./);
  assert.equal((await fetch(`${url}/api/public/board`)).status, 200);
  assert.equal((await fetch(`${url}/api/dash/board`)).status, 401);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  const lines = readFileSync(logFile, 'utf8').trim().split('\n');
  assert.equal(lines.length, 2, lines.join('\n'));
  assert.match(lines[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z GET \/api\/public\/board 200 \d+ ms$/);
  assert.match(lines[1], /^\S+ GET \/api\/dash\/board 401 \d+ ms$/);
  assert.doesNotMatch(stdout, /"reqId"|incoming request/, 'nothing but the listening line on the terminal');
});
