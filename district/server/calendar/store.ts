// The district's service calendar in the database (district_settings, kecamatan_service_weeks,
// closed_days): read whole for the board and the figures, changed by an admin through the
// dashboard (routes/api/dash/calendar.ts) or `siaga-district hours|closed-day|time-zone`.
import type { ClosedDay, ServiceCalendar, ServiceWeek, TimeZoneName } from '../../dash-api';
import {
  CLOSED_DAY_NOTE_MAX_LENGTH,
  ClosedDayNoteSchema,
  KECAMATAN_NAME_MAX_LENGTH,
  KecamatanNameSchema,
  ServiceWeekSchema,
  TimeZoneNameSchema,
} from '../../dash-api';
import type { Db } from '../db/types';
import { InvalidInputError, NotFoundError } from '../errors';
import type { Calendar } from './service-hours';
import { DEFAULT_TIME_ZONE, DEFAULT_WEEK } from './service-hours';

const TIME_ZONE = 'time-zone';
const SERVICE_WEEK = 'service-week';

export async function loadCalendar(db: Db): Promise<Calendar> {
  const settings = new Map(
    (await db.query<{ name: string; value: string }>('SELECT name, value FROM district_settings')).map(
      (row) => [row.name, row.value],
    ),
  );
  const weeks = await db.query<{ kecamatan: string; week: string }>(
    'SELECT kecamatan, week FROM kecamatan_service_weeks',
  );
  const closedDays = new Map<string, Set<string>>();
  for (const row of await db.query<{ day: string; kecamatan: string }>(
    'SELECT day, kecamatan FROM closed_days',
  )) {
    const days = closedDays.get(row.kecamatan) ?? new Set<string>();
    days.add(row.day);
    closedDays.set(row.kecamatan, days);
  }
  const timeZone = TimeZoneNameSchema.safeParse(settings.get(TIME_ZONE));
  const districtWeek = settings.get(SERVICE_WEEK);
  return {
    timeZone: timeZone.success ? timeZone.data : DEFAULT_TIME_ZONE,
    district: districtWeek === undefined ? DEFAULT_WEEK : ServiceWeekSchema.parse(JSON.parse(districtWeek)),
    kecamatan: new Map(weeks.map((row) => [row.kecamatan, ServiceWeekSchema.parse(JSON.parse(row.week))])),
    closedDays,
  };
}

/** GET /api/dash/calendar: the calendar as set, closed days by date. */
export async function serviceCalendar(db: Db): Promise<ServiceCalendar> {
  const calendar = await loadCalendar(db);
  const closed = await db.query<{ day: string; kecamatan: string; note: string }>(
    'SELECT day, kecamatan, note FROM closed_days ORDER BY day, kecamatan',
  );
  return {
    timeZone: calendar.timeZone,
    district: calendar.district,
    kecamatan: [...calendar.kecamatan]
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([name, week]) => ({ name, week })),
    closedDays: closed.map((row): ClosedDay => ({
      date: row.day,
      kecamatan: row.kecamatan === '' ? null : row.kecamatan,
      note: row.note,
    })),
  };
}

async function setSetting(db: Db, name: string, value: string | null, nowMs: number): Promise<void> {
  await db.run('DELETE FROM district_settings WHERE name = $1', [name]);
  if (value !== null) {
    await db.run('INSERT INTO district_settings (name, value, updated_at) VALUES ($1, $2, $3)', [
      name,
      value,
      new Date(nowMs).toISOString(),
    ]);
  }
}

export async function setTimeZone(db: Db, timeZone: TimeZoneName, nowMs: number): Promise<void> {
  await db.transaction((transaction) => setSetting(transaction, TIME_ZONE, timeZone, nowMs));
}

/**
 * The kecamatan as typed (on the command line too), held to the dashboard's rule: trimmed, 1 to
 * 100 characters; null is the district.
 */
function kecamatanName(kecamatan: string | null): string | null {
  if (kecamatan === null) {
    return null;
  }
  const parsed = KecamatanNameSchema.safeParse(kecamatan);
  if (!parsed.success) {
    throw new InvalidInputError(`a kecamatan name is 1 to ${KECAMATAN_NAME_MAX_LENGTH} characters`);
  }
  return parsed.data;
}

/** A kecamatan named in a setting must have a station: a misspelt name would otherwise change nothing. */
export async function checkKecamatan(db: Db, kecamatan: string): Promise<void> {
  const [station] = await db.query('SELECT id FROM stations WHERE kecamatan = $1', [kecamatan]);
  if (station === undefined) {
    throw new NotFoundError(
      `no station in kecamatan ${kecamatan} (names are as in \`siaga-district stations\`)`,
    );
  }
}

/** The week of a kecamatan (null: the district's) or of the district; a null week returns to the default. */
export async function setServiceWeek(
  db: Db,
  input: { kecamatan: string | null; week: ServiceWeek | null; nowMs: number },
): Promise<void> {
  const week = input.week === null ? null : JSON.stringify(ServiceWeekSchema.parse(input.week));
  const kecamatan = kecamatanName(input.kecamatan);
  await db.transaction(async (transaction) => {
    if (kecamatan === null) {
      await setSetting(transaction, SERVICE_WEEK, week, input.nowMs);
      return;
    }
    await checkKecamatan(transaction, kecamatan);
    await transaction.run('DELETE FROM kecamatan_service_weeks WHERE kecamatan = $1', [kecamatan]);
    if (week !== null) {
      await transaction.run(
        'INSERT INTO kecamatan_service_weeks (kecamatan, week, updated_at) VALUES ($1, $2, $3)',
        [kecamatan, week, new Date(input.nowMs).toISOString()],
      );
    }
  });
}

/** Adds (or renames) a closed day: the district's holiday when kecamatan is null. */
export async function addClosedDay(db: Db, input: ClosedDay & { nowMs: number }): Promise<void> {
  const named = kecamatanName(input.kecamatan);
  const note = ClosedDayNoteSchema.safeParse(input.note);
  if (!note.success) {
    throw new InvalidInputError(`a closed day's note is at most ${CLOSED_DAY_NOTE_MAX_LENGTH} characters`);
  }
  await db.transaction(async (transaction) => {
    if (named !== null) {
      await checkKecamatan(transaction, named);
    }
    const kecamatan = named ?? '';
    await transaction.run('DELETE FROM closed_days WHERE day = $1 AND kecamatan = $2', [
      input.date,
      kecamatan,
    ]);
    await transaction.run(
      'INSERT INTO closed_days (day, kecamatan, note, created_at) VALUES ($1, $2, $3, $4)',
      [input.date, kecamatan, note.data, new Date(input.nowMs).toISOString()],
    );
  });
}

export async function removeClosedDay(
  db: Db,
  input: { date: string; kecamatan: string | null },
): Promise<void> {
  const kecamatan = kecamatanName(input.kecamatan);
  const removed = await db.run('DELETE FROM closed_days WHERE day = $1 AND kecamatan = $2', [
    input.date,
    kecamatan ?? '',
  ]);
  if (removed === 0) {
    throw new NotFoundError(
      `no closed day ${input.date}${kecamatan === null ? ' for the district' : ` in ${kecamatan}`}`,
    );
  }
}
