// The operator at 7:30 signs off the daily check: the kiosk says "sent to the district" only when
// the district acknowledged it (a real district over HTTP), and "saved, will be sent" when the
// district is down or the station is not enrolled; the check waits in the queue either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DELIVERY_WAIT_MS, StationService } from '../../../electron/station/service';
import type { DailyCheckSubmission } from '../../../electron/station-api';
import { createSimulatedAgent } from '../../helpers/agent';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';

const QUIET_SCHEDULE = {
  passiveIntervalMs: 60_000,
  heartbeatIntervalMs: 60_000,
  confirmDelayMs: 50,
  hotplugSettleMs: 10,
  enrollmentPollMs: 50,
};

async function signOff(service: StationService): Promise<{ reported: boolean; elapsedMs: number }> {
  const { runId } = await service.startDailyCheck();
  const submission: DailyCheckSubmission = {
    runId,
    manual: [{ step: 'camera', result: 'ok' }],
    consumables: { blankCards: 40, ribbonPrints: 120 },
    operator: { name: 'Budi Santoso', nip: '198503122010011001' },
  };
  const started = performance.now();
  const record = await service.submitDailyCheck(submission);
  return { reported: record.delivery === 'sent', elapsedMs: performance.now() - started };
}

async function withStation(
  body: (context: { dataDir: string; service: StationService; pending: () => number }) => Promise<void>,
  startAgent: (dataDir: string) => Promise<void> = async () => {},
) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-daily-sent-'));
  const { agent } = createSimulatedAgent(dataDir, 'healthy', {
    schedule: QUIET_SCHEDULE,
    deliveryPolicy: { baseBackoffMs: 50, maxBackoffMs: 500 },
  });
  const service = new StationService({ agent });
  try {
    await startAgent(dataDir);
    await agent.start();
    await body({ dataDir, service, pending: () => agent.status().outboxPending });
  } finally {
    await agent.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('daily check with the district answering: "sent" only once the district holds it', async () => {
  const district = await startHttpDistrict();
  let stationId = '';
  try {
    await withStation(
      async ({ service }) => {
        const { reported } = await signOff(service);
        assert.equal(reported, true, 'the district acknowledged it: the kiosk may say "sent"');
        const types = (await district.events(stationId)).map((event) => event.type);
        assert.ok(types.includes('daily-check.completed'), `district holds the check: ${types.join(', ')}`);
      },
      async (dataDir) => {
        stationId = await enrollStation(district, dataDir);
      },
    );
  } finally {
    await district.close();
  }
});

test('daily check with the district down: "saved, will be sent", and the check stays queued', async () => {
  const district = await startHttpDistrict();
  let closed = false;
  try {
    await withStation(
      async ({ service, pending }) => {
        await district.close();
        closed = true;
        const { reported, elapsedMs } = await signOff(service);
        assert.equal(reported, false, 'nothing acknowledged it: the kiosk must not say "sent"');
        assert.ok(elapsedMs < DELIVERY_WAIT_MS + 1500, `the operator waited ${elapsedMs} ms`);
        assert.ok(pending() >= 1, 'the daily check waits in the queue');
      },
      async (dataDir) => {
        await enrollStation(district, dataDir);
      },
    );
  } finally {
    if (!closed) {
      await district.close();
    }
  }
});

test('daily check on a station not enrolled: "saved, will be sent" at once', async () => {
  await withStation(async ({ service, pending }) => {
    const { reported, elapsedMs } = await signOff(service);
    assert.equal(reported, false);
    assert.ok(elapsedMs < 1000, `no wait for a district there is none of: ${elapsedMs} ms`);
    assert.ok(pending() >= 1);
  });
});
