// Who can read the data folder (electron/agent/store/permissions.ts): POSIX modes on real files,
// the icacls parser on samples (tests/fixtures/icacls), and the files the store creates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aclProblems, parseIcacls, secureDataFolder } from '../../../electron/agent/store/permissions';
import { Store } from '../../../electron/agent/store/store';

const mode = (file: string) => statSync(file).mode & 0o777;
const sample = (name: string) => readFileSync(path.join('tests/fixtures/icacls', name), 'utf8');
const FOLDER = 'C:\\ProgramData\\Siaga';

test('POSIX: a folder and files readable by others are narrowed to 0700 / 0600; symlinks are not followed', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'siaga-perm-'));
  chmodSync(dataDir, 0o755);
  writeFileSync(path.join(dataDir, 'identity.json'), '{}', { mode: 0o644 });
  mkdirSync(path.join(dataDir, 'old'), { mode: 0o775 });
  writeFileSync(path.join(dataDir, 'old', 'siaga.db.corrupt'), 'x', { mode: 0o666 });
  const outside = path.join(mkdtempSync(path.join(os.tmpdir(), 'siaga-perm-outside-')), 'shared.txt');
  writeFileSync(outside, 'x', { mode: 0o644 });
  chmodSync(outside, 0o644);
  symlinkSync(outside, path.join(dataDir, 'link'));
  const exposure = secureDataFolder(dataDir, 'linux');
  assert.deepEqual(exposure.open, []);
  assert.equal(exposure.fixed.length, 4, exposure.fixed.join('\n'));
  assert.equal(mode(dataDir), 0o700);
  assert.equal(mode(path.join(dataDir, 'identity.json')), 0o600);
  assert.equal(mode(path.join(dataDir, 'old')), 0o700);
  assert.equal(mode(path.join(dataDir, 'old', 'siaga.db.corrupt')), 0o600);
  assert.equal(mode(outside), 0o644, 'the link target outside the folder is left alone');
  // Already narrow: nothing to do, nothing reported.
  assert.deepEqual(secureDataFolder(dataDir, 'linux'), { open: [], fixed: [] });
});

test('POSIX: a missing folder is reported, not thrown', () => {
  const exposure = secureDataFolder(path.join(os.tmpdir(), 'siaga-perm-none', 'x'), 'linux');
  assert.equal(exposure.open.length, 1);
  assert.match(exposure.open[0]!, /ENOENT/);
});

test('the store creates its folder 0700 and its files 0600', () => {
  const dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'siaga-perm-store-')), 'data');
  const previous = process.umask(0o022);
  try {
    const store = Store.open(dataDir);
    store.appendEvents([{ type: 'heartbeat', occurredAt: new Date().toISOString(), payload: {} }]);
    assert.equal(mode(dataDir), 0o700);
    for (const name of ['siaga.db', 'siaga.db-wal', 'siaga.db-shm', 'seq-reserved']) {
      assert.equal(mode(path.join(dataDir, name)), 0o600, name);
    }
    store.close();
  } finally {
    process.umask(previous);
  }
});

test('icacls: the folder as %PROGRAMDATA% leaves it is too open (BUILTIN\\Users, CREATOR OWNER)', () => {
  const entries = parseIcacls(sample('programdata-inherited.txt'), FOLDER);
  assert.equal(entries.length, 5);
  assert.deepEqual(entries[3], { principal: 'BUILTIN\\Users', flags: ['I', 'OI', 'CI', 'RX'] });
  const problems = aclProblems(entries, 'SIAGA-PC01\\operator');
  assert.deepEqual(problems, [
    'CREATOR OWNER:(I)(OI)(CI)(IO)(F)',
    'BUILTIN\\Users:(I)(OI)(CI)(RX)',
    'BUILTIN\\Users:(I)(CI)(WD,AD,WEA,A)',
  ]);
});

test('icacls: the installer ACL is accepted (SYSTEM, Administrators, the running account; a deny entry)', () => {
  assert.deepEqual(aclProblems(parseIcacls(sample('installed.txt'), FOLDER), 'SIAGA-PC01\\operator'), []);
  assert.deepEqual(
    aclProblems(parseIcacls(sample('installed-deny-id.txt'), FOLDER), 'siaga-pc01\\OPERATOR'),
    [],
  );
  // Another account running the app is not the one granted: that is a finding, not a pass.
  assert.deepEqual(aclProblems(parseIcacls(sample('installed.txt'), FOLDER), 'SIAGA-PC01\\tamu'), [
    'SIAGA-PC01\\operator:(OI)(CI)(F)',
  ]);
});

test('icacls: a folder widened later (Everyone, an unresolved SID) is reported, Indonesian summary ignored', () => {
  const problems = aclProblems(parseIcacls(sample('widened-id.txt'), FOLDER), 'SIAGA-PC01\\operator');
  assert.deepEqual(problems, [
    'Everyone:(OI)(CI)(R)',
    'S-1-5-21-1004336348-1177238915-682003330-1001:(OI)(CI)(M)',
  ]);
});

test('icacls: output that is not an ACL of the folder is an error, reported as open (never a pass)', () => {
  assert.throws(
    () => parseIcacls('C:\\Other NT AUTHORITY\\SYSTEM:(F)\r\n', FOLDER),
    /unexpected icacls output/,
  );
  assert.throws(
    () => parseIcacls(`${FOLDER}\r\n\r\nSuccessfully processed 1 files`, FOLDER),
    /no access entries/,
  );
  const failed = secureDataFolder(FOLDER, 'win32', () => {
    throw new Error('icacls not found');
  });
  assert.equal(failed.open.length, 1);
  assert.match(failed.open[0]!, /icacls not found/);
  const widened = secureDataFolder(FOLDER, 'win32', () => sample('widened-id.txt'));
  assert.ok(widened.open.includes('Everyone:(OI)(CI)(R)'));
});
