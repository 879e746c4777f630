// The language the user chose (Bahasa Indonesia unless English was picked), kept in localStorage.
// Apart from language.tsx so the first view's head script (first-view-check.ts) carries no React.
import type { Language } from '../../protocol/i18n';

const LANGUAGE_KEY = 'siaga.language';

export function storedLanguage(): Language {
  return window.localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'id';
}

export function storeLanguage(language: Language): void {
  window.localStorage.setItem(LANGUAGE_KEY, language);
}
