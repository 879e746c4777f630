// A database damaged while the agent runs (pages overwritten on disk) is noticed by the periodic
// quick_check within its interval, replaced by a fresh store and reported; the district then closes
// the faults the station no longer has ("closed by reconciliation") from the next heartbeat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { STORE_FILE } from '../../../electron/agent/store/store';
import { faultHistory } from '../../../district/server/faults/history';
import { createSimulatedAgent, waitFor } from '../../helpers/agent';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';

const INTEGRITY_CHECK_MS = 1_000;

/** Overwrites every page but the first (the header and schema) with random bytes, as a failing disk would. */
function overwritePages(file: string): void {
  const pageSize = 4096;
  const size = statSync(file).size;
  const handle = openSync(file, 'r+');
  try {
    for (let offset = pageSize; offset < size; offset += pageSize) {
      writeSync(handle, randomBytes(pageSize), 0, pageSize, offset);
    }
  } finally {
    closeSync(handle);
  }
}

test('pages overwritten under a running agent: PC_DATABASE_CORRUPT within the interval, fresh store, district reconciled', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-agent-corrupt-live-'));
  const district = await startHttpDistrict();
  const { agent } = createSimulatedAgent(dataDir, 'fingerprint-missing', {
    schedule: {
      passiveIntervalMs: 60_000,
      heartbeatIntervalMs: 300,
      confirmDelayMs: 50,
      enrollmentPollMs: 50,
      integrityCheckMs: INTEGRITY_CHECK_MS,
    },
    deliveryPolicy: { baseBackoffMs: 50, maxBackoffMs: 500 },
  });
  try {
    const stationId = await enrollStation(district, dataDir);
    await agent.start();
    const openAtDistrict = async (code: string) =>
      (
        await district.db.query<{ fault_id: string; state: string }>(
          `SELECT fault_id, state FROM faults WHERE station_id = $1 AND code = $2 ORDER BY opened_at`,
          [stationId, code],
        )
      ).filter((row) => row.state === 'open');
    const [before] = await waitFor('FINGERPRINT_MISSING open at the district', async () => {
      const rows = await openAtDistrict('FINGERPRINT_MISSING');
      return rows.length > 0 ? rows : undefined;
    });
    // Wait for the queue to drain so the whole old store is on disk, then make the disk fail under it.
    await waitFor('outbox drained', () => (agent.status().outboxPending === 0 ? true : undefined));
    agent.currentStore!.db.pragma('wal_checkpoint(TRUNCATE)');
    overwritePages(path.join(dataDir, STORE_FILE));
    const damagedAt = Date.now();
    const local = await waitFor(
      'PC_DATABASE_CORRUPT in the fresh store',
      () => agent.currentStore?.listFaults().find((fault) => fault.code === 'PC_DATABASE_CORRUPT'),
      INTEGRITY_CHECK_MS * 10,
    );
    assert.ok(Date.now() - damagedAt < INTEGRITY_CHECK_MS * 5, 'noticed within a few intervals');
    assert.equal(local.resolvedAt, null);
    assert.ok(
      readdirSync(dataDir).some((name) => name.startsWith(`${STORE_FILE}.corrupt-`)),
      'the damaged file is kept aside',
    );
    assert.ok(existsSync(path.join(dataDir, STORE_FILE)));
    await waitFor('PC_DATABASE_CORRUPT at the district', async () => {
      const rows = await openAtDistrict('PC_DATABASE_CORRUPT');
      return rows.length > 0 ? rows : undefined;
    });
    // The old fingerprint fault was lost with the old store: the station opens a new one, and the
    // district closes the old one from the heartbeat instead of keeping it open forever.
    const closed = await waitFor('the old fault closed by reconciliation', async () => {
      const [row] = await district.db.query<{ state: string }>(
        'SELECT state FROM faults WHERE station_id = $1 AND fault_id = $2',
        [stationId, before!.fault_id],
      );
      return row?.state === 'closed' ? row : undefined;
    });
    assert.equal(closed.state, 'closed');
    const history = await faultHistory(district.db, stationId, before!.fault_id);
    const last = history.at(-1)!;
    assert.equal(last.kind, 'closed');
    assert.equal(last.actor, null);
    assert.equal(last.detail.reason, 'reconciliation');
    // What the station still has stays open at the district.
    const openIds = (await openAtDistrict('PC_DATABASE_CORRUPT')).map((row) => row.fault_id);
    assert.deepEqual(openIds, [local.faultId]);
    const stationOpen = new Set(agent.currentStore!.listFaults().map((fault) => fault.faultId));
    const districtActive = await district.db.query<{ fault_id: string }>(
      `SELECT fault_id FROM faults WHERE station_id = $1 AND state IN ('open', 'acknowledged', 'in-repair')`,
      [stationId],
    );
    for (const row of districtActive) {
      assert.ok(stationOpen.has(row.fault_id), `${row.fault_id} open at the district is open at the station`);
    }
  } finally {
    await agent.stop();
    await district.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
