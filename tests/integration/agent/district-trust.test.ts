// The station trusts only its district: a fake district (a real HTTP server in this test) answers
// the outbox over loopback. Unsigned, wrongly signed and replayed replies (a signature made for
// another request) delete nothing, adopt no clock and store no fault state for the kiosk; the same
// reply correctly signed for this request deletes the acknowledged events and shows the state.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  districtKeyFromPem,
  generateDistrictKeyPair,
  signReply,
} from '../../../district/server/intake/signature';
import type { Identity } from '../../../electron/agent/identity';
import { generateKeyPair } from '../../../electron/agent/identity';
import { Outbox, readDistrictFault, UNPINNED_DISTRICT_KEY } from '../../../electron/agent/outbox';
import { Store } from '../../../electron/agent/store/store';
import type { EventsResponse } from '../../../protocol/requests';
import { EventsRequestSchema } from '../../../protocol/requests';
import { HEADER_NONCE, HEADER_REPLY_SIGNATURE } from '../../../protocol/signing';
import { heartbeatDraft } from '../../helpers/station-events';

type Signing = 'unsigned' | 'wrong-key' | 'replayed' | 'signed';

const pinned = districtKeyFromPem(generateDistrictKeyPair().privateKeyPem);
const impostor = districtKeyFromPem(generateDistrictKeyPair().privateKeyPem);
const FORGED_SERVER_TIME = Date.parse('2031-01-01T00:00:00Z');

let signing: Signing = 'signed';
let requests = 0;
/** The nonce and signature of the first request answered, for the replay case. */
let recorded: { nonce: string; body: string } | null = null;
let server: http.Server;
let districtUrl = '';

/** Answers every batch "all accepted", with a forged fault state and a far-off clock. */
function answer(request: http.IncomingMessage, response: http.ServerResponse, body: string): void {
  requests++;
  const ids = EventsRequestSchema.parse(JSON.parse(body)).events.map((event) => event.id);
  const reply: EventsResponse = {
    accepted: ids,
    duplicates: [],
    serverTime: FORGED_SERVER_TIME,
    faults: [
      {
        faultId: 'f-forged',
        state: 'closed',
        acknowledgedBy: 'Kepala Dinas',
        updatedAt: '2031-01-01T00:00:00.000Z',
      },
    ],
  };
  const text = JSON.stringify(reply);
  const nonce = String(request.headers[HEADER_NONCE]);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signing === 'signed') {
    headers[HEADER_REPLY_SIGNATURE] = signReply(pinned.privateKey, nonce, 200, text);
  } else if (signing === 'wrong-key') {
    headers[HEADER_REPLY_SIGNATURE] = signReply(impostor.privateKey, nonce, 200, text);
  } else if (signing === 'replayed') {
    // A genuine signature by the pinned key, but for an earlier request's nonce.
    assert.ok(recorded, 'a signed reply was recorded first');
    headers[HEADER_REPLY_SIGNATURE] = signReply(pinned.privateKey, recorded.nonce, 200, text);
  }
  recorded ??= { nonce, body: text };
  response.writeHead(200, headers).end(text);
}

before(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  districtUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function station(districtPublicKey: string | undefined) {
  const dir = mkdtempSync(path.join(tmpdir(), 'siaga-trust-'));
  const store = Store.open(dir);
  const keys = generateKeyPair();
  const identity: Identity = {
    stationId: 'st-TRUST',
    stationName: 'Loket 1',
    kecamatan: 'Sragen Kota',
    districtUrl,
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    enrolledAt: new Date().toISOString(),
    ...(districtPublicKey === undefined ? {} : { districtPublicKey }),
  };
  const shown: string[] = [];
  const commands: unknown[] = [];
  const outbox = new Outbox(store, () => identity, {
    policy: { baseBackoffMs: 10, maxBackoffMs: 20 },
    onDistrictFaults: (faultIds) => shown.push(...faultIds),
    onCommands: (received) => commands.push(...received),
  });
  store.appendEvents(
    Array.from({ length: 5 }, (_, index) => heartbeatDraft(new Date().toISOString(), index)),
  );
  return {
    store,
    outbox,
    shown,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('replies from the district', () => {
  beforeEach(() => {
    requests = 0;
  });

  // The replay case needs a recorded signature: the signed case runs first.
  for (const kind of ['signed', 'unsigned', 'wrong-key', 'replayed'] as const) {
    test(`a ${kind} "all accepted" reply ${kind === 'signed' ? 'deletes the events and shows the state' : 'deletes nothing and shows nothing'}`, async () => {
      signing = kind;
      const context = station(pinned.publicKeyBase64);
      try {
        const outcome = await context.outbox.sendBatch();
        assert.equal(requests, 1, 'the batch reached the fake district');
        if (kind === 'signed') {
          assert.equal(outcome.kind, 'delivered');
          assert.equal(context.store.pendingCount(), 0, 'acknowledged events leave the outbox');
          assert.equal(readDistrictFault(context.store, 'f-forged')?.acknowledgedBy, 'Kepala Dinas');
          assert.deepEqual(context.shown, ['f-forged']);
          assert.ok(
            Math.abs((context.outbox.clockOffsetMs ?? 0) - (FORGED_SERVER_TIME - Date.now())) < 60_000,
          );
          return;
        }
        assert.equal(outcome.kind, 'retry');
        assert.match(outcome.kind === 'retry' ? outcome.reason : '', /unverified reply/);
        assert.equal(context.store.pendingCount(), 5, 'nothing deleted');
        assert.equal(readDistrictFault(context.store, 'f-forged'), null, 'no fault state for the kiosk');
        assert.deepEqual(context.shown, []);
        assert.equal(context.outbox.clockOffsetMs, null, 'the forged serverTime is not adopted');
        assert.match(
          context.outbox.lastError ?? '',
          /not signed for this request by the pinned district key/,
        );
      } finally {
        context.close();
      }
    });
  }

  test('a station enrolled before district keys sends nothing and says to enroll again', async () => {
    signing = 'signed';
    const context = station(undefined);
    try {
      const outcome = await context.outbox.sendBatch();
      assert.equal(requests, 0);
      assert.equal(outcome.kind, 'retry');
      assert.equal(outcome.kind === 'retry' ? outcome.reason : '', UNPINNED_DISTRICT_KEY);
      assert.equal(context.store.pendingCount(), 5);
    } finally {
      context.close();
    }
  });
});
