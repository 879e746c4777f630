// A data folder that cannot be written (a real read-only bind mount, tests/helpers/read-only-folder.ts):
// no crash and no stack trace; the CLI says so in one line (exit 2), the kiosk's status answers with
// a banner, and the fault is committed as soon as the folder can be written again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runWithReadOnlyFolder } from '../../helpers/read-only-folder';
import { Store } from '../../../electron/agent/store/store';

const node = [process.execPath, '--import', 'tsx'];

for (const existing of [false, true]) {
  test(`siaga agent on a read-only data folder (${existing ? 'with' : 'without'} a store): one line, id then en, exit 2`, async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'siaga-ro-cli-'));
    if (existing) {
      Store.open(dataDir).close();
    }
    const run = await runWithReadOnlyFolder(dataDir, [
      ...node,
      'electron/cli.ts',
      'agent',
      '--data-dir',
      dataDir,
      '--simulate',
      'healthy',
    ]);
    assert.equal(run.code, 2, run.stderr);
    const lines = run.stderr
      .trim()
      .split('\n')
      .filter((line) => !/^\d{4}-\d\d-\d\dT/.test(line));
    assert.equal(lines.length, 1, run.stderr);
    assert.match(
      lines[0]!,
      /^siaga agent: Folder data tidak bisa ditulis.* \/ The data folder cannot be written.*\(.*siaga-ro-cli-.*(read-only|readonly)/i,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    assert.doesNotMatch(run.stdout, /siaga agent running/);
  });
}

test('the kiosk status shows the banner while the folder is read-only; the fault is committed once it is writable', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'siaga-ro-kiosk-'));
  const run = await runWithReadOnlyFolder(dataDir, [
    ...node,
    'tests/integration/agent/read-only-child.ts',
    dataDir,
  ]);
  assert.equal(run.code, 0, run.stderr);
  const report = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
    storeBefore: boolean;
    before: { storageProblem?: { message: { id: string; en: string } }; tiles: unknown[] };
    fault: { code: string; resolvedAt: string | null; payload: { severity: string } } | null;
    after: { storageProblem?: unknown };
    events: string[];
  };
  assert.equal(report.storeBefore, false);
  assert.match(report.before.storageProblem?.message.id ?? '', /^Folder data tidak bisa ditulis/);
  assert.match(report.before.storageProblem?.message.en ?? '', /^The data folder cannot be written/);
  assert.ok(report.before.tiles.length > 0, 'the board still answers');
  assert.ok(report.fault, 'PC_DATA_FOLDER_READONLY committed once writable');
  assert.equal(report.fault.resolvedAt, null);
  assert.equal(report.after.storageProblem, undefined);
  assert.ok(report.events.includes('station.started'));
  assert.ok(report.events.includes('fault.opened'));
});
