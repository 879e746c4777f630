// The district over HTTPS with its own certificate (`siaga-district serve --tls-cert --tls-key`,
// the real CLI in a child process) and a self-signed certificate made here with openssl: a station
// enrolls with `--ca` (pinned in identity.json) and delivers over it; without the CA it cannot
// enroll; plain HTTP to another PC is refused before anything is sent unless `--insecure`.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { addStation } from '../../../district/server/stations/stations';
import { enroll, EnrollError } from '../../../electron/agent/enroll';
import { loadIdentity } from '../../../electron/agent/identity';
import { Outbox } from '../../../electron/agent/outbox';
import { Store } from '../../../electron/agent/store/store';
import { heartbeatDraft } from '../../helpers/station-events';
import { startHttpDistrict } from '../../helpers/station-district';

const dir = mkdtempSync(path.join(tmpdir(), 'siaga-tls-'));
const certFile = path.join(dir, 'district.crt');
const keyFile = path.join(dir, 'district.key');
const districtDir = path.join(dir, 'district');
let child: ChildProcess;
let url = '';
let db: Db;

before(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'district/cli.ts',
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--data-dir',
      districtDir,
      '--tls-cert',
      certFile,
      '--tls-key',
      keyFile,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        resolve(match[1]!.replace('127.0.0.1', 'localhost'));
      }
    });
    child.once('exit', (code) => reject(new Error(`siaga-district exited ${code}: ${output}`)));
  });
  db = await openDatabase({ dataDir: districtDir });
});

after(async () => {
  await db?.close();
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

test('a station enrolls over HTTPS with the pinned CA and delivers its events over it', async () => {
  const station = await addStation(db, { name: 'Loket TLS', kecamatan: 'Sragen Kota' });
  const stationDir = mkdtempSync(path.join(dir, 'station-'));
  const caPem = readFileSync(certFile, 'utf8');

  // Without the CA the self-signed certificate is not trusted: nothing is enrolled, the code stays good.
  await assert.rejects(
    enroll({ dataDir: stationDir, districtUrl: url, code: station.code, appVersion: '0.1.0' }),
    (error: unknown) => error instanceof EnrollError && error.reason === 'network',
  );
  assert.equal(loadIdentity(stationDir), null);

  const identity = await enroll({
    dataDir: stationDir,
    districtUrl: url,
    code: station.code,
    appVersion: '0.1.0',
    caPem,
  });
  const saved = loadIdentity(stationDir)!;
  assert.equal(saved.districtCaPem, caPem, 'the CA is pinned in identity.json');
  assert.equal(saved.insecure, undefined);
  const [keyRow] = await db.query<{ public_key: string }>('SELECT public_key FROM district_key');
  assert.equal(saved.districtPublicKey, keyRow!.public_key, 'the district key is pinned');

  const store = Store.open(stationDir);
  try {
    store.appendEvents([
      heartbeatDraft(new Date().toISOString(), 0),
      heartbeatDraft(new Date().toISOString(), 1),
    ]);
    const outcome = await new Outbox(store, () => identity).sendBatch();
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
    assert.equal(store.pendingCount(), 0);
  } finally {
    store.close();
  }
  const stored = await db.query<{ seq: number }>('SELECT seq FROM events WHERE station_id = $1', [
    identity.stationId,
  ]);
  assert.equal(stored.length, 2);
});

test('plain HTTP to another PC is refused before the code is sent, unless --insecure, which is stored', async () => {
  const plain = await startHttpDistrict();
  try {
    const station = await addStation(plain.db, { name: 'Loket HTTP', kecamatan: 'Sragen Kota' });
    const stationDir = mkdtempSync(path.join(dir, 'station-'));
    const remoteUrl = 'http://192.0.2.10:8080';
    const calls: string[] = [];
    // The fake "remote" district is the local one: the URL the station checks stays non-local.
    const viaLoopback = ((input: string | URL, init?: RequestInit) => {
      calls.push(String(input));
      return fetch(String(input).replace(remoteUrl, plain.url), init);
    }) as typeof fetch;
    await assert.rejects(
      enroll({
        dataDir: stationDir,
        districtUrl: remoteUrl,
        code: station.code,
        appVersion: '0.1.0',
        fetch: viaLoopback,
      }),
      (error: unknown) =>
        error instanceof EnrollError && error.reason === 'insecure-url' && /--insecure/.test(error.message),
    );
    assert.deepEqual(calls, [], 'the enrollment code never left the station');
    await enroll({
      dataDir: stationDir,
      districtUrl: remoteUrl,
      code: station.code,
      appVersion: '0.1.0',
      fetch: viaLoopback,
      insecure: true,
    });
    assert.equal(calls.length, 1);
    assert.equal(loadIdentity(stationDir)?.insecure, true);
  } finally {
    await plain.close();
  }
});
