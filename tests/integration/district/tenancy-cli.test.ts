// `siaga-district province add | district add`, `station add --district`, `user add --province` on a
// real SQLite data folder: what a service's operator types to set up many districts, and the refusals.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDatabase } from '../../../district/server/db/open';
import { runDistrictCommand } from '../../helpers/district-cli';

const dir = mkdtempSync(join(tmpdir(), 'siaga-tenancy-cli-'));
const run = (...argv: string[]) => runDistrictCommand([...argv, '--data-dir', dir]);

after(() => rmSync(dir, { recursive: true, force: true }));

test('provinces, districts, a station and accounts of each scope from the command line', async () => {
  assert.equal((await run('province', 'add', '--code', '33', '--name', 'Jawa Tengah')).code, 0);
  const added = await run('district', 'add', '--code', '33.14', '--name', 'Kabupaten Sragen', '--province', '33');
  assert.equal(added.code, 0, added.stderr);
  assert.match(added.stdout, /district 33\.14 \(Kabupaten Sragen, province 33, WIB\) added/);
  // Refusals: a province that does not exist, a time zone that is none, a code taken, a bad code.
  const orphan = await run('district', 'add', '--code', '51.71', '--name', 'Kota Denpasar', '--province', '51');
  assert.equal(orphan.code, 1);
  assert.match(orphan.stderr, /no province 51/);
  assert.equal((await run('district', 'add', '--code', '33.72', '--name', 'Surakarta', '--province', '33', '--time-zone', 'CET')).code, 2);
  assert.equal((await run('district', 'add', '--code', '33.14', '--name', 'Lagi', '--province', '33')).code, 1);
  assert.equal((await run('province', 'add', '--code', 'bad code!', '--name', 'X')).code, 1);

  const station = await run('station', 'add', '--name', 'Loket 1', '--kecamatan', 'Tangen', '--district', '33.14', '--json');
  assert.equal(station.code, 0, station.stderr);
  const unknown = await run('station', 'add', '--name', 'Loket 1', '--kecamatan', 'Tangen', '--district', '99.99');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no district 99\.99/);

  process.env.SIAGA_PASSWORD = 'kata-sandi-uji-123';
  try {
    assert.equal((await run('user', 'add', '--username', 'jateng', '--role', 'viewer', '--province', '33')).code, 0);
    assert.equal((await run('user', 'add', '--username', 'pusat', '--role', 'admin', '--national')).code, 0);
    assert.equal((await run('user', 'add', '--username', 'sragen', '--role', 'admin', '--district', '33.14')).code, 0);
    assert.equal((await run('user', 'add', '--username', 'dua', '--role', 'admin', '--national', '--province', '33')).code, 2);
    assert.equal((await run('user', 'add', '--username', 'hilang', '--role', 'admin', '--province', '99')).code, 2);
  } finally {
    delete process.env.SIAGA_PASSWORD;
  }
  const db = await openDatabase({ dataDir: dir });
  try {
    assert.deepEqual(
      await db.query('SELECT username, scope_level, scope_code FROM users ORDER BY username'),
      [
        { username: 'jateng', scope_level: 'province', scope_code: '33' },
        { username: 'pusat', scope_level: 'national', scope_code: '' },
        { username: 'sragen', scope_level: 'district', scope_code: '33.14' },
      ],
    );
    const stationId = (JSON.parse(station.stdout) as { stationId: string }).stationId;
    assert.deepEqual(await db.query('SELECT district_code FROM stations WHERE id = $1', [stationId]), [
      { district_code: '33.14' },
    ]);
  } finally {
    await db.close();
  }
});

test('peer add: one district needs no --district; several need one that exists; escalate --district', async () => {
  // One district in the service so far (33.14; the default one has no stations): the peer goes there.
  const only = await run('peer', 'add', '--name', 'Kabupaten Sragen (server sendiri)', '--json');
  assert.equal(only.code, 0, only.stderr);
  assert.equal((JSON.parse(only.stdout) as { districtCode: string }).districtCode, '33.14');
  assert.equal((await run('district', 'add', '--code', '33.72', '--name', 'Kota Surakarta', '--province', '33')).code, 0);
  const unsaid = await run('peer', 'add', '--name', 'Kota Surakarta');
  assert.equal(unsaid.code, 1);
  assert.match(unsaid.stderr, /pilih dengan --district KODE \(this service has several districts: choose one with --district CODE\)/);
  const unknown = await run('peer', 'add', '--name', 'Kota Surakarta', '--district', '99.99');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /kabupaten\/kota 99\.99 tidak ada di layanan ini/);
  const chosen = await run('peer', 'add', '--name', 'Kota Surakarta', '--district', '33.72');
  assert.equal(chosen.code, 0, chosen.stderr);
  assert.match(chosen.stdout, /-> district 33\.72/);
  const listed = await run('peers', '--json');
  assert.deepEqual(
    (JSON.parse(listed.stdout) as { district_name: string; district_code: string }[]).map((peer) => [peer.district_name, peer.district_code]),
    [
      ['Kabupaten Sragen (server sendiri)', '33.14'],
      ['Kota Surakarta', '33.72'],
    ],
  );
  const escalated = await run('escalate', '--district', '33.72');
  assert.equal(escalated.code, 0, escalated.stderr);
  assert.equal((JSON.parse(escalated.stdout) as { escalated: number }).escalated, 0);
  const nowhere = await run('escalate', '--district', '99.99');
  assert.equal(nowhere.code, 2);
  assert.match(nowhere.stderr, /no district 99\.99/);
});
