// The district's service calendar in the database (districts.time_zone, district_settings,
// kecamatan_service_weeks, closed_days, each row per district): read whole for the board and the
// figures, changed by an admin through the dashboard (routes/api/dash/calendar.ts) or
// `siaga-district hours|closed-day|time-zone`. Every function takes the district (default: the
// default district of a district's own server).
import type { ClosedDay, ServiceCalendar, ServiceWeek, TimeZoneName } from '../../dash-api';
import {
  CLOSED_DAY_NOTE_MAX_LENGTH,
  ClosedDayNoteSchema,
  KECAMATAN_NAME_MAX_LENGTH,
  KecamatanNameSchema,
  ServiceWeekSchema,
  TimeZoneNameSchema,
} from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import { InvalidInputError, NotFoundError } from '../errors';
import type { Scope } from '../tenancy/scope';
import { DEFAULT_DISTRICT, districtScope, scopeCondition } from '../tenancy/scope';
import type { Calendar } from './service-hours';
import { DEFAULT_CALENDAR, DEFAULT_TIME_ZONE, DEFAULT_WEEK } from './service-hours';

const SERVICE_WEEK = 'service-week';

export async function loadCalendar(db: Db, district: string = DEFAULT_DISTRICT): Promise<Calendar> {
  return (await loadCalendars(db, districtScope(district))).get(district) ?? DEFAULT_CALENDAR;
}

/** The calendar of every district in the scope, by district code (four queries whatever their number). */
export async function loadCalendars(db: Db, scope: Scope): Promise<Map<string, Calendar>> {
  const select = async <Row>(columns: string, table: string, districtColumn: string): Promise<Row[]> => {
    const params: SqlValue[] = [];
    return db.query<Row>(
      `SELECT ${columns} FROM ${table} WHERE 1 = 1${scopeCondition(scope, districtColumn, params)}`,
      params,
    );
  };
  const districts = await select<{ code: string; time_zone: string }>('code, time_zone', 'districts', 'code');
  const settings = await select<{ district_code: string; name: string; value: string }>(
    'district_code, name, value',
    'district_settings',
    'district_code',
  );
  const weeks = await select<{ district_code: string; kecamatan: string; week: string }>(
    'district_code, kecamatan, week',
    'kecamatan_service_weeks',
    'district_code',
  );
  const closed = await select<{ district_code: string; day: string; kecamatan: string }>(
    'district_code, day, kecamatan',
    'closed_days',
    'district_code',
  );
  const calendars = new Map<string, Calendar>();
  for (const row of districts) {
    const timeZone = TimeZoneNameSchema.safeParse(row.time_zone);
    const week = settings.find((setting) => setting.district_code === row.code && setting.name === SERVICE_WEEK);
    calendars.set(row.code, {
      timeZone: timeZone.success ? timeZone.data : DEFAULT_TIME_ZONE,
      district: week === undefined ? DEFAULT_WEEK : ServiceWeekSchema.parse(JSON.parse(week.value)),
      kecamatan: new Map(),
      closedDays: new Map(),
    });
  }
  for (const row of weeks) {
    const calendar = calendars.get(row.district_code);
    (calendar?.kecamatan as Map<string, ServiceWeek> | undefined)?.set(
      row.kecamatan,
      ServiceWeekSchema.parse(JSON.parse(row.week)),
    );
  }
  for (const row of closed) {
    const closedDays = calendars.get(row.district_code)?.closedDays as Map<string, Set<string>> | undefined;
    if (closedDays !== undefined) {
      const days = closedDays.get(row.kecamatan) ?? new Set<string>();
      days.add(row.day);
      closedDays.set(row.kecamatan, days);
    }
  }
  return calendars;
}

/** GET /api/dash/calendar: the calendar as set, closed days by date. */
export async function serviceCalendar(db: Db, district: string = DEFAULT_DISTRICT): Promise<ServiceCalendar> {
  const calendar = await loadCalendar(db, district);
  const closed = await db.query<{ day: string; kecamatan: string; note: string }>(
    'SELECT day, kecamatan, note FROM closed_days WHERE district_code = $1 ORDER BY day, kecamatan',
    [district],
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

async function setSetting(
  db: Db,
  setting: { district: string; name: string; value: string | null; nowMs: number },
): Promise<void> {
  await db.run('DELETE FROM district_settings WHERE district_code = $1 AND name = $2', [
    setting.district,
    setting.name,
  ]);
  if (setting.value !== null) {
    await db.run(
      'INSERT INTO district_settings (district_code, name, value, updated_at) VALUES ($1, $2, $3, $4)',
      [setting.district, setting.name, setting.value, new Date(setting.nowMs).toISOString()],
    );
  }
}

export async function setTimeZone(
  db: Db,
  timeZone: TimeZoneName,
  _nowMs: number,
  district: string = DEFAULT_DISTRICT,
): Promise<void> {
  await db.run('UPDATE districts SET time_zone = $1 WHERE code = $2', [
    TimeZoneNameSchema.parse(timeZone),
    district,
  ]);
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
export async function checkKecamatan(db: Db, kecamatan: string, district: string): Promise<void> {
  const [station] = await db.query('SELECT id FROM stations WHERE kecamatan = $1 AND district_code = $2', [
    kecamatan,
    district,
  ]);
  if (station === undefined) {
    throw new NotFoundError(
      `no station in kecamatan ${kecamatan} (names are as in \`siaga-district stations\`)`,
    );
  }
}

/** The week of a kecamatan (null: the district's) or of the district; a null week returns to the default. */
export async function setServiceWeek(
  db: Db,
  input: { kecamatan: string | null; week: ServiceWeek | null; nowMs: number; district?: string },
): Promise<void> {
  const week = input.week === null ? null : JSON.stringify(ServiceWeekSchema.parse(input.week));
  const kecamatan = kecamatanName(input.kecamatan);
  const district = input.district ?? DEFAULT_DISTRICT;
  await db.transaction(async (transaction) => {
    if (kecamatan === null) {
      await setSetting(transaction, { district, name: SERVICE_WEEK, value: week, nowMs: input.nowMs });
      return;
    }
    await checkKecamatan(transaction, kecamatan, district);
    await transaction.run('DELETE FROM kecamatan_service_weeks WHERE district_code = $1 AND kecamatan = $2', [
      district,
      kecamatan,
    ]);
    if (week !== null) {
      await transaction.run(
        'INSERT INTO kecamatan_service_weeks (district_code, kecamatan, week, updated_at) VALUES ($1, $2, $3, $4)',
        [district, kecamatan, week, new Date(input.nowMs).toISOString()],
      );
    }
  });
}

/** Adds (or renames) a closed day: the district's holiday when kecamatan is null. */
export async function addClosedDay(
  db: Db,
  input: ClosedDay & { nowMs: number; district?: string },
): Promise<void> {
  const district = input.district ?? DEFAULT_DISTRICT;
  const named = kecamatanName(input.kecamatan);
  const note = ClosedDayNoteSchema.safeParse(input.note);
  if (!note.success) {
    throw new InvalidInputError(`a closed day's note is at most ${CLOSED_DAY_NOTE_MAX_LENGTH} characters`);
  }
  await db.transaction(async (transaction) => {
    if (named !== null) {
      await checkKecamatan(transaction, named, district);
    }
    const kecamatan = named ?? '';
    await transaction.run('DELETE FROM closed_days WHERE district_code = $1 AND day = $2 AND kecamatan = $3', [
      district,
      input.date,
      kecamatan,
    ]);
    await transaction.run(
      'INSERT INTO closed_days (district_code, day, kecamatan, note, created_at) VALUES ($1, $2, $3, $4, $5)',
      [district, input.date, kecamatan, note.data, new Date(input.nowMs).toISOString()],
    );
  });
}

export async function removeClosedDay(
  db: Db,
  input: { date: string; kecamatan: string | null; district?: string },
): Promise<void> {
  const kecamatan = kecamatanName(input.kecamatan);
  const removed = await db.run('DELETE FROM closed_days WHERE district_code = $1 AND day = $2 AND kecamatan = $3', [
    input.district ?? DEFAULT_DISTRICT,
    input.date,
    kecamatan ?? '',
  ]);
  if (removed === 0) {
    throw new NotFoundError(
      `no closed day ${input.date}${kecamatan === null ? ' for the district' : ` in ${kecamatan}`}`,
    );
  }
}
