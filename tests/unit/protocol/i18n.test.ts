// The one vocabulary: every text in both languages with the same `{param}`s, no surface key hiding a
// shared word, a word for every value the data can carry, and the translator filling placeholders.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LANGUAGES, roleName, SURFACES, translator, VOCABULARY, fill } from '../../../protocol/i18n';
import { DISTRICT_FAULT_STATES } from '../../../protocol/requests';
import { ROLES } from '../../../protocol/roles';
import { SEVERITIES, STATUSES } from '../../../protocol/verdict';
import { DISTRICT_STATES } from '../../../electron/station-api';
import verdicts from '../../../resources/i18n/verdicts.json';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();

/** Problems of one file of texts: `key -> { id, en }`, where a text may also be a list of texts (verdicts). */
function translationProblems(file: string, entries: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(entries)) {
    const byLanguage = entry as Partial<Record<string, unknown>>;
    const extra = Object.keys(byLanguage).filter((language) => !(LANGUAGES as readonly string[]).includes(language));
    if (extra.length > 0) {
      problems.push(`${file}: ${key} has unknown languages ${extra.join(', ')}`);
    }
    const texts = LANGUAGES.map((language) => {
      const value = byLanguage[language];
      const list = Array.isArray(value) ? value : [value];
      if (value === undefined || list.some((text) => typeof text !== 'string' || text.trim() === '')) {
        problems.push(`${file}: ${key} has no ${language} text`);
        return null;
      }
      return list as string[];
    });
    const [id, en] = texts;
    if (id && en) {
      if (id.length !== en.length) {
        problems.push(`${file}: ${key} has ${id.length} id texts but ${en.length} en texts`);
      }
      id.forEach((text, index) => {
        const wanted = placeholders(text).join(',');
        const found = placeholders(en[index] ?? '').join(',');
        if (wanted !== found) {
          problems.push(`${file}: ${key} uses {${wanted}} in id but {${found}} in en`);
        }
      });
    }
  }
  return problems;
}

const FILES: Record<string, Record<string, unknown>> = {
  'vocabulary.json': VOCABULARY,
  ...Object.fromEntries(Object.entries(SURFACES).map(([surface, texts]) => [`${surface}.json`, texts])),
  'verdicts.json': verdicts.messages,
};

test('every text of every file has Bahasa Indonesia and English with the same {param}s', () => {
  assert.deepEqual(
    Object.entries(FILES).flatMap(([file, entries]) => translationProblems(file, entries)),
    [],
  );
});

test('the check finds a missing language, an empty text and a {param} lost in translation', () => {
  const problems = translationProblems('sample.json', {
    onlyIndonesian: { id: 'Sedang memeriksa…' },
    emptyEnglish: { id: 'Tutup', en: ' ' },
    lostParam: { id: 'Langkah {current} dari {total}', en: 'Step {current}' },
    verdictPairs: { id: ['{device} rusak.', 'Hubungi teknisi.'], en: ['{device} is broken.'] },
    typo: { id: 'Ya', en: 'Yes', eng: 'Yes' },
    fine: { id: 'Baik', en: 'OK' },
  });
  assert.deepEqual(problems, [
    'sample.json: onlyIndonesian has no en text',
    'sample.json: emptyEnglish has no en text',
    'sample.json: lostParam uses {current,total} in id but {current} in en',
    'sample.json: verdictPairs has 2 id texts but 1 en texts',
    'sample.json: typo has unknown languages eng',
  ]);
});

test('a surface key never hides a shared word of the vocabulary', () => {
  for (const [surface, texts] of Object.entries(SURFACES)) {
    const hidden = Object.keys(texts).filter((key) => key in VOCABULARY);
    assert.deepEqual(hidden, [], `${surface}.json repeats vocabulary keys`);
  }
});

test('every value the data can carry has its word: roles, statuses, severities, fault states', () => {
  const missing = (keys: string[], texts: Record<string, unknown>) => keys.filter((key) => !(key in texts));
  const shared = [
    ...ROLES.map((role) => `role.${role}`),
    ...STATUSES.map((status) => `status.${status}`),
    ...SEVERITIES.map((severity) => `severity.${severity}`),
    'device',
  ];
  assert.deepEqual(missing(shared, VOCABULARY), []);
  assert.deepEqual(missing(DISTRICT_STATES.map((state) => `district.${state}`), SURFACES.kiosk), []);
  assert.deepEqual(missing(DISTRICT_FAULT_STATES.map((state) => `state.${state}`), SURFACES.dashboard), []);
});

test('one word per device everywhere: the kiosk, the dashboard, the CLI and the verdicts name a role alike', () => {
  const kiosk = translator('kiosk', 'id');
  const dashboard = translator('dashboard', 'id');
  const cli = translator('cli', 'en');
  assert.equal(kiosk('role.signature'), 'Alat tanda tangan');
  assert.equal(dashboard.word('role', 'signature'), 'Alat tanda tangan');
  assert.equal(cli('role.camera'), 'Photo camera');
  assert.deepEqual(roleName('camera'), { id: 'Kamera foto', en: 'Photo camera' });
  assert.deepEqual(roleName(null), { id: 'Perangkat', en: 'Device' });
  // The government's term in Indonesian texts, the common English one in English texts.
  const indonesian = Object.values(FILES).flatMap((entries) =>
    Object.values(entries).flatMap((entry) => [(entry as { id: string | string[] }).id].flat()),
  );
  assert.deepEqual(
    indonesian.filter((text) => /e-KTP/.test(text)),
    [],
    'Indonesian texts say KTP-el',
  );
});

test('the translator fills {params}, keeps an unfilled one visible and shows an unknown value as itself', () => {
  const kiosk = translator('kiosk', 'id');
  assert.equal(kiosk('stepOf', { current: 2, total: 7 }), 'Langkah 2 dari 7');
  assert.equal(translator('kiosk', 'en')('stepOf', { current: 2, total: 7 }), 'Step 2 of 7');
  assert.equal(kiosk('stepOf', { current: 2 }), 'Langkah 2 dari {total}');
  assert.equal(kiosk('status.fault'), 'Rusak');
  assert.equal(kiosk.language, 'id');
  assert.equal(translator('dashboard', 'en').word('state', 'in-repair'), 'In repair');
  assert.equal(translator('dashboard', 'id').word('role', 'coffee-machine'), 'coffee-machine');
  assert.equal(fill('{device} is {state}', { device: 'UPS' }), 'UPS is {state}');
});
