// The figures page: hours each kecamatan could not record (this month and the months before),
// and mean times to acknowledge and to repair. Months are calendar months in the district's local
// time (WIB, UTC+7, unless told otherwise).
import type { Figures, MonthFigures } from '../../dash-api';
import type { Db } from '../db/types';
import { kecamatanUnableHours, unableIntervals } from './availability';

export const WIB_OFFSET_MINUTES = 7 * 60;

export type { Figures, MonthFigures } from '../../dash-api';

/** [start, end) in ms of the local calendar month `monthsBack` before the one holding `nowMs`. */
export function monthRange(
  nowMs: number,
  monthsBack: number,
  offsetMinutes: number,
): { month: string; fromMs: number; toMs: number } {
  const offsetMs = offsetMinutes * 60_000;
  const local = new Date(nowMs + offsetMs);
  const start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - monthsBack, 1);
  const end = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - monthsBack + 1, 1);
  const startDate = new Date(start);
  const month = `${startDate.getUTCFullYear()}-${String(startDate.getUTCMonth() + 1).padStart(2, '0')}`;
  return { month, fromMs: start - offsetMs, toMs: end - offsetMs };
}

export async function figures(
  db: Db,
  options: { nowMs: number; windowMs: number; months?: number; offsetMinutes?: number },
): Promise<Figures> {
  const count = options.months ?? 6;
  const offset = options.offsetMinutes ?? WIB_OFFSET_MINUTES;
  const kecamatan = (
    await db.query<{ kecamatan: string }>('SELECT DISTINCT kecamatan FROM stations ORDER BY kecamatan')
  ).map((row) => row.kecamatan);
  const months: MonthFigures[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const range = monthRange(options.nowMs, back, offset);
    const toMs = Math.min(range.toMs, options.nowMs);
    const hours = kecamatanUnableHours(await unableIntervals(db, range.fromMs, toMs, options.windowMs));
    const [times] = await db.query<{
      opened: number | string;
      acknowledged: number | string | null;
      repaired: number | string | null;
    }>(
      `SELECT COUNT(*) AS opened,
         AVG(CASE WHEN acknowledged_at IS NOT NULL THEN ${hoursBetween(db, 'first_seen', 'acknowledged_at')} END) AS acknowledged,
         AVG(CASE WHEN resolved_at IS NOT NULL THEN ${hoursBetween(db, 'first_seen', 'resolved_at')} END) AS repaired
       FROM faults WHERE first_seen >= $1 AND first_seen < $2`,
      [new Date(range.fromMs).toISOString(), new Date(range.toMs).toISOString()],
    );
    months.push({
      month: range.month,
      hoursUnable: Object.fromEntries(kecamatan.map((name) => [name, round(hours.get(name) ?? 0)])),
      faultsOpened: Number(times.opened),
      meanHoursToAcknowledge: times.acknowledged === null ? null : round(Number(times.acknowledged)),
      meanHoursToRepair: times.repaired === null ? null : round(Number(times.repaired)),
    });
  }
  return { generatedAt: new Date(options.nowMs).toISOString(), kecamatan, months };
}

/** Hours between two ISO-8601 TEXT columns: the one expression that differs between the engines. */
function hoursBetween(db: Db, fromColumn: string, toColumn: string): string {
  return db.dialect === 'postgres'
    ? `EXTRACT(EPOCH FROM (${toColumn}::timestamptz - ${fromColumn}::timestamptz)) / 3600.0`
    : `(julianday(${toColumn}) - julianday(${fromColumn})) * 24.0`;
}

const round = (value: number): number => Math.round(value * 10) / 10;
