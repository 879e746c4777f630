// Outbox delivery (electron/agent/outbox.ts) against a scripted district: backoff, Retry-After,
// clock offset, poison events, and that events leave the queue only when acknowledged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair } from '../../../electron/agent/identity';
import type { Identity } from '../../../electron/agent/identity';
import { Outbox, parseRetryAfter, SERVER_ERRORS_BEFORE_PROBE } from '../../../electron/agent/outbox';
import type { OutboxOptions } from '../../../electron/agent/outbox';
import { META, readMeta } from '../../../electron/agent/store/meta';
import { Store } from '../../../electron/agent/store/store';
import { EventsRequestSchema } from '../../../protocol/requests';
import { HEADER_NONCE, HEADER_REPLY_SIGNATURE, HEADER_TIMESTAMP } from '../../../protocol/signing';
import {
  districtKeyFromPem,
  generateDistrictKeyPair,
  signReply,
  verifyRequestSignature,
} from '../../../district/server/intake/signature';
import { heartbeatDraft } from '../../helpers/station-events';

interface Sent {
  body: string;
  headers: Record<string, string>;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> } | 'network-error';

function setUp(replies: (sent: Sent, index: number) => Reply, extra: Partial<OutboxOptions> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'siaga-outbox-'));
  const store = Store.open(dir);
  const keys = generateKeyPair();
  // The scripted district signs its replies with the key the station pinned (SIAGA1-REPLY).
  const district = districtKeyFromPem(generateDistrictKeyPair().privateKeyPem);
  const identity: Identity = {
    stationId: 'st-TEST',
    stationName: 'x',
    kecamatan: 'y',
    districtUrl: 'http://district.test',
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
    enrolledAt: '',
    districtPublicKey: district.publicKeyBase64,
  };
  const sent: Sent[] = [];
  const fetchStub = (async (_url: URL, init: RequestInit) => {
    const request = { body: String(init.body), headers: init.headers as Record<string, string> };
    sent.push(request);
    const reply = replies(request, sent.length - 1);
    if (reply === 'network-error') {
      throw new TypeError('fetch failed');
    }
    const body = JSON.stringify(reply.body);
    const nonce = request.headers[HEADER_NONCE]!;
    return new Response(body, {
      status: reply.status,
      headers: {
        'content-type': 'application/json',
        [HEADER_REPLY_SIGNATURE]: signReply(district.privateKey, nonce, reply.status, body),
        ...reply.headers,
      },
    });
  }) as unknown as typeof fetch;
  let now = 1_700_000_000_000;
  const outbox = new Outbox(store, () => identity, {
    fetch: fetchStub,
    now: () => now,
    random: () => 0.5,
    policy: { baseBackoffMs: 1000, maxBackoffMs: 60_000, batchSize: 10, backlogIntervalMs: 100 },
    ...extra,
  });
  const add = (count: number) =>
    store.appendEvents(
      Array.from({ length: count }, (_, index) => heartbeatDraft(new Date(now).toISOString(), index)),
    );
  const close = () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, outbox, sent, add, identity, close, advance: (ms: number) => (now += ms) };
}

const acceptAll = (sent: Sent, serverTime = 1_700_000_000_000): Reply => {
  const ids = (JSON.parse(sent.body) as { events: { id: string }[] }).events.map((event) => event.id);
  return { status: 200, body: { accepted: ids, duplicates: [], serverTime } };
};

test('batches go in seq order, signed, and leave the queue only when acknowledged', async () => {
  const context = setUp((sent) => acceptAll(sent));
  try {
    context.add(25);
    const first = await context.outbox.sendBatch();
    assert.deepEqual(first, { kind: 'delivered', count: 10, remaining: 15, waitMs: 100 });
    await context.outbox.drain({ sleep: async () => undefined });
    assert.equal(context.store.pendingCount(), 0);
    const seqs = context.sent.flatMap((sent) =>
      EventsRequestSchema.parse(JSON.parse(sent.body)).events.map((event) => event.seq),
    );
    assert.deepEqual(
      seqs,
      Array.from({ length: 25 }, (_, index) => index + 1),
    );
    for (const sent of context.sent) {
      assert.equal(
        verifyRequestSignature({
          publicKeyBase64: context.identity.publicKey,
          method: 'POST',
          path: '/api/v1/events',
          timestampMs: Number(sent.headers[HEADER_TIMESTAMP]),
          body: sent.body,
          signatureBase64: sent.headers['x-siaga-signature']!,
        }),
        true,
      );
    }
  } finally {
    context.close();
  }
});

test('failures back off exponentially with jitter up to the cap, and nothing is lost', async () => {
  const context = setUp(() => 'network-error');
  try {
    context.add(3);
    const waits: number[] = [];
    for (let attempt = 0; attempt < 9; attempt++) {
      const outcome = await context.outbox.sendBatch();
      assert.equal(outcome.kind, 'retry');
      waits.push(outcome.kind === 'retry' ? outcome.waitMs : -1);
    }
    // random() = 0.5: equal jitter gives 3/4 of the ceiling 1 s, 2 s, 4 s, ... capped at 60 s.
    assert.deepEqual(waits, [750, 1500, 3000, 6000, 12000, 24000, 45000, 45000, 45000]);
    assert.equal(context.store.pendingCount(), 3);
  } finally {
    context.close();
  }
});

test('429 and 503 wait the Retry-After the district asks for', async () => {
  const context = setUp((sent, index) =>
    index === 0
      ? {
          status: 429,
          body: { error: 'rate-limited', message: 'slow down', serverTime: 1, retryAfterMs: 7000 },
        }
      : index === 1
        ? {
            status: 503,
            body: { error: 'unavailable', message: 'busy', serverTime: 1 },
            headers: { 'retry-after': '12' },
          }
        : acceptAll(sent),
  );
  try {
    context.add(1);
    const first = await context.outbox.sendBatch();
    assert.equal(
      first.kind === 'retry' && first.waitMs >= 7000 && first.waitMs <= 7700,
      true,
      JSON.stringify(first),
    );
    const second = await context.outbox.sendBatch();
    assert.equal(
      second.kind === 'retry' && second.waitMs >= 12_000 && second.waitMs <= 13_200,
      true,
      JSON.stringify(second),
    );
    assert.equal((await context.outbox.sendBatch()).kind, 'delivered');
    assert.equal(
      parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
      10_000,
    );
  } finally {
    context.close();
  }
});

test('a far-off clock: stale-timestamp teaches the offset, the batch is re-signed and sent at once', async () => {
  const districtTime = 1_700_000_000_000 + 3 * 24 * 60 * 60_000;
  const context = setUp((sent) => {
    const timestamp = Number(sent.headers[HEADER_TIMESTAMP]);
    return Math.abs(timestamp - districtTime) > 5 * 60_000
      ? { status: 401, body: { error: 'stale-timestamp', message: 'clock', serverTime: districtTime } }
      : acceptAll(sent, districtTime);
  });
  try {
    context.add(2);
    const first = await context.outbox.sendBatch();
    assert.deepEqual(first.kind === 'retry' && first.waitMs, 0);
    assert.equal(context.outbox.clockOffsetMs, 3 * 24 * 60 * 60_000);
    assert.equal((await context.outbox.sendBatch()).kind, 'delivered');
    assert.equal(
      readMeta(context.store, META.clockOffsetMs),
      3 * 24 * 60 * 60_000,
      'the offset survives a restart',
    );
    assert.ok(
      Number(context.sent[1]!.headers[HEADER_TIMESTAMP]) >
        Number(context.sent[0]!.headers[HEADER_TIMESTAMP]) + 1000,
    );
  } finally {
    context.close();
  }
});

test('a batch refused as invalid is halved until the bad event is alone; it is set aside and the rest delivered', async () => {
  let poison = '';
  const context = setUp((sent) => {
    const ids = (JSON.parse(sent.body) as { events: { id: string }[] }).events.map((event) => event.id);
    return ids.includes(poison)
      ? { status: 400, body: { error: 'invalid-schema', message: 'bad event', serverTime: 1 } }
      : acceptAll(sent);
  });
  try {
    const events = context.add(10);
    poison = events[6]!.id;
    await context.outbox.drain({ sleep: async () => undefined });
    for (let guard = 0; guard < 20 && context.store.pendingCount() > 0; guard++) {
      await context.outbox.drain({ sleep: async () => undefined });
    }
    assert.equal(context.store.pendingCount(), 0);
    assert.equal(context.store.rejectedCount(), 1);
    const delivered = context.sent
      .filter((sent) => !sent.body.includes(poison))
      .flatMap((sent) =>
        (JSON.parse(sent.body) as { events: { seq: number }[] }).events.map((event) => event.seq),
      );
    assert.deepEqual(delivered, [1, 2, 3, 4, 5, 6, 8, 9, 10]);
  } finally {
    context.close();
  }
});

test('an event the district keeps failing on (500) is found by halving, probed past, parked; the rest delivered', async () => {
  let poisonId = '';
  const parked: string[] = [];
  const context = setUp(
    (sent) => {
      const ids = (JSON.parse(sent.body) as { events: { id: string }[] }).events.map((event) => event.id);
      return ids.includes(poisonId)
        ? {
            status: 500,
            body: { error: 'internal', message: 'internal error', serverTime: 1_700_000_000_000 },
          }
        : acceptAll(sent);
    },
    { onParked: (event, reason) => parked.push(`${event.id} ${reason}`) },
  );
  try {
    context.add(10);
    poisonId = context.store.pending(10)[4]!.id;
    for (let attempt = 0; attempt < 40 && context.store.pendingCount() > 0; attempt++) {
      await context.outbox.sendBatch();
    }
    assert.equal(context.store.pendingCount(), 0);
    assert.equal(parked.length, 1);
    assert.match(
      parked[0]!,
      new RegExp(`^${poisonId} the district failed on this event ${SERVER_ERRORS_BEFORE_PROBE} times`),
    );
    assert.equal(context.store.rejectedCount(), 1);
  } finally {
    context.close();
  }
});

test('a district that fails on everything (500) gets no event parked', async () => {
  const parked: string[] = [];
  const context = setUp(
    () => ({
      status: 500,
      body: { error: 'internal', message: 'internal error', serverTime: 1_700_000_000_000 },
    }),
    { onParked: (event) => parked.push(event.id) },
  );
  try {
    context.add(10);
    for (let attempt = 0; attempt < 40; attempt++) {
      assert.equal((await context.outbox.sendBatch()).kind, 'retry');
    }
    assert.deepEqual(parked, []);
    assert.equal(context.store.pendingCount(), 10);
    assert.equal(context.store.rejectedCount(), 0);
  } finally {
    context.close();
  }
});
