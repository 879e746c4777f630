// Reliability: kill -9 at random moments while faults are recorded and delivered; a district down
// for a long outage and then back. Asserted on the district's events table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Agent } from '../../../electron/agent/agent';
import { Store, STORE_FILE } from '../../../electron/agent/store/store';
import { loadIdentity, saveIdentity } from '../../../electron/agent/identity';
import { createSimulatedAgent } from '../../helpers/agent';
import { heartbeatDraft } from '../../helpers/station-events';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';
import type { HttpDistrict } from '../../helpers/station-district';

const CHILD = path.join(import.meta.dirname, 'reliability-child.ts');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function spawnAgent(dataDir: string, cycleMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, String(cycleMs)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`agent exited early (${code}): ${stderr}`)));
  });
}

function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

function localPending(dataDir: string): number {
  const db = new Database(path.join(dataDir, STORE_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS count FROM outbox').get() as { count: number }).count;
  } finally {
    db.close();
  }
}

async function assertExactlyOnceInOrder(district: HttpDistrict, stationId: string): Promise<number> {
  const events = await district.events(stationId);
  const ids = new Set(events.map((event) => event.id));
  assert.equal(ids.size, events.length, 'every event id stored once');
  const seqs = events.map((event) => Number(event.seq));
  assert.deepEqual(
    seqs,
    Array.from({ length: seqs.length }, (_, index) => index + 1),
    'seq 1..n without gap or repeat',
  );
  const openings = new Map<string, number>();
  for (const event of events.filter((row) => row.type === 'fault.opened')) {
    const faultId = (JSON.parse(event.payload) as { faultId: string }).faultId;
    openings.set(faultId, (openings.get(faultId) ?? 0) + 1);
  }
  assert.ok(
    [...openings.values()].every((count) => count === 1),
    'no fault opened twice (lifecycle state survived the kills)',
  );
  return events.length;
}

test('kill -9 at random moments while faults are recorded and delivered: every event arrives exactly once', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-kill-'));
  const district = await startHttpDistrict({ maxBatchesPerSecond: 1000 });
  const children: ChildProcess[] = [];
  try {
    const stationId = await enrollStation(district, dataDir);
    let seed = 20240601;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const child = await spawnAgent(dataDir, 60);
      children.push(child);
      await sleep(150 + Math.floor(random() * 900));
      await killAndWait(child, 'SIGKILL');
    }
    const storedBeforeDrain = (await district.events(stationId)).length;
    assert.ok(storedBeforeDrain > 0, 'events were delivered between kills');
    const final = await spawnAgent(dataDir, 0);
    children.push(final);
    const deadline = Date.now() + 60_000;
    while (localPending(dataDir) > 0) {
      assert.ok(Date.now() < deadline, `outbox still holds ${localPending(dataDir)} events`);
      await sleep(100);
    }
    await killAndWait(final, 'SIGTERM');
    assert.equal(localPending(dataDir), 0);
    const total = await assertExactlyOnceInOrder(district, stationId);
    const faults = (await district.events(stationId)).filter((event) =>
      event.type.startsWith('fault.'),
    ).length;
    assert.ok(faults >= 10, `faults were being recorded: ${faults} fault events of ${total}`);
  } finally {
    for (const child of children) {
      await killAndWait(child, 'SIGKILL');
    }
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

/** A gateway in front of the district that can be down, and records when each request arrived. */
async function startGateway(target: string) {
  let down = true;
  let inFlight = 0;
  let maxInFlight = 0;
  const arrivals: { at: number; status: number }[] = [];
  const server = http.createServer((request, response) => {
    if (down) {
      request.socket.destroy();
      return;
    }
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const at = Date.now();
      try {
        const reply = await fetch(new URL(request.url!, target), {
          method: request.method,
          headers: Object.fromEntries(
            Object.entries(request.headers).filter(
              ([name]) => name.startsWith('x-siaga') || name === 'content-type',
            ),
          ) as Record<string, string>,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
        });
        arrivals.push({ at, status: reply.status });
        response.writeHead(reply.status, Object.fromEntries(reply.headers));
        response.end(Buffer.from(await reply.arrayBuffer()));
      } finally {
        inFlight--;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    maxInFlight: () => maxInFlight,
    setDown: (value: boolean) => void (down = value),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('district down for a simulated week with thousands queued, then back: all delivered once, in order, paced', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-outage-'));
  const district = await startHttpDistrict({ maxBatchesPerSecond: 5 });
  const gateway = await startGateway(district.url);
  const logs: string[] = [];
  let agent: Agent | undefined;
  try {
    const stationId = await enrollStation(district, dataDir);
    const identity = loadIdentity(dataDir)!;
    saveIdentity(dataDir, { ...identity, districtUrl: gateway.url });
    // A week offline: 6000 events committed over "seven days" (occurredAt spread over the week).
    const weekStart = Date.now() - 7 * 24 * 60 * 60_000;
    const store = Store.open(dataDir);
    store.appendEvents(
      Array.from({ length: 6000 }, (_, index) =>
        heartbeatDraft(new Date(weekStart + index * 100_000).toISOString(), index, { ups: 'fault' }),
      ),
    );
    store.close();
    agent = createSimulatedAgent(dataDir, 'ups-on-battery', {
      schedule: { passiveIntervalMs: 100, confirmDelayMs: 20, enrollmentPollMs: 50 },
      deliveryPolicy: { baseBackoffMs: 50, maxBackoffMs: 800, backlogIntervalMs: 50 },
      log: (line) => logs.push(`${Date.now()} ${line}`),
    }).agent;
    await agent.start();
    await sleep(3000);
    const retries = logs.filter((line) => line.includes('delivery retry'));
    assert.ok(retries.length >= 4, 'the agent kept trying');
    const waits = retries.map((line) => Number(/retry in (\d+) ms/.exec(line)![1]));
    assert.ok(Math.max(...waits) <= 800, `backoff capped: ${waits.join(',')}`);
    assert.ok(waits.at(-1)! >= 400, `backoff grew: ${waits.join(',')}`);
    assert.equal(gateway.arrivals.length, 0);
    gateway.setDown(false);
    const backAt = Date.now();
    const deadline = backAt + 60_000;
    while (agent.status().outboxPending > 0) {
      assert.ok(Date.now() < deadline, `still ${agent.status().outboxPending} queued`);
      await sleep(100);
    }
    const total = await assertExactlyOnceInOrder(district, stationId);
    assert.ok(total >= 6000);
    assert.equal(gateway.maxInFlight(), 1, 'one request at a time per station');
    const delivered = gateway.arrivals.filter((arrival) => arrival.status === 200);
    const gaps = delivered.slice(1).map((arrival, index) => arrival.at - delivered[index]!.at);
    assert.ok(Math.min(...gaps) >= 40, `paced: smallest gap between batches ${Math.min(...gaps)} ms`);
    const refused = gateway.arrivals.filter((arrival) => arrival.status === 429).length;
    assert.ok(
      refused <= delivered.length,
      `Retry-After honoured: ${refused} rate-limited of ${gateway.arrivals.length}`,
    );
    const received = await district.db.query<{ seq: number; received_at: string }>(
      'SELECT seq, received_at FROM events WHERE station_id = $1 ORDER BY seq',
      [stationId],
    );
    for (let index = 1; index < received.length; index++) {
      assert.ok(
        received[index]!.received_at >= received[index - 1]!.received_at,
        `seq ${received[index]!.seq} arrived before an earlier one`,
      );
    }
  } finally {
    await agent?.stop();
    await gateway.close();
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
