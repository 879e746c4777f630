// Hostile clocks for the station's forecast series (electron/agent/forecast/series-store.ts) on its
// real SQLite store: a clock reset (a dead CMOS battery, a wrong year typed in) or set far ahead
// must not delete the months of daily points the forecasts stand on; the clock set right again
// finds them whole. Ordinary pruning (days beyond the retention on a clock that did not jump) works.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, test } from 'node:test';
import { METRICS, pruneSamples, readSeries, recordSamples } from '../../../electron/agent/forecast/series-store';
import { Store } from '../../../electron/agent/store/store';
import { RETENTION_DAYS } from '../../../protocol/predictors';

const DAY_MS = 86_400_000;
const NOW = Date.parse('2026-11-30T03:00:00.000Z');
const folders: string[] = [];
const stores: Store[] = [];

afterEach(() => {
  for (const store of stores.splice(0)) {
    store.close();
  }
  for (const folder of folders.splice(0)) {
    rmSync(folder, { recursive: true, force: true });
  }
});

function storeWithDays(days: number): Store {
  const folder = mkdtempSync(path.join(tmpdir(), 'siaga-series-'));
  folders.push(folder);
  const store = Store.open(folder);
  stores.push(store);
  recordSamples(
    store,
    Array.from({ length: days }, (_, index) => ({
      metric: METRICS.upsCellVolts,
      deviceKey: 'ups',
      at: NOW - (days - 1 - index) * DAY_MS,
      value: 2.27 - 0.005 * index,
    })),
  );
  return store;
}

const count = (store: Store) => readSeries(store, METRICS.upsCellVolts, 'ups', NOW + DAY_MS).length;

test('a clock reset to 2000 (dead CMOS battery) prunes nothing; set right again, every day is there', () => {
  const store = storeWithDays(60);
  assert.equal(count(store), 60);
  pruneSamples(store, Date.parse('2000-01-01T00:00:00.000Z'));
  assert.equal(count(store), 60, 'the history was deleted because the clock went back');
});

test('a clock set a year back prunes nothing', () => {
  const store = storeWithDays(60);
  pruneSamples(store, NOW - 365 * DAY_MS);
  assert.equal(count(store), 60);
});

test('a clock set a year ahead prunes nothing (it may be the wrong one)', () => {
  const store = storeWithDays(60);
  pruneSamples(store, NOW + 365 * DAY_MS);
  assert.equal(count(store), 60);
});

test('on a steady clock, days beyond the retention are pruned and recent ones kept', () => {
  const store = storeWithDays(RETENTION_DAYS + 30);
  assert.equal(count(store), RETENTION_DAYS + 30);
  const removed = pruneSamples(store, NOW);
  assert.ok(removed >= 29 && removed <= 31, `removed ${removed}`);
  assert.ok(count(store) >= RETENTION_DAYS - 1);
});
