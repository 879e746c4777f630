// Times as people in Indonesia read them: the local clock with its zone named WIB, WITA or WIT (the
// names are used in English too), and months by name. Shared by the dashboard and both CLIs. Pure:
// Intl only. `timeZone` is an IANA zone (e.g. `Asia/Jakarta`); undefined means the machine's own.
import type { Language } from './i18n';

const LOCALES: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };
/** Indonesia's three zones by their offset from UTC in minutes. */
const INDONESIAN_ZONES: Record<number, string> = { 420: 'WIB', 480: 'WITA', 540: 'WIT' };

/**
 * Intl.DateTimeFormat objects are slow to build (a board formats thousands of times), so each
 * (locale, zone, style) is built once.
 */
const formats = new Map<string, Intl.DateTimeFormat>();
function cachedFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, options);
    formats.set(key, format);
  }
  return format;
}

/** Minutes east of UTC of `timeZone` at `date`. */
function offsetMinutes(date: Date, timeZone: string | undefined): number {
  const parts = cachedFormat('en-US', {
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
  return Math.round((asUtc - Math.floor(date.getTime() / 60_000) * 60_000) / 60_000);
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
  const clock = cachedFormat(LOCALES[language], {
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
  const text = cachedFormat(LOCALES[language], {
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
  return cachedFormat(LOCALES[language], {
    timeZone: 'UTC',
    month: short ? 'short' : 'long',
    year: 'numeric',
  }).format(new Date(Date.UTC(year, number - 1, 1)));
}
