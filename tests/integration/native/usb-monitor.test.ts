// UsbMonitor against a scripted UsbSource and event source: serialization, failed enumerations,
// timers and listeners. The real library and sysfs are covered in usb.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { UsbMonitor } from '../../../native/usb/monitor';
import type { UsbChange, UsbDeviceInfo } from '../../../native/usb/types';
import type { UsbEventSource } from '../../../native/usb/usb-source';

function device(key: string): UsbDeviceInfo {
  return { key, vendorId: 1, productId: 2, deviceClass: 0, deviceSubclass: 0, deviceProtocol: 0 };
}

/** A source whose list() calls wait until the test releases them, one by one. */
class ScriptedSource {
  lastError?: string;
  calls = 0;
  running = 0;
  maxRunning = 0;
  private readonly pending: { resolve: (devices: UsbDeviceInfo[]) => void }[] = [];

  list(): Promise<UsbDeviceInfo[]> {
    this.calls += 1;
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise((resolve) => {
      this.pending.push({
        resolve: (devices) => {
          this.running -= 1;
          resolve(devices);
        },
      });
    });
  }

  async release(devices: UsbDeviceInfo[], error?: string): Promise<void> {
    for (let attempt = 0; attempt < 100 && this.pending.length === 0; attempt += 1) {
      await delay(1);
    }
    const next = this.pending.shift();
    assert.ok(next, 'a list() call was waiting');
    this.lastError = error;
    next.resolve(devices);
    await delay(1);
  }
}

class FakeEvents implements UsbEventSource {
  readonly listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, listener: () => void): void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(listener);
    this.listeners.set(type, set);
  }
  removeEventListener(type: string, listener: () => void): void {
    this.listeners.get(type)?.delete(listener);
  }
  emit(type: string): void {
    for (const listener of this.listeners.get(type) ?? []) {
      listener();
    }
  }
  count(): number {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

test('overlapping refreshes run one after the other, each with its own enumeration', async () => {
  const source = new ScriptedSource();
  const monitor = new UsbMonitor(source);
  const first = monitor.refresh();
  const second = monitor.refresh();
  await delay(5);
  assert.equal(source.calls, 1, 'the second enumeration waits for the first');
  await source.release([device('a')]);
  await source.release([device('a'), device('b')]);
  assert.deepEqual(
    (await first).map((entry) => entry.key),
    ['a'],
  );
  assert.deepEqual(
    (await second).map((entry) => entry.key),
    ['a', 'b'],
  );
  assert.equal(source.maxRunning, 1);
});

test('a failed enumeration keeps the last snapshot and reports no detach', async () => {
  const source = new ScriptedSource();
  const monitor = new UsbMonitor(source);
  const changes: UsbChange[] = [];
  monitor.onChange((change) => changes.push(change));
  const baseline = monitor.refresh();
  await source.release([device('a')]);
  await baseline;
  const failed = monitor.refresh();
  await source.release([], 'USB enumeration failed: gone');
  assert.deepEqual(
    (await failed).map((entry) => entry.key),
    ['a'],
  );
  assert.equal(monitor.lastError, 'USB enumeration failed: gone');
  assert.deepEqual(changes, []);
  assert.equal(monitor.history('a')?.present, true);
  const recovered = monitor.refresh();
  await source.release([device('a')]);
  await recovered;
  assert.equal(monitor.lastError, undefined);
  assert.deepEqual(changes, []);
});

test('a throwing subscriber does not stop the others; unsubscribe works', async () => {
  const source = new ScriptedSource();
  const monitor = new UsbMonitor(source);
  const seen: string[] = [];
  monitor.onChange(() => {
    throw new Error('subscriber bug');
  });
  const unsubscribe = monitor.onChange((change) => seen.push(`${change.type}:${change.device.key}`));
  let refresh = monitor.refresh();
  await source.release([]);
  await refresh;
  refresh = monitor.refresh();
  await source.release([device('a')]);
  await refresh;
  unsubscribe();
  refresh = monitor.refresh();
  await source.release([]);
  await refresh;
  assert.deepEqual(seen, ['attached:a']);
  assert.equal(monitor.history('a')?.present, false);
});

test('transitions leave the window as the clock moves; reconnects stay', async () => {
  const source = new ScriptedSource();
  let clock = 0;
  const monitor = new UsbMonitor(source, undefined, { windowMs: 1000, now: () => clock });
  for (const [time, devices] of [
    [0, [device('a')]],
    [100, []],
    [200, [device('a')]],
    [900, []],
    [1000, [device('a')]],
  ] as const) {
    clock = time;
    const refresh = monitor.refresh();
    await source.release([...devices]);
    await refresh;
  }
  assert.deepEqual(monitor.history('a')?.recentTransitions, [100, 200, 900, 1000]);
  clock = 1150;
  assert.deepEqual(monitor.history('a')?.recentTransitions, [200, 900, 1000]);
  assert.equal(monitor.history('a')?.reconnects, 2);
  assert.equal(monitor.history('a')?.lastSeen, 1000);
  assert.equal(monitor.history('never'), undefined);
});

test('start() listens to events and the timer; stop() removes both', async () => {
  const events = new FakeEvents();
  let calls = 0;
  const source = {
    async list() {
      calls += 1;
      return [device('a')];
    },
  };
  const monitor = new UsbMonitor(source, events, { intervalMs: 20 });
  monitor.start();
  monitor.start();
  assert.equal(events.count(), 2, 'connect and disconnect, once each even if started twice');
  await delay(90);
  const afterTimer = calls;
  assert.ok(afterTimer >= 3, `timer refreshed ${afterTimer} times in 90 ms`);
  events.emit('connect');
  events.emit('disconnect');
  events.emit('connect');
  await delay(5);
  assert.ok(calls - afterTimer >= 1 && calls - afterTimer <= 2, 'events queued while waiting are coalesced');
  monitor.stop();
  assert.equal(events.count(), 0);
  await delay(5);
  const afterStop = calls;
  await delay(80);
  assert.equal(calls, afterStop, 'no refresh after stop()');
  assert.deepEqual(
    monitor.devices().map((entry) => entry.key),
    ['a'],
  );
});
