// The one translator of every text an operator or district staff reads: the kiosk, the dashboard,
// the CLI and the verdict texts. The words live in resources/i18n/ (docs/vocabulary.md):
// vocabulary.json holds what every surface shares (role names, status words, severities),
// kiosk.json / dashboard.json / cli.json what one surface alone shows, verdicts.json the verdict texts.
// Keys are typed from the JSON, so a wrong key or a text missing in one language is a type error.
import vocabulary from '../resources/i18n/vocabulary.json';
import kiosk from '../resources/i18n/kiosk.json';
import dashboard from '../resources/i18n/dashboard.json';
import cli from '../resources/i18n/cli.json';
import type { Role } from './roles';
import type { Text } from './verdict';

/** Bahasa Indonesia is the default everywhere; English is the switch. */
export const LANGUAGES = ['id', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
/** Values for the `{name}` placeholders of a text. */
export type Params = Readonly<Record<string, string | number>>;

/** Every entry of every file has both languages: `satisfies` makes a missing one a type error. */
export const VOCABULARY = vocabulary satisfies Record<string, Text>;
export const SURFACES = { kiosk, dashboard, cli } satisfies Record<string, Record<string, Text>>;
export type Surface = keyof typeof SURFACES;
export type VocabularyKey = keyof typeof vocabulary;
/** The keys a surface may use: its own and the shared vocabulary. */
export type TextKey<S extends Surface> = VocabularyKey | keyof (typeof SURFACES)[S];
/** The `group` of grouped keys such as `role.camera`, for words chosen by a value from data. */
type Group<Key> = Key extends `${infer Name}.${string}` ? Name : never;

/** Replaces each `{name}` by `params.name`; a placeholder without a value stays as written. */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params[name] === undefined ? whole : String(params[name]),
  );
}

export interface Translator<S extends Surface> {
  (key: TextKey<S>, params?: Params): string;
  /** The word for a value from data, e.g. `word('role', fault.role)`; an unknown value shows itself. */
  word(group: Group<TextKey<S>>, value: string): string;
  readonly language: Language;
}

export function translator<S extends Surface>(surface: S, language: Language): Translator<S> {
  const texts: Record<string, Text> = { ...SURFACES[surface], ...VOCABULARY };
  const translate = (key: TextKey<S>, params?: Params) => fill(texts[key as string]![language], params);
  const word = (group: string, value: string) => texts[`${group}.${value}`]?.[language] ?? value;
  return Object.assign(translate, { word, language });
}

/** A shared word in both languages, for texts that travel with both (verdicts, events). */
export function bothLanguages(key: VocabularyKey, params?: Params): Text {
  const entry: Text = VOCABULARY[key];
  return { id: fill(entry.id, params), en: fill(entry.en, params) };
}

/** The name of a role in both languages; `null` (a device no role claims) is "Perangkat" / "Device". */
export function roleName(role: Role | null): Text {
  return bothLanguages(role === null ? 'device' : `role.${role}`);
}
