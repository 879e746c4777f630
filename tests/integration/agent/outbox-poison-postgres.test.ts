// One bad event among 1,000 must not block a station, with the real outbox, a real district over
// HTTP and a real PostgreSQL: an event the district refuses (400) and one it fails on (500, a
// district bug reproduced with a PostgreSQL trigger) are each found, parked with the reason, and
// the other 999 are delivered in seq order, each exactly once, within a bounded number of requests.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadIdentity } from '../../../electron/agent/identity';
import { Outbox } from '../../../electron/agent/outbox';
import type { StoredEvent } from '../../../electron/agent/store/store';
import { Store } from '../../../electron/agent/store/store';
import { startPostgres } from '../../helpers/postgres';
import type { TestPostgres } from '../../helpers/postgres';
import { enrollStation, startHttpDistrict } from '../../helpers/station-district';
import type { HttpDistrict } from '../../helpers/station-district';
import { heartbeatDraft } from '../../helpers/station-events';

let postgres: TestPostgres;
let district: HttpDistrict;

before(async () => {
  postgres = await startPostgres();
  district = await startHttpDistrict({ url: postgres.url, maxBatchesPerSecond: 1000 });
  // A district bug on one kind of event: storing a station.started from host RACUN fails (500).
  await district.db.run(`CREATE FUNCTION siaga_test_poison() RETURNS trigger AS $$
    BEGIN
      IF NEW.type = 'station.started' AND NEW.payload LIKE '%RACUN%' THEN
        RAISE EXCEPTION 'simulated district bug';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql`);
  await district.db.run(
    'CREATE TRIGGER siaga_test_poison BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION siaga_test_poison()',
  );
});
after(async () => {
  await district?.close();
  await postgres?.stop();
});

function started(hostname: string) {
  return {
    type: 'station.started' as const,
    occurredAt: new Date().toISOString(),
    payload: { appVersion: '0.1.0', platform: 'linux', hostname, expectedRoles: [] },
  };
}

for (const [kind, poison, reason] of [
  ['refused (400)', started('LOKET\u00071'), /payload\.hostname: control characters/],
  ['failed on (500)', started('RACUN'), /HTTP 500|internal/],
] as const) {
  test(`a poison event the district ${kind} in the middle of 1,000 is parked; the 999 others arrive once each, in order`, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-poison-1000-'));
    try {
      const stationId = await enrollStation(district, dataDir, `Loket 1000 ${kind}`);
      const store = Store.open(dataDir);
      const parked: { event: StoredEvent; reason: string }[] = [];
      let requests = 0;
      try {
        const at = new Date().toISOString();
        store.appendEvents(Array.from({ length: 500 }, (_, index) => heartbeatDraft(at, index)));
        store.appendEvents([poison]);
        store.appendEvents(Array.from({ length: 499 }, (_, index) => heartbeatDraft(at, 500 + index)));
        const identity = loadIdentity(dataDir)!;
        const outbox = new Outbox(store, () => identity, {
          policy: { baseBackoffMs: 1, maxBackoffMs: 5 },
          onParked: (event, why) => parked.push({ event, reason: why }),
        });
        while (store.pendingCount() > 0 && requests < 80) {
          requests++;
          const outcome = await outbox.sendBatch();
          if (outcome.kind === 'retry') {
            await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.waitMs, 200)));
          }
        }
        assert.equal(store.pendingCount(), 0, `the queue is not blocked after ${requests} requests`);
        assert.equal(parked.length, 1);
        assert.equal(parked[0]!.event.seq, 501);
        assert.match(parked[0]!.reason, reason);
        assert.equal(store.rejectedCount(), 1);
      } finally {
        store.close();
      }
      const stored = await district.events(stationId);
      assert.equal(stored.length, 999);
      assert.equal(new Set(stored.map((row) => row.id)).size, 999, 'each once');
      const seqs = stored.map((row) => Number(row.seq));
      assert.deepEqual(
        seqs,
        Array.from({ length: 1000 }, (_, index) => index + 1).filter((seq) => seq !== 501),
      );
      assert.ok(requests <= 40, `${requests} requests for 1,000 events`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
