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
