// The chosen language (Bahasa Indonesia unless the user picked English; kept in localStorage) and
// the dashboard's translator over the one vocabulary (protocol/i18n.ts).
import { createContext, useContext } from 'react';
import { translator } from '../../protocol/i18n';
import type { Language, Translator as TextTranslator } from '../../protocol/i18n';

export const LanguageContext = createContext<Language>('id');

export interface Translator {
  language: Language;
  t: TextTranslator<'dashboard'>;
  time: (iso: string | null) => string;
  age: (hours: number) => string;
}

/** A date-time as people read it here: `23 Nov 2026 14.05` (id) or `23 Nov 2026, 14:05` (en), local time. */
export function formatTime(language: Language, iso: string | null): string {
  if (iso === null) {
    return '—';
  }
  return new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

/** An age in hours as `5 jam` / `3 hari`. */
export function formatAge(t: TextTranslator<'dashboard'>, hours: number): string {
  return hours >= 48 ? `${Math.floor(hours / 24)} ${t('days')}` : `${Math.floor(hours)} ${t('hours')}`;
}

export function useTranslator(): Translator {
  const language = useContext(LanguageContext);
  const t = translator('dashboard', language);
  return {
    language,
    t,
    time: (iso) => formatTime(language, iso),
    age: (hours) => formatAge(t, hours),
  };
}

export function storedLanguage(): Language {
  return window.localStorage.getItem('siaga.language') === 'en' ? 'en' : 'id';
}

export function storeLanguage(language: Language): void {
  window.localStorage.setItem('siaga.language', language);
}
