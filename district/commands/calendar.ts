// `siaga-district hours`, `closed-day add|remove` and `time-zone`: the service calendar
// (calendar/store.ts), the same as an admin sets on the dashboard.
import { UsageError, writeLine } from '../../cli/command';
import type { ServiceWeek, Weekday } from '../dash-api';
import {
  LocalDateSchema,
  MAX_OPENING_RANGES_A_DAY,
  OpeningHoursSchema,
  TimeZoneNameSchema,
  WEEKDAYS,
} from '../dash-api';
import {
  addClosedDay,
  removeClosedDay,
  serviceCalendar,
  setServiceWeek,
  setTimeZone,
} from '../server/calendar/store';
import { defineCommand, noPositionals, onePositional, withDb } from './io';

/** Day names as an operator types them: English or Indonesian (Senin ... Minggu), three letters or whole. */
const DAY_NAMES: Record<Weekday, readonly string[]> = {
  mon: ['mon', 'monday', 'sen', 'senin'],
  tue: ['tue', 'tuesday', 'sel', 'selasa'],
  wed: ['wed', 'wednesday', 'rab', 'rabu'],
  thu: ['thu', 'thursday', 'kam', 'kamis'],
  fri: ['fri', 'friday', 'jum', 'jumat'],
  sat: ['sat', 'saturday', 'sab', 'sabtu'],
  sun: ['sun', 'sunday', 'min', 'minggu'],
};

/** A whole day name ("Jum'at" as "jumat"); a word that only starts like one ("monkey") is refused. */
function day(word: string): Weekday {
  const name = word.trim().toLowerCase().replace(/['’]/g, '');
  const found = WEEKDAYS.find((weekday) => DAY_NAMES[weekday].includes(name));
  if (found === undefined) {
    throw new UsageError(`unknown day ${word} (mon..sun or sen..min, e.g. "mon-fri 08:00-15:00")`);
  }
  return found;
}

/** "mon-fri 08:00-15:00; sat 08:00-12:00": days not named are closed; a text naming no day is refused. */
export function parseWeek(text: string): ServiceWeek {
  const week: ServiceWeek = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
  const parts = text
    .split(';')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '');
  if (parts.length === 0) {
    // An empty week would close every office for good: no silence would ever count.
    throw new UsageError(
      'give the days and hours, e.g. --set "mon-fri 08:00-15:00", or --default for Monday to Friday 08:00-15:00',
    );
  }
  for (const part of parts) {
    const [days, ...ranges] = part.split(/\s+/);
    if (/^\d/.test(days)) {
      throw new UsageError(`${part}: name the days before the hours, e.g. "mon-fri 08:00-15:00"`);
    }
    const hours = ranges
      .join('')
      .split(',')
      .filter((range) => range !== '');
    for (const range of hours) {
      const parsed = OpeningHoursSchema.safeParse(range);
      if (!parsed.success) {
        throw new UsageError(`${range}: ${parsed.error.issues[0].message}`);
      }
    }
    if (hours.length === 0) {
      throw new UsageError(`${part}: give the hours, e.g. "mon-fri 08:00-15:00"`);
    }
    for (const group of days.split(',')) {
      const [first, last] = group.split('-');
      const from = WEEKDAYS.indexOf(day(first));
      const to = last === undefined ? from : WEEKDAYS.indexOf(day(last));
      if (to < from) {
        throw new UsageError(`${group}: the days run from Monday to Sunday`);
      }
      for (const name of WEEKDAYS.slice(from, to + 1)) {
        week[name] = [...week[name], ...hours];
        if (week[name].length > MAX_OPENING_RANGES_A_DAY) {
          throw new UsageError(`${name}: at most ${MAX_OPENING_RANGES_A_DAY} opening ranges a day`);
        }
      }
    }
  }
  return week;
}

const formatWeek = (week: ServiceWeek): string =>
  WEEKDAYS.map((name) => `${name} ${week[name].length === 0 ? 'closed' : week[name].join(',')}`).join('  ');

export const hours = defineCommand({
  usage:
    'hours [--kecamatan NAME] [--set "mon-fri 08:00-15:00; sat 08:00-12:00" | --default] [--json]   service hours (district, or one kecamatan)',
  options: {
    kecamatan: { type: 'string' },
    set: { type: 'string' },
    default: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    if (values.set !== undefined && values.default) {
      throw new UsageError('--set and --default exclude each other');
    }
    const week = values.set === undefined ? null : parseWeek(values.set);
    const calendar = await withDb(values, async (db) => {
      if (week !== null || values.default) {
        await setServiceWeek(db, { kecamatan: values.kecamatan ?? null, week, nowMs: Date.now() });
      }
      return serviceCalendar(db);
    });
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(calendar, null, 2));
      return 0;
    }
    writeLine(io.stdout, `time zone ${calendar.timeZone}`);
    writeLine(io.stdout, `district: ${formatWeek(calendar.district)}`);
    for (const entry of calendar.kecamatan) {
      writeLine(io.stdout, `${entry.name}: ${formatWeek(entry.week)}`);
    }
    for (const closed of calendar.closedDays) {
      writeLine(
        io.stdout,
        `closed ${closed.date} ${closed.kecamatan ?? '(district)'} ${closed.note}`.trimEnd(),
      );
    }
    return 0;
  },
});

const dateOf = (positionals: string[]): string => {
  const date = onePositional(positionals, 'DATE (YYYY-MM-DD)');
  if (!LocalDateSchema.safeParse(date).success) {
    throw new UsageError(`${date} is not a date YYYY-MM-DD`);
  }
  return date;
};

export const closedDayAdd = defineCommand({
  usage:
    'closed-day add DATE [--kecamatan NAME] [--note TEXT]   a holiday (or one office closed), YYYY-MM-DD',
  options: { kecamatan: { type: 'string' }, note: { type: 'string', default: '' } },
  run: async ({ values, positionals }, io) => {
    const date = dateOf(positionals);
    const kecamatan = values.kecamatan ?? null;
    await withDb(values, (db) => addClosedDay(db, { date, kecamatan, note: values.note, nowMs: Date.now() }));
    writeLine(io.stdout, `closed ${date} ${kecamatan ?? '(district)'}`);
    return 0;
  },
});

export const closedDayRemove = defineCommand({
  usage: 'closed-day remove DATE [--kecamatan NAME]',
  options: { kecamatan: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    const date = dateOf(positionals);
    const kecamatan = values.kecamatan ?? null;
    await withDb(values, (db) => removeClosedDay(db, { date, kecamatan }));
    writeLine(io.stdout, `open again ${date} ${kecamatan ?? '(district)'}`);
    return 0;
  },
});

export const timeZone = defineCommand({
  usage: 'time-zone [WIB|WITA|WIT]   shows, or sets, the district time zone',
  options: {},
  run: async ({ values, positionals }, io) => {
    if (positionals.length > 1) {
      throw new UsageError(`takes one time zone, got ${positionals.join(' ')}`);
    }
    const wanted = positionals[0];
    const parsed = wanted === undefined ? null : TimeZoneNameSchema.safeParse(wanted.toUpperCase());
    if (parsed !== null && !parsed.success) {
      throw new UsageError(`${wanted}: the time zone is WIB, WITA or WIT`);
    }
    const calendar = await withDb(values, async (db) => {
      if (parsed !== null && parsed.success) {
        await setTimeZone(db, parsed.data, Date.now());
      }
      return serviceCalendar(db);
    });
    writeLine(io.stdout, calendar.timeZone);
    return 0;
  },
});
