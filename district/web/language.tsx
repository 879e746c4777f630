// The chosen language (Bahasa Indonesia unless the user picked English; kept in localStorage).
import { createContext, useContext } from 'react';
import type { Language, TextKey } from './i18n';
import { formatAge, formatTime, translate } from './i18n';

export const LanguageContext = createContext<Language>('id');

export interface Translator {
  language: Language;
  t: (key: TextKey | string) => string;
  time: (iso: string | null) => string;
  age: (hours: number) => string;
}

export function useTranslator(): Translator {
  const language = useContext(LanguageContext);
  return {
    language,
    t: (key) => translate(language, key),
    time: (iso) => formatTime(language, iso),
    age: (hours) => formatAge(language, hours),
  };
}

export function storedLanguage(): Language {
  return window.localStorage.getItem('siaga.language') === 'en' ? 'en' : 'id';
}

export function storeLanguage(language: Language): void {
  window.localStorage.setItem('siaga.language', language);
}
