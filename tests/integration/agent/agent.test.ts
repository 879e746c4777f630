// The station agent end to end, in process: a simulated kit, the real check runner, the real store,
// and a real district over HTTP verifying every signature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentOptions } from '../../../electron/agent/agent';
import { STORE_FILE } from '../../../electron/agent/store/store';
import { run as runFaults } from '../../../electron/commands/faults';
import { run as runBundle } from '../../../electron/commands/bundle';
import { importBundle } from '../../../district/server/intake/bundle-import';
import { createSimulatedAgent, waitFor } from '../../helpers/agent';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';
import type { HttpDistrict } from '../../helpers/station-district';

const FAST = {
  passiveIntervalMs: 150,
  heartbeatIntervalMs: 60_000,
  confirmDelayMs: 50,
  hotplugSettleMs: 10,
  enrollmentPollMs: 50,
};

function makeAgent(dataDir: string, scenario = 'healthy', overrides: Partial<AgentOptions> = {}) {
  return createSimulatedAgent(dataDir, scenario, {
    schedule: FAST,
    deliveryPolicy: { baseBackoffMs: 50, maxBackoffMs: 500 },
    ...overrides,
  });
}

async function faultEvents(district: HttpDistrict, stationId: string, code?: string) {
  const events = await district.events(stationId);
  return events
    .filter((event) => event.type.startsWith('fault.'))
    .map((event) => ({
      ...event,
      payload: JSON.parse(event.payload) as { code: string; faultId: string; status: string },
    }))
    .filter((event) => code === undefined || event.payload.code === code);
}

/** The district holds the station's events numbered 1, 2, 3... with none missing. */
async function assertSeqsFromOne(district: HttpDistrict, stationId: string, message: string) {
  const seqs = (await district.events(stationId)).map((event) => event.seq);
  assert.deepEqual(
    seqs,
    Array.from({ length: seqs.length }, (_, index) => index + 1),
    message,
  );
}

function capture() {
  let text = '';
  return {
    stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream,
    text: () => text,
  };
}

test('a fault detected on hotplug reaches the district by itself, resolves, and `siaga faults` shows it delivered', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-agent-'));
  const district = await startHttpDistrict();
  const { agent, station } = makeAgent(dataDir);
  try {
    const stationId = await enrollStation(district, dataDir);
    await agent.start();
    await waitFor('station.started at the district', async () =>
      (await district.events(stationId)).some((event) => event.type === 'station.started') ? true : undefined,
    );
    const unplugged = Date.now();
    station.set('fingerprint-missing');
    agent.notifyHotplug();
    const opened = await waitFor(
      'fault.opened at the district',
      async () => (await faultEvents(district, stationId, 'FINGERPRINT_MISSING'))[0],
    );
    assert.equal(opened.type, 'fault.opened');
    const latencyMs = Date.now() - unplugged;
    assert.ok(latencyMs < 2000, `detected -> stored at the district in ${latencyMs} ms`);
    station.set('healthy');
    agent.notifyHotplug();
    const resolved = await waitFor('fault.resolved', async () =>
      (await faultEvents(district, stationId, 'FINGERPRINT_MISSING')).find(
        (event) => event.type === 'fault.resolved',
      ),
    );
    assert.equal(resolved.payload.faultId, opened.payload.faultId);
    await waitFor('outbox empty', () => (agent.status().outboxPending === 0 ? true : undefined));
    const output = capture();
    const code = await runFaults(['--json', '--all', '--data-dir', dataDir], {
      stdout: output.stream,
      stderr: output.stream,
    });
    assert.equal(code, 0, output.text());
    const listing = JSON.parse(output.text()) as {
      faults: { code: string; delivery: string; resolvedAt: string | null }[];
    };
    const fault = listing.faults.find((entry) => entry.code === 'FINGERPRINT_MISSING');
    assert.equal(fault?.delivery, 'reported');
    assert.ok(fault?.resolvedAt);
    await assertSeqsFromOne(district, stationId, 'in order, no gaps');
  } finally {
    await agent.stop();
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a clock three days off: events still arrive (signed with the district offset), occurredAt stays local', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-agent-clock-'));
  const district = await startHttpDistrict();
  const skewMs = 3 * 24 * 60 * 60_000;
  const { agent } = makeAgent(dataDir, 'ups-on-battery', { now: () => Date.now() + skewMs });
  try {
    const stationId = await enrollStation(district, dataDir);
    await agent.start();
    const opened = await waitFor(
      'UPS fault at the district',
      async () => (await faultEvents(district, stationId, 'UPS_ON_BATTERY'))[0],
    );
    assert.equal(opened.type, 'fault.opened');
    const offset = agent.status().clockOffsetMs!;
    assert.ok(Math.abs(offset + skewMs) < 5000, `offset ${offset} ms`);
    const stored = await district.db.query<{ occurred_at: string }>(
      'SELECT occurred_at FROM events WHERE id = $1',
      [opened.id],
    );
    assert.ok(
      Math.abs(Date.parse(stored[0]!.occurred_at) - (Date.now() + skewMs)) < 60_000,
      'occurredAt is the station clock',
    );
  } finally {
    await agent.stop();
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a corrupt database at startup is moved aside, a fresh store starts, and that is reported as a fault', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-agent-corrupt-'));
  const district = await startHttpDistrict();
  try {
    const stationId = await enrollStation(district, dataDir);
    writeFileSync(
      path.join(dataDir, STORE_FILE),
      'this is not a database, it was half-written when the power went',
    );
    const { agent } = makeAgent(dataDir);
    try {
      await agent.start();
      const opened = await waitFor(
        'PC_DATABASE_CORRUPT at the district',
        async () => (await faultEvents(district, stationId, 'PC_DATABASE_CORRUPT'))[0],
      );
      assert.equal(opened.type, 'fault.opened');
    } finally {
      await agent.stop();
    }
  } finally {
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('disk full during a write: the agent keeps running, loses nothing committed, makes room and reports it', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-agent-full-'));
  const district = await startHttpDistrict();
  const logs: string[] = [];
  const { agent, station } = makeAgent(dataDir, 'healthy', {
    maxPageCount: 40,
    log: (line) => logs.push(line),
  });
  try {
    const stationId = await enrollStation(district, dataDir);
    await agent.start();
    // Check results fill the capped file until a write fails with SQLITE_FULL.
    await waitFor(
      'SQLITE_FULL',
      () => (logs.some((line) => line.includes('store write failed, disk full')) ? true : undefined),
      30_000,
    );
    assert.equal(agent.status().running, true);
    assert.ok(
      logs.some((line) => /summarised \d+ check results to make room/.test(line)),
      logs.join('\n'),
    );
    station.set('iris-missing');
    const opened = await waitFor(
      'IRIS_MISSING at the district',
      async () => (await faultEvents(district, stationId, 'IRIS_MISSING'))[0],
    );
    assert.equal(
      opened.type,
      'fault.opened',
      'a fault found after the disk filled is still recorded and delivered',
    );
    await waitFor(
      'PC_STORAGE_FULL at the district',
      async () => (await faultEvents(district, stationId, 'PC_STORAGE_FULL'))[0],
    );
    await waitFor('outbox drained', () => (agent.status().outboxPending === 0 ? true : undefined));
    await assertSeqsFromOne(district, stationId, 'no committed event lost');
  } finally {
    await agent.stop();
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('bundle export carries undelivered events on a USB stick; later delivery stores each once', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-agent-bundle-'));
  const district = await startHttpDistrict();
  const stationId = await enrollStation(district, dataDir);
  // The station has no link: its district URL points at a closed port.
  const identityFile = path.join(dataDir, 'identity.json');
  const identity = JSON.parse(readFileSync(identityFile, 'utf8'));
  writeFileSync(identityFile, JSON.stringify({ ...identity, districtUrl: 'http://127.0.0.1:9' }));
  const { agent } = makeAgent(dataDir, 'ribbon-out');
  try {
    await agent.start();
    await waitFor('fault committed locally', () =>
      agent.currentStore!.listFaults().length > 0 ? true : undefined,
    );
    await agent.stop();
    const bundleFile = path.join(dataDir, 'stick.json');
    const output = capture();
    assert.equal(
      await runBundle(['export', bundleFile, '--data-dir', dataDir], {
        stdout: output.stream,
        stderr: output.stream,
      }),
      0,
      output.text(),
    );
    const result = await importBundle(district.db, readFileSync(bundleFile, 'utf8'));
    assert.ok(JSON.stringify(result).length > 0);
    const imported = await district.events(stationId);
    assert.ok(
      imported.some((event) => event.type === 'fault.opened'),
      'the fault arrived by USB stick',
    );
    // The link returns: the same events are sent again and stored once.
    writeFileSync(identityFile, JSON.stringify(identity));
    const { agent: again } = makeAgent(dataDir, 'ribbon-out');
    try {
      await again.start();
      await waitFor('outbox drained', () => (again.status().outboxPending === 0 ? true : undefined));
    } finally {
      await again.stop();
    }
    const all = await district.events(stationId);
    assert.equal(new Set(all.map((event) => event.id)).size, all.length);
    assert.ok(all.length > imported.length, 'the new station.started arrived too');
    assert.deepEqual(
      all.slice(0, imported.length).map((event) => event.id),
      imported.map((event) => event.id),
    );
  } finally {
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
