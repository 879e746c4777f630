// The chosen language (Bahasa Indonesia unless the user picked English; kept in localStorage) and
// the dashboard's translator over the one vocabulary (protocol/i18n.ts).
import { createContext, useContext } from 'react';
import { translator } from '../../protocol/i18n';
import type { Language, Translator as TextTranslator } from '../../protocol/i18n';
import { formatClock, formatDateTime, formatMonth } from '../../protocol/local-time';

export const LanguageContext = createContext<Language>('id');

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

export function formatTime(language: Language, iso: string | null): string {
  return iso === null ? '—' : formatDateTime(language, iso);
}

/** An age in hours as `5 jam` / `3 hari`. */
export function formatAge(t: TextTranslator<'dashboard'>, hours: number): string {
  return hours >= 48 ? `${Math.floor(hours / 24)} ${t('days')}` : `${Math.floor(hours)} ${t('hours')}`;
}

function makeTranslator(language: Language): Translator {
  const t = translator('dashboard', language);
  return {
    language,
    t,
    time: (iso) => formatTime(language, iso),
    clock: (iso) => formatClock(language, iso),
    month: (month, short) => formatMonth(language, month, short),
    age: (hours) => formatAge(t, hours),
  };
}

/** One translator per language, built once: a board of 1,000 rows asks for it in every row. */
const TRANSLATORS: Record<Language, Translator> = { id: makeTranslator('id'), en: makeTranslator('en') };

export function useTranslator(): Translator {
  return TRANSLATORS[useContext(LanguageContext)];
}

export function storedLanguage(): Language {
  return window.localStorage.getItem('siaga.language') === 'en' ? 'en' : 'id';
}

export function storeLanguage(language: Language): void {
  window.localStorage.setItem('siaga.language', language);
}
