// Verdict texts from resources/i18n/verdicts.json: Bahasa Indonesia first, English second. Role
// names and the `{param}` filling come from the one vocabulary (protocol/i18n.ts).
import { fill, roleName } from '../../protocol/i18n';
import type { Language, Params } from '../../protocol/i18n';
import type { Role, Text } from '../../protocol/verdict';
import verdictTexts from '../../resources/i18n/verdicts.json';

type Pair = [message: string, nextStep: string];
interface Entry {
  id: Pair;
  en: Pair;
}
const messages = verdictTexts.messages as unknown as Record<string, Entry>;

const ROLE_PREFIX: Record<Role, string> = {
  camera: 'CAMERA',
  fingerprint: 'FINGERPRINT',
  iris: 'IRIS',
  signature: 'SIGNATURE',
  'card-printer': 'CARD_PRINTER',
  'document-printer': 'DOCUMENT_PRINTER',
  'card-reader': 'CARD_READER',
  ups: 'UPS',
  network: 'NETWORK',
  pc: 'PC',
};

/** The code prefix of a role, e.g. CARD_PRINTER; codes are PREFIX_SUFFIX. */
export function rolePrefix(role: Role | null): string {
  return role === null ? 'USB_DEVICE' : ROLE_PREFIX[role];
}

export function roleCode(role: Role | null, suffix: string): string {
  return `${rolePrefix(role)}_${suffix}`;
}

/** A template value: the same in both languages, or worded per language (e.g. a level in words). */
export type MessageParam = string | number | Text;
export type MessageParams = Record<string, MessageParam>;

function inLanguage(params: MessageParams, language: Language): Params {
  return Object.fromEntries(
    Object.entries(params).map(([name, value]) => [name, typeof value === 'object' ? value[language] : value]),
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Message and next step for a code; falls back to the role template (*_SUFFIX), then to the code itself. */
export function describe(
  code: string,
  role: Role | null,
  params: MessageParams = {},
): { message: Text; nextStep: Text } {
  const prefix = rolePrefix(role);
  const entry =
    messages[code] ??
    (code.startsWith(`${prefix}_`) ? messages[`*_${code.slice(prefix.length + 1)}`] : undefined);
  if (!entry) {
    return {
      message: { id: code, en: code },
      nextStep: { id: 'Hubungi teknisi kabupaten.', en: 'Call the district technician.' },
    };
  }
  const name = roleName(role);
  const text = (language: Language, index: 0 | 1) =>
    capitalise(fill(entry[language][index], { device: name[language], ...inLanguage(params, language) }));
  return {
    message: { id: text('id', 0), en: text('en', 0) },
    nextStep: { id: text('id', 1), en: text('en', 1) },
  };
}

/** Codes that have texts, for tests and documentation. */
export function knownCodes(): string[] {
  return Object.keys(messages);
}
