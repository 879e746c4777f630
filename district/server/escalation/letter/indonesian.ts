// Dates, times and numbers as an Indonesian official letter writes them (Tata Naskah Dinas):
// "2 Desember 2026", "08.12 WIB", NIP in its four groups. Written out here, not through Intl, so
// a letter reads the same on every server whatever its ICU data. Pure.
import type { TimeZoneName } from '../../../dash-api';
import { offsetMsOf } from '../../calendar/service-hours';

export const MONTHS_ID = [
  'Januari',
  'Februari',
  'Maret',
  'April',
  'Mei',
  'Juni',
  'Juli',
  'Agustus',
  'September',
  'Oktober',
  'November',
  'Desember',
] as const;

const ROMAN_MONTHS = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X', 'XI', 'XII'] as const;

/** The local calendar parts of `atMs` in the district's zone (WIB, WITA, WIT have no daylight saving). */
export function localParts(
  atMs: number,
  timeZone: TimeZoneName,
): { year: number; month: number; day: number; hour: number; minute: number } {
  const local = new Date(atMs + offsetMsOf(timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/** `2 Desember 2026`. */
export function indonesianDate(atMs: number, timeZone: TimeZoneName): string {
  const { year, month, day } = localParts(atMs, timeZone);
  return `${day} ${MONTHS_ID[month - 1]} ${year}`;
}

/** `2 Desember 2026 pukul 08.12 WIB`. */
export function indonesianDateTime(atMs: number, timeZone: TimeZoneName): string {
  const { hour, minute } = localParts(atMs, timeZone);
  const clock = `${String(hour).padStart(2, '0')}.${String(minute).padStart(2, '0')}`;
  return `${indonesianDate(atMs, timeZone)} pukul ${clock} ${timeZone}`;
}

/** A `YYYY-MM-DD` calendar date as `5 Oktober 2026` (no time zone: it is a date already). */
export function indonesianDateOf(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${day} ${MONTHS_ID[month - 1]} ${year}`;
}

export const romanMonth = (month: number): string => ROMAN_MONTHS[month - 1];

const UNITS = [
  'nol',
  'satu',
  'dua',
  'tiga',
  'empat',
  'lima',
  'enam',
  'tujuh',
  'delapan',
  'sembilan',
  'sepuluh',
  'sebelas',
];

/** A whole number in words (terbilang), as letters write counts: 1 -> satu, 21 -> dua puluh satu. */
export function inWords(value: number): string {
  const n = Math.floor(Math.abs(value));
  if (n < 12) {
    return UNITS[n];
  }
  if (n < 20) {
    return `${UNITS[n - 10]} belas`;
  }
  if (n < 100) {
    return `${UNITS[Math.floor(n / 10)]} puluh${n % 10 === 0 ? '' : ` ${UNITS[n % 10]}`}`;
  }
  if (n < 200) {
    return `seratus${n === 100 ? '' : ` ${inWords(n - 100)}`}`;
  }
  if (n < 1000) {
    return `${UNITS[Math.floor(n / 100)]} ratus${n % 100 === 0 ? '' : ` ${inWords(n % 100)}`}`;
  }
  if (n < 2000) {
    return `seribu${n === 1000 ? '' : ` ${inWords(n - 1000)}`}`;
  }
  if (n < 1_000_000) {
    return `${inWords(Math.floor(n / 1000))} ribu${n % 1000 === 0 ? '' : ` ${inWords(n % 1000)}`}`;
  }
  return String(n);
}

/** An NIP of 18 digits in its groups: birth date, appointment month, sex, number (`19700101 199003 1 001`). */
export function formatNip(nip: string): string {
  const digits = nip.replace(/\s/g, '');
  if (!/^\d{18}$/.test(digits)) {
    return nip.trim();
  }
  return `${digits.slice(0, 8)} ${digits.slice(8, 14)} ${digits.slice(14, 15)} ${digits.slice(15)}`;
}
