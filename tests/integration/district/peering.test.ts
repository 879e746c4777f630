// A district that runs its own server (SQLite) forwards its stations' events to the province's
// service (PostgreSQL) as a peer, two real server processes on loopback: the province's board shows
// the district's station; an upstream outage loses and duplicates nothing; forged forwards (a wrong
// key, an altered body, a replay) are refused and logged; a reply not signed by the pinned upstream
// key deletes nothing from the forward outbox.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openDatabase } from '../../../district/server/db/open';
import type { Db } from '../../../district/server/db/types';
import { addPeer } from '../../../district/server/peering/peers';
import { loadUpstreamLink } from '../../../district/server/peering/upstream-link';
import { board } from '../../../district/server/stations/board';
import { addStation } from '../../../district/server/stations/stations';
import { newNonce, signRequest } from '../../../link/ed25519';
import { forwardedStationId, PEER_PATHS } from '../../../protocol/peering';
import type { ForwardRequest } from '../../../protocol/peering';
import { PATHS } from '../../../protocol/requests';
import { HEADER_NONCE, HEADER_REPLY_SIGNATURE, signatureHeaders } from '../../../protocol/signing';
import { signReply } from '../../../district/server/intake/signature';
import { waitFor } from '../../helpers/agent';
import { TestStation } from '../../helpers/district';
import type { DistrictProcess } from '../../helpers/district-process';
import { startDistrictProcess } from '../../helpers/district-process';
import { runDistrictCommand } from '../../helpers/district-cli';
import { freePort } from '../../helpers/ipp-printer';
import type { TestPostgres } from '../../helpers/postgres';
import { startPostgres } from '../../helpers/postgres';

let dir: string;
let postgres: TestPostgres;
let upstreamDb: Db;
let downstreamDb: Db;
let upstreamPort: number;
let upstream: DistrictProcess | undefined;
let downstream: DistrictProcess;
let peerId: string;
const station = new TestStation();

const downstreamDir = (): string => path.join(dir, 'kabupaten');
const startUpstream = async (): Promise<DistrictProcess> =>
  startDistrictProcess(upstreamPort, ['--db', postgres.url, '--data-dir', path.join(dir, 'provinsi')]);

async function count(db: Db, sql: string, params: (string | number)[] = []): Promise<number> {
  return Number((await db.query<{ n: number | string }>(sql, params))[0]!.n);
}

/** Posts a signed batch of the station's events to the downstream over HTTP; asserts it is accepted. */
async function report(...events: ReturnType<TestStation['heartbeat']>[]): Promise<void> {
  const body = JSON.stringify({ events });
  const response = await fetch(new URL(PATHS.events, downstream.url), {
    method: 'POST',
    headers: station.headers('POST', PATHS.events, body, Date.now()),
    body,
  });
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal(((await response.json()) as { accepted: string[] }).accepted.length, events.length);
}

const upstreamStationId = (): string => forwardedStationId(peerId, station.stationId);
const upstreamEvents = (): Promise<number> =>
  count(upstreamDb, 'SELECT COUNT(*) AS n FROM events WHERE station_id = $1', [upstreamStationId()]);
const pendingForwards = (): Promise<number> =>
  count(downstreamDb, 'SELECT COUNT(*) AS n FROM forward_outbox WHERE parked_reason IS NULL');

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'siaga-peering-'));
  postgres = await startPostgres();
  upstreamPort = await freePort();
  upstream = await startUpstream();
  upstreamDb = await openDatabase({ url: postgres.url, dataDir: dir });
  const peer = await addPeer(upstreamDb, { districtName: 'Kabupaten Sragen' });
  peerId = peer.peerId;

  // The district enrolls upstream with the peer code before its server runs (the CLI, as staff would).
  const enrolled = await runDistrictCommand([
    'upstream',
    'enroll',
    '--url',
    upstream.url,
    '--code',
    peer.code.toLowerCase(),
    '--data-dir',
    downstreamDir(),
  ]);
  assert.equal(enrolled.code, 0, enrolled.stderr);
  assert.match(enrolled.stdout, new RegExp(`as ${peerId} \\(Kabupaten Sragen\\)`));
  downstreamDb = await openDatabase({ dataDir: downstreamDir() });
  downstream = await startDistrictProcess(0, [
    '--data-dir',
    downstreamDir(),
    '--upstream-poll-seconds',
    '1',
    '--upstream-max-backoff-seconds',
    '2',
  ]);

  const added = await addStation(downstreamDb, { name: 'Loket 1', kecamatan: 'Sambungmacan' });
  const response = await fetch(new URL(PATHS.enroll, downstream.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: added.code, publicKey: station.publicKeyBase64, appVersion: '0.1.0' }),
  });
  assert.equal(response.status, 200);
  station.stationId = ((await response.json()) as { stationId: string }).stationId;
});

after(async () => {
  await downstream?.stop();
  await upstream?.stop();
  await downstreamDb?.close();
  await upstreamDb?.close();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a station reporting to its district appears on the province board, under the peer, with its own seq', async () => {
  const heartbeat = station.heartbeat();
  const fault = station.fault('fault.opened', 'fp-1');
  await report(heartbeat, fault);

  await waitFor('the forward to reach the province', async () => ((await upstreamEvents()) === 2 ? true : undefined));
  const rows = await upstreamDb.query<{ id: string; seq: number | string }>(
    'SELECT id, seq FROM events WHERE station_id = $1 ORDER BY seq',
    [upstreamStationId()],
  );
  assert.deepEqual(
    rows.map((row) => [row.id, Number(row.seq)]),
    [
      [heartbeat.id, 1],
      [fault.id, 2],
    ],
  );
  const [stationRow] = await upstreamDb.query<{ peer_id: string; public_key: string | null }>(
    'SELECT peer_id, public_key FROM stations WHERE id = $1',
    [upstreamStationId()],
  );
  assert.equal(stationRow!.peer_id, peerId);
  assert.equal(stationRow!.public_key, null, 'a forwarded station cannot post to the province itself');

  const provinceBoard = await board(upstreamDb, Date.now(), 10 * 60_000);
  const kecamatan = provinceBoard.kecamatan.find((each) => each.name === 'Sambungmacan');
  assert.ok(kecamatan, JSON.stringify(provinceBoard));
  const shown = kecamatan.stations.find((each) => each.stationId === upstreamStationId());
  assert.ok(shown, 'the forwarded station is on the province board');
  assert.equal(shown.name, 'Loket 1');
  assert.equal(shown.enrolled, true);
  // Heard at the district's receive time, live: within the last minute, not "no news".
  assert.ok(shown.lastHeardAt !== null && Date.now() - Date.parse(shown.lastHeardAt) < 60_000);
  const [openFault] = await upstreamDb.query<{ code: string; state: string }>(
    'SELECT code, state FROM faults WHERE station_id = $1',
    [upstreamStationId()],
  );
  assert.deepEqual(openFault, { code: 'FINGERPRINT_MISSING', state: 'open' });
  await waitFor('the downstream to empty its forward outbox', async () =>
    (await pendingForwards()) === 0 ? true : undefined,
  );
});

test('an upstream outage loses nothing: the forward outbox keeps the events and delivers each once', async () => {
  await upstream!.stop();
  const during = [station.heartbeat(), station.fault('fault.resolved', 'fp-1'), station.heartbeat()];
  await report(during[0]!);
  await report(during[1]!, during[2]!);
  await waitFor('the forwarder to try and fail', async () =>
    /upstream delivery retry in \d+ ms: network/.test(downstream.output()) ? true : undefined,
  );
  assert.equal(await pendingForwards(), 3);

  upstream = await startUpstream();
  await waitFor('the backlog to reach the province', async () => ((await pendingForwards()) === 0 ? true : undefined), 60_000);
  const seqs = await upstreamDb.query<{ seq: number | string }>(
    'SELECT seq FROM events WHERE station_id = $1 ORDER BY seq',
    [upstreamStationId()],
  );
  assert.deepEqual(
    seqs.map((row) => Number(row.seq)),
    [1, 2, 3, 4, 5],
  );
  const [resolved] = await upstreamDb.query<{ state: string }>('SELECT state FROM faults WHERE station_id = $1', [
    upstreamStationId(),
  ]);
  assert.equal(resolved!.state, 'resolved');
});

/** A signed forward of the station's first event (already stored upstream: a duplicate if taken). */
async function forward(options: { key?: ReturnType<typeof generateKeyPairSync>['privateKey']; alter?: boolean } = {}) {
  const link = (await loadUpstreamLink(downstreamDb))!;
  const [first] = await downstreamDb.query<{ id: string; seq: number; type: string; occurred_at: string; received_at: string; payload: string }>(
    'SELECT id, seq, type, occurred_at, received_at, payload FROM events WHERE station_id = $1 ORDER BY seq LIMIT 1',
    [station.stationId],
  );
  const request: ForwardRequest = {
    stations: [{ id: station.stationId, name: 'Loket 1', kecamatan: 'Sambungmacan' }],
    events: [
      {
        event: {
          v: 1,
          id: first!.id,
          stationId: station.stationId,
          seq: Number(first!.seq),
          occurredAt: first!.occurred_at,
          type: first!.type,
          payload: JSON.parse(first!.payload),
        } as ForwardRequest['events'][number]['event'],
        receivedAt: first!.received_at,
        source: 'http',
      },
    ],
  };
  const body = JSON.stringify(request);
  const timestamp = Date.now();
  const signature = signRequest(options.key ?? link.privateKey, 'POST', PEER_PATHS.events, timestamp, body);
  const sent = options.alter ? body.replace('Loket 1', 'Loket 9') : body;
  const headers = { 'content-type': 'application/json', ...signatureHeaders(peerId, timestamp, signature) };
  const send = () => fetch(new URL(PEER_PATHS.events, upstream!.url), { method: 'POST', headers, body: sent });
  return { send };
}

test('forged forwards are refused and logged: a wrong key, an altered body, a replay', async () => {
  const before = await upstreamEvents();
  const wrongKey = await forward({ key: generateKeyPairSync('ed25519').privateKey });
  const wrong = await wrongKey.send();
  assert.equal(wrong.status, 401);
  assert.equal(((await wrong.json()) as { error: string }).error, 'bad-signature');

  const altered = await (await forward({ alter: true })).send();
  assert.equal(altered.status, 401);
  assert.equal(((await altered.json()) as { error: string }).error, 'bad-signature');

  const genuine = await forward();
  const first = await genuine.send();
  assert.equal(first.status, 200, 'the genuine forward is taken (its event as a duplicate)');
  assert.equal(((await first.json()) as { duplicates: unknown[] }).duplicates.length, 1);
  const replayed = await genuine.send();
  assert.equal(replayed.status, 409);
  assert.equal(((await replayed.json()) as { error: string }).error, 'replayed');

  assert.equal(await upstreamEvents(), before, 'nothing stored twice');
  const [renamed] = await upstreamDb.query<{ name: string }>('SELECT name FROM stations WHERE id = $1', [
    upstreamStationId(),
  ]);
  assert.equal(renamed!.name, 'Loket 1', 'the altered body changed nothing');
  const logged = await waitFor('the refusals to be logged', async () => {
    const rows = await upstreamDb.query<{ reason: string }>(
      'SELECT reason FROM rejected_requests WHERE station_id = $1 AND path = $2 ORDER BY at',
      [peerId, PEER_PATHS.events],
    );
    return rows.length >= 3 ? rows.map((row) => row.reason).sort() : undefined;
  });
  assert.deepEqual(logged, ['bad-signature', 'bad-signature', 'replayed']);
});

test('a reply not signed by the pinned upstream key deletes nothing from the forward outbox', async () => {
  await upstream!.stop();
  upstream = undefined;
  // An impostor at the upstream's address acknowledges everything, signed with its own key.
  const impostorKey = generateKeyPairSync('ed25519').privateKey;
  let forwardsSeen = 0;
  const impostor = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      forwardsSeen++;
      const forwarded = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ForwardRequest;
      const body = JSON.stringify({
        accepted: forwarded.events.map((each) => ({ stationId: each.event.stationId, id: each.event.id })),
        duplicates: [],
        serverTime: Date.now(),
      });
      const nonce = String(request.headers[HEADER_NONCE] ?? newNonce());
      response.writeHead(200, {
        'content-type': 'application/json',
        [HEADER_REPLY_SIGNATURE]: signReply(impostorKey, nonce, 200, body),
      });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => impostor.listen(upstreamPort, '127.0.0.1', resolve));
  try {
    const last = station.heartbeat();
    await report(last);
    await waitFor('the forwarder to meet the impostor', async () =>
      forwardsSeen > 0 && /unverified reply \(HTTP 200\)/.test(downstream.output()) ? true : undefined,
    );
    assert.equal(await pendingForwards(), 1, 'the unverified acknowledgement deleted nothing');
  } finally {
    await new Promise((resolve) => impostor.close(resolve));
    impostor.closeAllConnections();
  }
  upstream = await startUpstream();
  await waitFor('the event to reach the real upstream', async () => ((await pendingForwards()) === 0 ? true : undefined), 60_000);
  assert.equal(await upstreamEvents(), 6);
});
