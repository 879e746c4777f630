// Times as people in Indonesia read them: the local clock with its zone named WIB, WITA or WIT (the
// names are used in English too), and months by name. Shared by the dashboard and both CLIs. Pure:
// Intl only. `timeZone` is an IANA zone (e.g. `Asia/Jakarta`); undefined means the machine's own.
import type { Language } from './i18n';

const LOCALES: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };
/** Indonesia's three zones by their offset from UTC in minutes. */
const INDONESIAN_ZONES: Record<number, string> = { 420: 'WIB', 480: 'WITA', 540: 'WIT' };

/**
 * Intl.DateTimeFormat objects are slow to build (a board formats thousands of times), so each
 * (use, locale, zone) is built once, under a key its caller names (no JSON of the options per call).
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function cachedFormat(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const fullKey = `${key}|${locale}|${options.timeZone ?? ''}`;
  let format = formats.get(fullKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(fullKey, format);
  }
  return format;
}

/**
 * Offsets by zone and quarter hour: a zone's offset changes only at an instant on a UTC quarter
 * hour (offsets are whole quarter hours, transitions at whole local minutes of the hour such as
 * 02:00), so one formatToParts per quarter hour serves every time in it. Bounded: cleared when full.
 */
const QUARTER_HOUR_MS = 15 * 60_000;
const offsets = new Map<string, number>();
const OFFSETS_KEPT = 10_000;

/** Minutes east of UTC of `timeZone` at `date`. */
function offsetMinutes(date: Date, timeZone: string | undefined): number {
  const key = `${timeZone ?? ''}|${Math.floor(date.getTime() / QUARTER_HOUR_MS)}`;
  const known = offsets.get(key);
  if (known !== undefined) {
    return known;
  }
  const parts = cachedFormat('offset', 'en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(date);
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const asUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  const offset = Math.round((asUtc - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000);
  if (offsets.size >= OFFSETS_KEPT) {
    offsets.clear();
  }
  offsets.set(key, offset);
  return offset;
}

/** `WIB`, `WITA`, `WIT`, or `UTC+5:30` style for any other zone. */
export function zoneLabel(date: Date, timeZone?: string): string {
  const offset = offsetMinutes(date, timeZone);
  const known = INDONESIAN_ZONES[offset];
  if (known !== undefined) {
    return known;
  }
  const sign = offset < 0 ? '-' : '+';
  const hours = Math.floor(Math.abs(offset) / 60);
  const minutes = Math.abs(offset) % 60;
  return `UTC${sign}${hours}${minutes === 0 ? '' : `:${String(minutes).padStart(2, '0')}`}`;
}

/** `07.42 WIB` (id) or `07:42 WIB` (en). */
export function formatClock(language: Language, iso: string, timeZone?: string): string {
  const date = new Date(iso);
  const clock = cachedFormat('clock', LOCALES[language], {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(date);
  return `${clock} ${zoneLabel(date, timeZone)}`;
}

/** `23 Nov 2026 14.05 WIB` (id) or `23 Nov 2026, 14:05 WIB` (en). */
export function formatDateTime(language: Language, iso: string, timeZone?: string): string {
  const date = new Date(iso);
  const text = cachedFormat('date-time', LOCALES[language], {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(date);
  return `${text} ${zoneLabel(date, timeZone)}`;
}

/** A `YYYY-MM` month as `Januari 2026` (id) or `January 2026` (en); `short` gives `Jan 2026`. */
export function formatMonth(language: Language, month: string, short = false): string {
  const [year, number] = month.split('-').map(Number);
  return cachedFormat(short ? 'month-short' : 'month', LOCALES[language], {
    timeZone: 'UTC',
    month: short ? 'short' : 'long',
    year: 'numeric',
  }).format(new Date(Date.UTC(year, number - 1, 1)));
}
