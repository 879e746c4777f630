// `siaga-district hours --set TEXT` as district staff type it: every mistake is a clear usage error
// (exit 2, one sentence, nothing saved), never a week that silently closes every office, a word
// read as a day it does not name, or a raw validation dump.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../../cli/command';
import { parseWeek } from '../../../district/commands/calendar';
import { runDistrictCommand } from '../../helpers/district-cli';

const refused = (text: string, message: RegExp): void => {
  assert.throws(
    () => parseWeek(text),
    (error: unknown) => error instanceof UsageError && message.test(error.message),
    `"${text}" should be refused with ${String(message)}`,
  );
};

test('an empty week is refused: it would close every office for good, so no silence would count', () => {
  refused('', /--default/);
  refused('  ;  ', /--default/);
});

test('hours without days say the days are missing, not the hours', () => {
  refused('25:00-26:00', /day/);
  refused('08:00-15:00', /day/);
});

test('a word that is no day name is refused, even when it starts like one', () => {
  refused('monkey 08:00-15:00', /monkey/);
  refused('senior 08:00-15:00', /senior/);
  refused('mo 08:00-15:00', /\bmo\b/);
});

test('impossible or reversed hours and days are refused', () => {
  refused('mon 25:00-26:00', /HH:MM/);
  refused('mon 15:00-08:00', /before they close/);
  refused('fri-mon 08:00-15:00', /Monday to Sunday/);
  refused('mon-fri', /give the hours/);
});

test('more than four opening ranges a day is a usage error naming the day, not a validation dump', () => {
  refused('mon 07:00-08:00,08:30-09:00,10:00-11:00,12:00-13:00,14:00-15:00', /mon.*4/);
  refused('mon 07:00-08:00; mon 08:30-09:00; mon 10:00-11:00; mon-fri 12:00-15:00; mon 16:00-17:00', /mon.*4/);
});

test('English and Indonesian day names, short or whole, in any case', () => {
  const expected = {
    mon: ['08:00-15:00'],
    tue: ['08:00-15:00'],
    wed: ['08:00-15:00'],
    thu: ['08:00-15:00'],
    fri: ['08:00-11:00', '13:00-15:00'],
    sat: ['08:00-12:00'],
    sun: [],
  };
  assert.deepEqual(parseWeek('mon-thu 08:00-15:00; fri 08:00-11:00,13:00-15:00; sat 08:00-12:00'), expected);
  assert.deepEqual(
    parseWeek("Senin-Kamis 08:00-15:00; Jum'at 08:00-11:00, 13:00-15:00; SABTU 08:00-12:00"),
    expected,
  );
  assert.deepEqual(
    parseWeek('Monday-Thursday 08:00-15:00; friday 08:00-11:00,13:00-15:00; sab 08:00-12:00'),
    expected,
  );
});

test('the command keeps the week it had when --set is refused', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'siaga-hours-'));
  const run = (...argv: string[]) => runDistrictCommand([...argv, '--data-dir', dataDir]);
  try {
    for (const bad of ['', 'mon 07:00-08:00,08:30-09:00,10:00-11:00,12:00-13:00,14:00-15:00']) {
      const result = await run('hours', '--set', bad);
      assert.equal(result.code, 2, `--set "${bad}"`);
      assert.doesNotMatch(result.stderr, /"code"|too_big/);
    }
    const shown = await run('hours');
    assert.equal(shown.code, 0);
    assert.match(shown.stdout, /district: mon 08:00-15:00 {2}tue 08:00-15:00/);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
