// Late heartbeats for the figures' summary (figures/summary.ts): a heartbeat that changes a
// station's spans within a day already over marks its kecamatan late at a new generation, in the
// same transaction as the spans, so the summary rows computed before it are recomputed.
import type { TimeZoneName } from '../../dash-api';
import { localDay, OFFSET_MINUTES } from '../calendar/service-hours';
import type { Db } from '../db/types';

/**
 * A heartbeat stored this little before a midnight may meet a figures view on another process
 * that already counts the day as over (a request's length, with room): it is marked late too.
 */
export const LATE_MARGIN_MS = 5 * 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Called by recordHeartbeat for a heartbeat that changed a station's spans from `fromMs` on (the
 * district clock; `nowMs` the time it is stored). Does nothing unless a day over in some time
 * zone of the country may hold `fromMs`: at the rate of heartbeats this is almost always a no-op.
 */
export async function markLate(db: Db, stationId: string, fromMs: number, nowMs: number): Promise<void> {
  if (fromMs >= lateBefore(nowMs)) {
    return;
  }
  // The counter's row stays locked until this transaction commits: a figures view that read the
  // old value computed without this heartbeat, and its rows carry that older generation.
  await db.run('UPDATE figures_generation SET value = value + 1 WHERE id = 1');
  await db.run(
    `INSERT INTO figures_late (district_code, kecamatan, from_at, generation)
     SELECT s.district_code, s.kecamatan, $2, g.value FROM stations s, figures_generation g WHERE s.id = $1 AND g.id = 1
     ${KEEP_EARLIEST}`,
    [stationId, iso(fromMs)],
  );
}

/**
 * The time before which a change, stored at `nowMs`, may fall in a day already over in some time
 * zone of the country (the latest local midnight, with the margin): markLate does nothing from it on.
 */
export function lateBefore(nowMs: number): number {
  return Math.max(
    ...(Object.keys(OFFSET_MINUTES) as TimeZoneName[]).map(
      (zone) => localDay(nowMs + LATE_MARGIN_MS, zone).startMs,
    ),
  );
}

/** A mark keeps the earliest time changed and takes the newest generation. */
const KEEP_EARLIEST = `ON CONFLICT (district_code, kecamatan) DO UPDATE SET
       from_at = CASE WHEN excluded.from_at < figures_late.from_at THEN excluded.from_at ELSE figures_late.from_at END,
       generation = excluded.generation`;

/**
 * A station left `kecamatan` (a peer renamed it there): every row of that kecamatan computed so
 * far is stale. Its basis alone would not do: moved back, the kecamatan has the basis of its old
 * rows again, while a late heartbeat stored meanwhile marked only the kecamatan it was in then.
 */
export async function markLeft(db: Db, district: string, kecamatan: string): Promise<void> {
  await db.run('UPDATE figures_generation SET value = value + 1 WHERE id = 1');
  await db.run(
    `INSERT INTO figures_late (district_code, kecamatan, from_at, generation)
     SELECT $1, $2, $3, value FROM figures_generation WHERE id = 1
     ${KEEP_EARLIEST}`,
    [district, kecamatan, iso(0)],
  );
}
