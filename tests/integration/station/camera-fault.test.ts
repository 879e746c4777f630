// A camera verdict from frames is a verdict like any other: reported through the kiosk's
// StationService, kept by the real Agent with its age, included in every check, opened as a fault
// after the debounce and delivered to a real district over HTTP; a stale one is unknown (the fault
// neither resolves nor re-opens); an ok picture resolves it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StationService } from '../../../electron/station/service';
import { CAMERA_VERDICT_TTL_MS } from '../../../electron/station/camera-verdicts';
import type { CameraReport } from '../../../electron/station-api';
import { createSimulatedAgent, waitFor } from '../../helpers/agent';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';
import type { HttpDistrict } from '../../helpers/station-district';

async function cameraEvents(district: HttpDistrict, stationId: string) {
  return (await district.events(stationId))
    .filter((event) => event.type.startsWith('fault.'))
    .map((event) => ({
      type: event.type,
      payload: JSON.parse(event.payload) as { code: string; faultId: string; role: string; status: string },
    }))
    .filter((event) => event.payload.role === 'camera');
}

const report = (code: CameraReport['code'], meanLuma: number): CameraReport => ({
  code,
  deviceLabel: 'fake camera',
  width: 640,
  height: 480,
  measurements: { meanLuma },
  elapsedMs: 400,
});

test('a black picture opens CAMERA_BLACK_FRAME at the district; a stale verdict keeps it open as unknown; an ok picture resolves it', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-camera-fault-'));
  const district = await startHttpDistrict();
  let skewMs = 0;
  const now = () => Date.now() + skewMs;
  const { agent } = createSimulatedAgent(dataDir, 'healthy', {
    now,
    schedule: {
      passiveIntervalMs: 150,
      heartbeatIntervalMs: 60_000,
      confirmDelayMs: 50,
      hotplugSettleMs: 10,
      enrollmentPollMs: 50,
    },
    deliveryPolicy: { baseBackoffMs: 50, maxBackoffMs: 500 },
  });
  const service = new StationService({ agent, now });
  try {
    const stationId = await enrollStation(district, dataDir);
    await agent.start();
    assert.equal((await service.getStatus()).tiles.find((tile) => tile.role === 'camera')?.status, 'ok');

    const verdict = await service.reportCamera(report('CAMERA_BLACK_FRAME', 1));
    assert.equal(verdict.status, 'fault');
    const opened = await waitFor('CAMERA_BLACK_FRAME opened at the district', async () =>
      (await cameraEvents(district, stationId)).find(
        (event) => event.type === 'fault.opened' && event.payload.code === 'CAMERA_BLACK_FRAME',
      ),
    );
    assert.equal(opened.payload.status, 'fault');
    const local = (await service.listFaults()).find((fault) => fault.code === 'CAMERA_BLACK_FRAME');
    assert.ok(local && local.closedAt === null, 'open at the station too');
    const camera = agent.status().lastReport?.verdicts.find((each) => each.role === 'camera');
    assert.equal(camera?.code, 'CAMERA_BLACK_FRAME', 'every check carries the reported verdict');
    assert.equal(typeof camera?.measurements.ageMs, 'number', 'with its age');

    // Past its TTL nobody has looked at the picture again: unknown, neither fixed nor re-confirmed.
    skewMs = CAMERA_VERDICT_TTL_MS + 60_000;
    await waitFor('a check with the stale verdict', () =>
      agent.status().lastReport?.verdicts.find((each) => each.role === 'camera')?.code ===
      'CAMERA_VERDICT_STALE'
        ? true
        : undefined,
    );
    let checks = 0;
    const unsubscribe = agent.subscribe((event) => (checks += event.type === 'check-finished' ? 1 : 0));
    // More than the 3 passes that would resolve it.
    await waitFor('four more checks', () => (checks >= 4 ? true : undefined));
    unsubscribe();
    const stale = agent.status().lastReport!.verdicts.find((each) => each.role === 'camera')!;
    assert.equal(stale.status, 'unknown');
    assert.equal(stale.measurements.lastCode, 'CAMERA_BLACK_FRAME');
    assert.equal((await service.getStatus()).tiles.find((tile) => tile.role === 'camera')?.status, 'unknown');
    assert.ok(
      !(await cameraEvents(district, stationId)).some((event) => event.type === 'fault.resolved'),
      'a stale verdict does not resolve the fault on USB alone',
    );
    assert.equal(
      (await service.listFaults()).find((fault) => fault.code === 'CAMERA_BLACK_FRAME')?.closedAt,
      null,
    );

    await service.reportCamera(report('CAMERA_OK', 120));
    const resolved = await waitFor('CAMERA_BLACK_FRAME resolved at the district', async () =>
      (await cameraEvents(district, stationId)).find((event) => event.type === 'fault.resolved'),
    );
    assert.equal(resolved.payload.faultId, opened.payload.faultId);
    assert.equal((await service.getStatus()).tiles.find((tile) => tile.role === 'camera')?.status, 'ok');
    assert.equal(
      (await cameraEvents(district, stationId)).filter((event) => event.type === 'fault.opened').length,
      1,
      'one fault, not one per check',
    );
  } finally {
    service.stop();
    await agent.stop();
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
