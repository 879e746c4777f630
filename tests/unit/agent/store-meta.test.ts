// The store's meta values (electron/agent/store/meta.ts): typed reads that fall back on damage, and
// migration 2, which renames schema 1's keys so a station in the field keeps its PIN, settings,
// event numbering and clock offset, also when they come from a salvaged damaged file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  META,
  META_FAMILIES,
  readMeta,
  writeMeta,
  writeMetaIfChanged,
} from '../../../electron/agent/store/meta';
import { SCHEMA_VERSION } from '../../../electron/agent/store/migrations';
import { Store } from '../../../electron/agent/store/store';
import { TechnicianLock } from '../../../electron/station/pin';
import { heartbeatDraft } from '../../helpers/station-events';
import { damageLastPage, upsCheckReport, withStoreDir } from '../../helpers/store-files';

const heartbeat = (index: number) => heartbeatDraft(new Date(1_700_000_000_000 + index).toISOString(), index);

const metaKeys = (store: Store) =>
  (store.db.prepare('SELECT key FROM meta ORDER BY key').all() as { key: string }[]).map((row) => row.key);

/** Keys of schema 1 whose names changed, as the previous release wrote them, and their new names. */
const RENAMED: [old: string, current: string][] = [
  ['next_seq', 'next-seq'],
  ['clock_offset_ms', 'clock-offset-ms'],
  ['daily-check:last', 'last-daily-check'],
  ['camera:snapshot', 'camera-snapshot'],
];

/**
 * Fills a store the way a station running schema 1 left it: a technician PIN set through the real
 * lock, kiosk settings, stock, the last daily check, a snapshot, the district's state of a fault,
 * the clock offset and the district URL the kiosk's enrollment kept; then the keys get their
 * schema 1 names back and user_version goes to 1.
 */
function writeSchemaOneStation(store: Store): void {
  let now = 1_700_000_000_000;
  const lock = new TechnicianLock({
    store: () => store,
    initialPin: '246810',
    now: () => now,
    log: () => undefined,
  });
  const unlocked = lock.unlock('246810');
  assert.ok(unlocked.ok);
  lock.changePin(unlocked.token, '13579');
  now += 1;
  store.appendEvents([heartbeat(1), heartbeat(2), heartbeat(3)]);
  writeMeta(store, META.clockOffsetMs, 123_456);
  writeMeta(store, META.uiSettings, { language: 'en', lowBlankCards: 7, lowRibbonPrints: 9 });
  writeMeta(store, META.consumables, {
    blankCards: 40,
    ribbonPrints: 80,
    updatedAt: '2024-05-01T01:00:00.000Z',
  });
  writeMeta(store, META.lastDailyCheck, { completedAt: '2024-05-01T01:00:00.000Z' });
  writeMeta(store, META.cameraSnapshot, {
    at: '2024-05-01T01:00:00.000Z',
    code: 'CAMERA_OK',
    snapshot: 'data:image/jpeg;base64,',
  });
  writeMeta(store, META_FAMILIES.districtFault.key('F1'), {
    faultId: 'F1',
    state: 'acknowledged',
    updatedAt: '2024-05-01T02:00:00.000Z',
  });
  store.db.prepare("INSERT INTO meta (key, value) VALUES ('district-url', 'http://district.test')").run();
  for (const [old, current] of RENAMED) {
    store.db.prepare('UPDATE meta SET key = ? WHERE key = ?').run(old, current);
  }
  store.db.pragma('user_version = 1');
}

function assertCarriedOver(store: Store): void {
  assert.equal(store.db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  for (const [old] of RENAMED) {
    assert.ok(!metaKeys(store).includes(old), `${old} renamed`);
  }
  assert.ok(!metaKeys(store).includes('district-url'), 'the district URL is read from identity.json now');
  const lock = new TechnicianLock({ store: () => store, now: () => 1_700_000_100_000, log: () => undefined });
  assert.equal(lock.unlock('13579').ok, true, 'the PIN the technician set still opens');
  assert.deepEqual(readMeta(store, META.uiSettings), {
    language: 'en',
    lowBlankCards: 7,
    lowRibbonPrints: 9,
  });
  assert.equal(readMeta(store, META.clockOffsetMs), 123_456);
  assert.equal(readMeta(store, META.consumables)?.blankCards, 40);
  assert.equal(readMeta(store, META.lastDailyCheck)?.completedAt, '2024-05-01T01:00:00.000Z');
  assert.equal(readMeta(store, META.cameraSnapshot)?.code, 'CAMERA_OK');
  assert.equal(readMeta(store, META_FAMILIES.districtFault.key('F1'))?.state, 'acknowledged');
  assert.equal(store.appendEvents([heartbeat(4)])[0]!.seq, 4, 'numbering goes on where it was');
}

test('migration 2: a schema 1 station keeps its PIN, settings, stock, seq and clock offset', () => {
  withStoreDir((dir) => {
    let store = Store.open(dir);
    writeSchemaOneStation(store);
    // The outbox is empty, so only the stored counter knows the next seq.
    store.acknowledge(store.pending(10).map((event) => event.id));
    store.close();
    store = Store.open(dir);
    try {
      assertCarriedOver(store);
    } finally {
      store.close();
    }
  });
});

test('a damaged schema 1 file: the meta values salvaged get the new names too', () => {
  withStoreDir((dir) => {
    let store = Store.open(dir);
    writeSchemaOneStation(store);
    store.recordCheck(upsCheckReport(2000));
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    // A damaged page at the end of the file (check results): quick_check fails, meta stays readable.
    damageLastPage(dir);
    store = Store.open(dir);
    try {
      assert.ok(store.recovered, 'the damage was noticed');
      assertCarriedOver(store);
    } finally {
      store.close();
    }
  });
});

test('a missing, unreadable or invalid meta value reads as the fallback; a write reads back', () => {
  withStoreDir((dir) => {
    const store = Store.open(dir);
    try {
      assert.deepEqual(readMeta(store, META.uiSettings), {
        language: 'id',
        lowBlankCards: 50,
        lowRibbonPrints: 100,
      });
      const insert = store.db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
      insert.run('ui-settings', '{ not json');
      assert.equal(readMeta(store, META.uiSettings).language, 'id');
      insert.run('ui-settings', JSON.stringify({ language: 'fr', lowBlankCards: 1, lowRibbonPrints: 1 }));
      assert.equal(readMeta(store, META.uiSettings).language, 'id', 'a language the kiosk has not');
      insert.run('ui-settings', JSON.stringify({ language: 'en' }));
      assert.deepEqual(
        readMeta(store, META.uiSettings),
        { language: 'en', lowBlankCards: 50, lowRibbonPrints: 100 },
        'a value missing a field keeps the rest',
      );
      insert.run('clock-offset-ms', '"soon"');
      assert.equal(readMeta(store, META.clockOffsetMs), null);
      const fallback = readMeta(store, META.technicianPin);
      fallback.failures = 99;
      assert.equal(readMeta(store, META.technicianPin).failures, 0, 'the fallback is not shared');

      writeMeta(store, META.clockOffsetMs, -42);
      assert.equal(readMeta(store, META.clockOffsetMs), -42);
      const key = META_FAMILIES.districtFault.key('F2');
      const fault = { faultId: 'F2', state: 'resolved' as const, updatedAt: '2024-05-01T00:00:00.000Z' };
      assert.equal(writeMetaIfChanged(store, key, fault), true);
      assert.equal(writeMetaIfChanged(store, key, fault), false, 'the same value is not written again');
      assert.deepEqual(readMeta(store, key), fault);
    } finally {
      store.close();
    }
  });
});
