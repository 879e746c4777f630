// Bench: 100k queued events drained after the link returns, the district verifying every signature.
// Default delivery policy and default district limits (10 batches/s per station). Goal <= 30 s.
// usage: node --import tsx bench/delivery-drain.ts [EVENTS]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadIdentity } from '../electron/agent/identity';
import { Outbox } from '../electron/agent/outbox';
import { Store } from '../electron/agent/store/store';
import { enrollStation, startHttpDistrict } from '../tests/helpers/station-district';

const total = Number(process.argv[2] ?? 100_000);
const dataDir = mkdtempSync(path.join(tmpdir(), 'siaga-bench-drain-'));
const district = await startHttpDistrict();
try {
  const stationId = await enrollStation(district, dataDir);
  const store = Store.open(dataDir);
  const fillStarted = performance.now();
  const chunk = 10_000;
  for (let offset = 0; offset < total; offset += chunk) {
    store.appendEvents(
      Array.from({ length: Math.min(chunk, total - offset) }, (_, index) => ({
        type: 'fault.updated' as const,
        occurredAt: new Date(Date.now() - (total - offset - index) * 6000).toISOString(),
        faultId: `f-bench-${(offset + index) % 500}`,
        payload: {
          faultId: `f-bench-${(offset + index) % 500}`,
          role: 'ups' as const,
          device: null,
          code: 'UPS_ON_BATTERY',
          severity: 'major' as const,
          status: 'fault' as const,
          message: { id: 'UPS memakai baterai', en: 'UPS on battery' },
          firstSeen: new Date().toISOString(),
          lastSeen: new Date().toISOString(),
          occurrences: offset + index + 1,
          flapping: false,
          recurring: false,
        },
      })),
    );
  }
  const fillMs = performance.now() - fillStarted;
  const identity = loadIdentity(dataDir);
  const outbox = new Outbox(store, () => identity);
  const started = performance.now();
  let requests = 0;
  let rateLimited = 0;
  for (;;) {
    const outcome = await outbox.sendBatch();
    requests++;
    if (outcome.kind === 'idle') {
      break;
    }
    if (outcome.kind === 'retry') {
      rateLimited += outcome.reason.startsWith('rate-limited') ? 1 : 0;
      if (!outcome.reason.startsWith('rate-limited')) {
        throw new Error(outcome.reason);
      }
    }
    const waitMs = outcome.kind === 'delivered' || outcome.kind === 'retry' ? outcome.waitMs : 0;
    if (waitMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
  const drainMs = performance.now() - started;
  const stored = Number(
    (
      await district.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM events WHERE station_id = $1', [
        stationId,
      ])
    )[0]!.n,
  );
  store.close();
  console.log(
    `queued ${total} events in ${fillMs.toFixed(0)} ms (store ${(store.sizeBytes() / 1024 / 1024).toFixed(1)} MB)`,
  );
  console.log(
    `drained ${stored} events in ${(drainMs / 1000).toFixed(2)} s (goal <= 30 s): ${((stored / drainMs) * 1000).toFixed(0)} events/s, ${requests - 1} requests, ${rateLimited} rate-limited (Retry-After honoured)`,
  );
  if (stored !== total) {
    throw new Error(`district stored ${stored} of ${total}`);
  }
} finally {
  await district.close();
  rmSync(dataDir, { recursive: true, force: true });
}
