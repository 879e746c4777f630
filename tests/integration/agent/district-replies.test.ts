// The district's side of a fault, back at the station: a real Agent on a simulated kit, the kiosk's
// StationService over it, and a real district over HTTP. A fault opens and reaches the district;
// staff acknowledge it and assign a technician through the dashboard's code path; the next heartbeat
// reply carries that state and the kiosk's fault list shows it; staff ask the station to verify the
// repair, and the station's re-run checks resolve the fault at the district.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AgentEvent } from '../../../electron/agent/agent';
import { StationService } from '../../../electron/station/service';
import type { FaultView } from '../../../electron/station-api';
import { applyFaultAction } from '../../../district/server/faults/lifecycle';
import { districtFaults } from '../../../district/server/faults/repository';
import { createSimulatedAgent, waitFor } from '../../helpers/agent';
import { addStaff, STAFF } from '../../helpers/dashboard';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';

test('district state reaches the kiosk with the heartbeat reply; a re-run asked by the district resolves the repaired fault', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-replies-'));
  const district = await startHttpDistrict();
  const { agent, station } = createSimulatedAgent(dataDir, 'healthy', {
    // No background checks within the test: only hotplug, debounce and the district's re-run check.
    schedule: {
      passiveIntervalMs: 60 * 60_000,
      heartbeatIntervalMs: 200,
      confirmDelayMs: 50,
      hotplugSettleMs: 10,
      enrollmentPollMs: 50,
    },
    deliveryPolicy: { baseBackoffMs: 50, maxBackoffMs: 500 },
  });
  const service = new StationService({ agent });
  const agentEvents: AgentEvent[] = [];
  const unsubscribe = agent.subscribe((event) => agentEvents.push(event));
  const faultsChanged: number[] = [];
  const unsubscribeService = service.subscribe((event) => {
    if (event.type === 'faults-changed') {
      faultsChanged.push(Date.now());
    }
  });
  try {
    await addStaff(district.db);
    const stationId = await enrollStation(district, dataDir);
    await agent.start();

    station.set('fingerprint-missing');
    agent.notifyHotplug();
    const [atDistrict] = await waitFor('the fault at the district', async () => {
      const rows = await district.db.query<{ fault_id: string; state: string }>(
        `SELECT fault_id, state FROM faults WHERE station_id = $1 AND code = 'FINGERPRINT_MISSING'`,
        [stationId],
      );
      return rows.length > 0 ? rows : undefined;
    });
    assert.equal(atDistrict!.state, 'open');
    const faultId = atDistrict!.fault_id;
    const fault = async (): Promise<FaultView | undefined> =>
      (await service.listFaults()).find((each) => each.id === faultId);
    const inState = (state: FaultView['district']['state']) => async () => {
      const view = await fault();
      return view?.district.state === state ? view : undefined;
    };

    // Before anyone at the district acts: "reported", from the district's own reply.
    const reported = await waitFor('reported', inState('reported'));
    assert.ok(reported.district.updatedAt, 'the district says when its record changed');

    await applyFaultAction(district.db, {
      stationId,
      faultId,
      action: { type: 'acknowledge' },
      username: STAFF.technician,
      nowMs: Date.now(),
    });
    const acknowledged = await waitFor('acknowledged at the station', inState('acknowledged'));
    // The staff member's name, not the login.
    assert.equal((acknowledged.district as { acknowledgedBy?: string }).acknowledgedBy, 'Budi Santoso');
    const tile = (await service.getStatus()).tiles.find((each) => each.role === 'fingerprint');
    assert.equal(tile?.fault?.district.state, 'acknowledged', 'the board tile shows it too');
    assert.ok(faultsChanged.length > 0, 'the kiosk was told the fault list changed');

    await applyFaultAction(district.db, {
      stationId,
      faultId,
      action: { type: 'repair', assignee: 'Pak Joko', note: 'Kabel USB diganti besok pagi' },
      username: STAFF.admin,
      nowMs: Date.now(),
    });
    const assigned = await waitFor('technician assigned', inState('technician-assigned'));
    assert.equal((assigned.district as { assignee?: string }).assignee, 'Pak Joko');
    assert.equal(assigned.district.note, 'Kabel USB diganti besok pagi');

    // The technician replaces the cable; nothing at the station checks until the district asks.
    station.set('healthy');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal((await fault())?.closedAt, null, 'no check ran by itself');
    const checksBefore = agentEvents.filter((event) => event.type === 'check-started').length;
    const askedAt = Date.now();
    await applyFaultAction(district.db, {
      stationId,
      faultId,
      action: { type: 'verify' },
      username: STAFF.technician,
      nowMs: askedAt,
    });
    await waitFor('resolved at the district', async () => {
      const [row] = await district.db.query<{ state: string }>(
        'SELECT state FROM faults WHERE station_id = $1 AND fault_id = $2',
        [stationId, faultId],
      );
      return row?.state === 'resolved' ? true : undefined;
    });
    const verifyingChecks = agentEvents.filter((event) => event.type === 'check-started').slice(checksBefore);
    assert.ok(verifyingChecks.length >= 3, `${verifyingChecks.length} checks after the district asked`);
    assert.equal(verifyingChecks[0]!.mode, 'active', 'a person asked: the check may open devices');
    const resolvedMs = Date.now() - askedAt;
    assert.ok(resolvedMs < 5000, `resolved ${resolvedMs} ms after the district asked`);

    // Repaired, waiting for the district to verify and close: still listed, with that state.
    const repaired = await waitFor('repaired at the station', inState('resolved'));
    assert.notEqual(repaired.closedAt, null);
    const board = await service.getStatus();
    assert.equal(board.tiles.find((each) => each.role === 'fingerprint')?.fault, undefined);

    // The reply is bounded and holds only this station's faults.
    const listed = await districtFaults(district.db, stationId, Date.now());
    assert.deepEqual(
      listed.map((each) => [each.faultId, each.state]),
      [[faultId, 'resolved']],
    );
  } finally {
    unsubscribe();
    unsubscribeService();
    service.stop();
    await agent.stop();
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
