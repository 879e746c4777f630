// The local day of escalation, per district: each district's daily cap of single messages counts
// its own local day and its digest goes out at `digestHour` of its own clock. A district's clock is
// its calendar's time zone (WIB, WITA, WIT: fixed offsets, no daylight saving time); the only
// exception is the default district when the --escalation file writes `utcOffsetMinutes`: the file
// is that district's set (as its rules and contacts are), so a district on its own server keeps the
// clock it had before escalation timing was per district.
import type { Scope } from '../../dash-api';
import { TimeZoneNameSchema } from '../../dash-api';
import { localDayAtOffset, OFFSET_MINUTES } from '../calendar/service-hours';
import type { Db, SqlValue } from '../db/types';
import { DEFAULT_DISTRICT, scopeCondition } from '../tenancy/scope';
import type { EscalationConfig } from './config';

/** WIB: the offset of a file that writes none and of a district the database does not know. */
const DEFAULT_OFFSET_MINUTES = OFFSET_MINUTES.WIB;

export interface LocalDay {
  startMs: number;
  digestMs: number;
  /** `YYYY-MM-DD`, local. */
  date: string;
}

/**
 * Start of the local day holding `nowMs`, and that day's digest time, in ms; local time is UTC plus
 * `utcOffsetMinutes` (default: the file's, else WIB).
 */
export function localDay(
  nowMs: number,
  config: Pick<EscalationConfig, 'digestHour' | 'utcOffsetMinutes'>,
  utcOffsetMinutes: number = config.utcOffsetMinutes ?? DEFAULT_OFFSET_MINUTES,
): LocalDay {
  const { date, startMs } = localDayAtOffset(nowMs, utcOffsetMinutes * 60_000);
  return { startMs, digestMs: startMs + config.digestHour * 3_600_000, date };
}

/** Each district's offset from UTC in minutes, for the districts of `scope` (default: all). */
export async function districtOffsets(
  db: Db,
  config: EscalationConfig,
  scope?: Scope,
): Promise<Map<string, number>> {
  const params: SqlValue[] = [];
  const rows = await db.query<{ code: string; time_zone: string }>(
    `SELECT code, time_zone FROM districts WHERE 1 = 1${scopeCondition(scope, 'code', params)}`,
    params,
  );
  const offsets = new Map<string, number>();
  for (const row of rows) {
    const zone = TimeZoneNameSchema.safeParse(row.time_zone);
    const calendarOffset = zone.success ? OFFSET_MINUTES[zone.data] : DEFAULT_OFFSET_MINUTES;
    const fileOffset = row.code === DEFAULT_DISTRICT ? config.utcOffsetMinutes : undefined;
    offsets.set(row.code, fileOffset ?? calendarOffset);
  }
  return offsets;
}

/** The local day of `district` at `nowMs` (a district missing from `offsets`: WIB). */
export const districtDay = (
  nowMs: number,
  config: EscalationConfig,
  offsets: ReadonlyMap<string, number>,
  district: string,
): LocalDay => localDay(nowMs, config, offsets.get(district) ?? DEFAULT_OFFSET_MINUTES);
