// The chosen language (Bahasa Indonesia unless the user picked English; kept in localStorage by
// language-store.ts) and the dashboard's translator over the one vocabulary (protocol/i18n.ts).
import { createContext, useContext } from 'react';
import { translator } from '../../protocol/i18n';
import type { Language, Translator as TextTranslator } from '../../protocol/i18n';
import { formatClock, formatDateTime, formatMonth } from '../../protocol/local-time';

export { storedLanguage, storeLanguage } from './language-store';

export const LanguageContext = createContext<Language>('id');
/**
 * The IANA zone times are written in: undefined, the browser's own (the app); the server's first
 * view (first-view.tsx) names the district's, which the head script compared with the browser's.
 */
export const TimeZoneContext = createContext<string | undefined>(undefined);

export interface Translator {
  language: Language;
  t: TextTranslator<'dashboard'>;
  /** `2 Mar 2026, 07.42 WIB`: the browser's local time with its zone named. */
  time: (iso: string | null) => string;
  /** `07.42 WIB`. */
  clock: (iso: string) => string;
  /** `2026-01` as `Januari 2026`; `short`: `Jan 2026`. */
  month: (month: string, short?: boolean) => string;
  age: (hours: number) => string;
}

export function formatTime(language: Language, iso: string | null, timeZone?: string): string {
  return iso === null ? '—' : formatDateTime(language, iso, timeZone);
}

/** An age in hours as `5 jam` / `3 hari`. */
export function formatAge(t: TextTranslator<'dashboard'>, hours: number): string {
  return hours >= 48 ? `${Math.floor(hours / 24)} ${t('days')}` : `${Math.floor(hours)} ${t('hours')}`;
}

function makeTranslator(language: Language, timeZone?: string): Translator {
  const t = translator('dashboard', language);
  return {
    language,
    t,
    time: (iso) => formatTime(language, iso, timeZone),
    clock: (iso) => formatClock(language, iso, timeZone),
    month: (month, short) => formatMonth(language, month, short),
    age: (hours) => formatAge(t, hours),
  };
}

/** One translator per language, built once: a board of 1,000 rows asks for it in every row. */
const TRANSLATORS: Record<Language, Translator> = { id: makeTranslator('id'), en: makeTranslator('en') };

/** Translators in a named zone (the server's first view), by language and zone. */
const ZONED_TRANSLATORS = new Map<string, Translator>();

export function useTranslator(): Translator {
  const language = useContext(LanguageContext);
  const timeZone = useContext(TimeZoneContext);
  if (timeZone === undefined) {
    return TRANSLATORS[language];
  }
  const key = `${language} ${timeZone}`;
  let zoned = ZONED_TRANSLATORS.get(key);
  if (zoned === undefined) {
    zoned = makeTranslator(language, timeZone);
    ZONED_TRANSLATORS.set(key, zoned);
  }
  return zoned;
}
