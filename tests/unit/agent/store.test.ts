// Station store (electron/agent/store): durable seq, corruption recovery, disk full, pruning.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AgentStorage } from '../../../electron/agent/runtime/storage';
import { isFullError, Store, STORE_FILE } from '../../../electron/agent/store/store';
import { EventSchema } from '../../../protocol/events';
import { heartbeatDraft } from '../../helpers/station-events';
import { damageLastPage, upsCheckReport, withStoreDir } from '../../helpers/store-files';

const heartbeat = (index: number) => heartbeatDraft(new Date(1_700_000_000_000 + index).toISOString(), index);

test('seq strictly increases across reopen, and envelopes validate against the protocol', () => {
  withStoreDir((dir) => {
    let store = Store.open(dir);
    const first = store.appendEvents([heartbeat(1), heartbeat(2)]);
    assert.deepEqual(
      first.map((event) => event.seq),
      [1, 2],
    );
    store.acknowledge(first.map((event) => event.id));
    store.close();
    store = Store.open(dir);
    const second = store.appendEvents([heartbeat(3)]);
    assert.equal(second[0]!.seq, 3, 'seq never repeats even after the outbox emptied');
    assert.ok(second[0]!.id > first[1]!.id);
    const envelope = JSON.parse(Store.envelopeJson(second[0]!, 'st-TEST'));
    assert.equal(EventSchema.safeParse(envelope).success, true, JSON.stringify(envelope));
    store.close();
  });
});

test('a corrupt file is moved aside, queued events are salvaged where readable, seq never repeats', () => {
  withStoreDir((dir) => {
    let store = Store.open(dir);
    store.appendEvents(Array.from({ length: 5 }, (_, index) => heartbeat(index)));
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const file = path.join(dir, STORE_FILE);
    // Garbage over the header: SQLite no longer recognises the file at all.
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 0, 100);
    writeFileSync(file, bytes);
    store = Store.open(dir);
    assert.ok(store.recovered, 'recovery noted');
    assert.match(store.recovered!.movedTo, /siaga\.db\.corrupt-/);
    assert.ok(
      readdirSync(dir).some((name) => name.startsWith(`${STORE_FILE}.corrupt-`)),
      'old file kept for a technician',
    );
    const next = store.appendEvents([heartbeat(9)])[0]!;
    assert.ok(next.seq > 5, `seq ${next.seq} resumes above the reserved mark`);
    store.close();
  });
});

test('a damaged page deep in the file: quick_check fails, the store is replaced and what is readable is kept', () => {
  withStoreDir((dir) => {
    let store = Store.open(dir);
    store.appendEvents(Array.from({ length: 20 }, (_, index) => heartbeat(index)));
    const checkReport = upsCheckReport(2000);
    store.recordCheck(checkReport);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    damageLastPage(dir);
    store = Store.open(dir);
    assert.ok(store.recovered, 'quick_check noticed the damage');
    assert.equal(
      store.recovered!.salvagedEvents,
      20,
      'the outbox pages were intact: all 20 queued events salvaged',
    );
    assert.equal(store.pendingCount(), 20);
    assert.equal(store.appendEvents([heartbeat(99)])[0]!.seq > 20, true);
    store.close();
  });
});

test('SQLITE_FULL: the failed write is rolled back, every committed event stays, writing resumes when space returns', () => {
  withStoreDir((dir) => {
    const store = Store.open(dir, { maxPageCount: 40 });
    let committed = 0;
    let failure: unknown;
    const bigPayload = 'x'.repeat(3000);
    for (let index = 0; index < 200 && failure === undefined; index++) {
      try {
        store.appendEvents([
          {
            ...heartbeat(index),
            payload: { ...heartbeat(index).payload, appVersion: '0.1.0', note: bigPayload },
          },
        ]);
        committed++;
      } catch (error) {
        failure = error;
      }
    }
    assert.ok(failure, 'the page limit was reached');
    assert.equal(isFullError(failure), true, String(failure));
    assert.equal(store.pendingCount(), committed);
    const seqs = store.pending(10_000).map((event) => event.seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: committed }, (_, index) => index + 1),
      'no gap, no half-written event',
    );
    store.db.pragma('max_page_count = 100000');
    assert.equal(store.appendEvents([heartbeat(999)])[0]!.seq, committed + 1);
    store.close();
  });
});

test('pruning summarises old check results and never touches queued events', () => {
  withStoreDir((dir) => {
    const store = Store.open(dir);
    store.appendEvents(Array.from({ length: 50 }, (_, index) => heartbeat(index)));
    store.recordCheck(upsCheckReport(300, '2024-01-01T00:00:00.000Z'));
    store.recordCheck(upsCheckReport(300, '2024-03-01T00:00:00.000Z'));
    const { summarised } = store.prune(
      { rawRetentionMs: 7 * 24 * 60 * 60_000, maxRawResults: 100, resolvedFaultRetentionMs: 1 },
      Date.parse('2024-03-02T00:00:00.000Z'),
      1,
    );
    assert.equal(summarised, 500, 'everything older than a week, and the oldest beyond 100 rows');
    assert.equal(store.checkResultCount(), 100);
    const summary = store.db.prepare('SELECT day, count FROM check_summaries ORDER BY day').all();
    assert.deepEqual(summary, [
      { day: '2024-01-01', count: 300 },
      { day: '2024-03-01', count: 200 },
    ]);
    assert.equal(store.pendingCount(), 50, 'queued events are never pruned');
    store.close();
  });
});

test('verify: pages damaged on disk under an open store are found by quick_check and the store is replaced', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-verify-'));
  const opened: Store[] = [];
  const storage = new AgentStorage({
    dataDir,
    recurringWindowMs: 60_000,
    now: Date.now,
    onOpen: (store) => opened.push(store),
    log: () => undefined,
  });
  try {
    assert.equal(storage.open(), true);
    const store = storage.store!;
    store.appendEvents(
      Array.from({ length: 300 }, () => ({
        type: 'heartbeat' as const,
        occurredAt: new Date().toISOString(),
        payload: { pad: 'x'.repeat(200) },
      })),
    );
    assert.equal(storage.verify(), true, 'a healthy store passes');
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    // The open connection still reads fine from its cache; the file on disk is damaged.
    const file = path.join(dataDir, STORE_FILE);
    const handle = openSync(file, 'r+');
    for (let offset = 4096; offset < statSync(file).size; offset += 4096) {
      writeSync(handle, Buffer.alloc(4096, 0xa5), 0, 4096, offset);
    }
    closeSync(handle);
    assert.equal(storage.verify(), false);
    assert.equal(opened.length, 2, 'a fresh store was opened');
    assert.ok(storage.store!.recovered, 'the fresh store says it replaced a damaged one');
    assert.ok(readdirSync(dataDir).some((name) => name.startsWith(`${STORE_FILE}.corrupt-`)));
    const committed: string[] = [];
    storage.commitSelfFaults((fault) => committed.push(fault.code));
    assert.deepEqual(committed, ['PC_DATABASE_CORRUPT']);
    assert.equal(storage.verify(), true, 'the fresh store is healthy');
  } finally {
    storage.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
