// The letter number (nomor surat) from the district's pattern, e.g. `470/{n}/Disdukcapil/{year}`
// -> `470/12/Disdukcapil/2026`. `{n}` is the running number of the letter within its year, kept
// by register.ts so that no number is given twice. Pure.
import type { TimeZoneName } from '../../../dash-api';
import { localParts, romanMonth } from './indonesian';

/** The pattern filled in for letter `n` issued at `atMs` (the year and month are local). */
export function letterNumber(pattern: string, n: number, atMs: number, timeZone: TimeZoneName): string {
  const { year, month } = localParts(atMs, timeZone);
  const values: Record<string, string> = {
    '{n}': String(n),
    '{year}': String(year),
    '{month}': String(month).padStart(2, '0'),
    '{roman}': romanMonth(month),
  };
  return pattern.replace(/\{(n|year|month|roman)\}/g, (token) => values[token]);
}

/** The local year a letter issued at `atMs` is numbered in. */
export const letterYear = (atMs: number, timeZone: TimeZoneName): number => localParts(atMs, timeZone).year;
