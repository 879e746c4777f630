// The escalation letter's model, pure: number patterns, Indonesian dates, working days over the
// service calendar, history lines in order, hostile text made safe; and that long texts wrap and
// flow onto further pages when rendered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LetterNumberPatternSchema, LetterSettingsRequestSchema } from '../../../district/dash-api';
import type { HistoryEntry } from '../../../district/dash-api';
import { DEFAULT_CALENDAR } from '../../../district/server/calendar/service-hours';
import type { Calendar } from '../../../district/server/calendar/service-hours';
import {
  DEFAULT_ESCALATION,
  EscalationConfigSchema,
  letterThresholdHours,
} from '../../../district/server/escalation/config';
import {
  formatNip,
  indonesianDate,
  indonesianDateTime,
  inWords,
} from '../../../district/server/escalation/letter/indonesian';
import {
  buildLetter,
  describeWeek,
  historyLines,
  letterText,
} from '../../../district/server/escalation/letter/model';
import { letterNumber, letterYear } from '../../../district/server/escalation/letter/number';
import { renderLetter } from '../../../district/server/escalation/letter/render';
import { workingDaysBetween } from '../../../district/server/escalation/letter/working-days';
import { SAMPLE_ISSUED_AT, sampleLetterInput } from '../../helpers/letter-sample';

const wib = (local: string): number => Date.parse(`${local}+07:00`);

test('the number pattern fills {n}, {year}, {month} and {roman} in local time', () => {
  const at = wib('2026-12-02T09:30');
  assert.equal(letterNumber('470/{n}/Disdukcapil/{year}', 12, at, 'WIB'), '470/12/Disdukcapil/2026');
  assert.equal(letterNumber('470/{n}/{roman}/{month}/{year}', 7, at, 'WIB'), '470/7/XII/12/2026');
  // 31 December 23:30 UTC is already 1 January in WIB: the letter is numbered in the new year.
  const newYear = Date.parse('2026-12-31T17:30:00Z');
  assert.equal(letterYear(newYear, 'WIB'), 2027);
  assert.equal(letterNumber('470/{n}/{roman}/{year}', 1, newYear, 'WIB'), '470/1/I/2027');
  assert.equal(letterYear(Date.parse('2026-12-31T16:30:00Z'), 'WIB'), 2026);
});

test('a number pattern without {n} once, without {year}, or with an unknown token is refused with its reason', () => {
  assert.equal(LetterNumberPatternSchema.safeParse('470/{n}/Disdukcapil/{year}').success, true);
  const reason = (pattern: string): string => {
    const parsed = LetterNumberPatternSchema.safeParse(pattern);
    assert.equal(parsed.success, false, pattern);
    return parsed.error!.issues[0].message;
  };
  assert.match(reason('470/Disdukcapil/{year}'), /\{n\} tepat sekali/);
  assert.match(reason('470/{n}/{n}/{year}'), /\{n\} tepat sekali/);
  assert.match(reason('470/{n}/Disdukcapil'), /\{year\}/);
  assert.match(reason('470/{n}/{tahun}/{year}'), /Hanya \{n\}/);
  assert.match(reason('   '), /Wajib diisi/);
});

test('dates and times as a letter writes them, in the district zone', () => {
  assert.equal(indonesianDate(SAMPLE_ISSUED_AT, 'WIB'), '2 Desember 2026');
  assert.equal(indonesianDate(Date.parse('2026-01-31T16:30:00Z'), 'WIB'), '31 Januari 2026');
  // 16:30 UTC is past midnight in WIT (UTC+9): the next day, a new month.
  assert.equal(indonesianDate(Date.parse('2026-01-31T16:30:00Z'), 'WIT'), '1 Februari 2026');
  assert.equal(indonesianDateTime(wib('2026-03-09T08:05'), 'WIB'), '9 Maret 2026 pukul 08.05 WIB');
  assert.equal(indonesianDateTime(wib('2026-08-17T23:59'), 'WITA'), '18 Agustus 2026 pukul 00.59 WITA');
  assert.deepEqual([1, 11, 12, 21, 100, 115, 250, 1000, 2026].map(inWords), [
    'satu',
    'sebelas',
    'dua belas',
    'dua puluh satu',
    'seratus',
    'seratus lima belas',
    'dua ratus lima puluh',
    'seribu',
    'dua ribu dua puluh enam',
  ]);
  assert.equal(formatNip('19700101 199003 2 001'), '19700101 199003 2 001');
  assert.equal(formatNip('197001011990032001'), '19700101 199003 2 001');
});

test('working days count the days the office served while the fault was open, closed days and weekends not', () => {
  // Friday 2026-03-06 14:00 WIB to Monday 2026-03-09 09:00 WIB, hours 08:00-15:00 on weekdays.
  const friday = wib('2026-03-06T14:00');
  const monday = wib('2026-03-09T09:00');
  assert.deepEqual(workingDaysBetween(DEFAULT_CALENDAR, 'Bulu', friday, monday), {
    calendarDays: 4,
    workingDays: 2,
    serviceHours: 2,
  });
  // Opened after closing on Friday: Friday is not lost; the letter before opening on Monday: nor is Monday.
  assert.equal(
    workingDaysBetween(DEFAULT_CALENDAR, 'Bulu', wib('2026-03-06T16:00'), wib('2026-03-09T07:00'))
      .workingDays,
    0,
  );
  // A holiday of the district and a closed day of this kecamatan do not count; another kecamatan's does.
  const calendar: Calendar = {
    ...DEFAULT_CALENDAR,
    closedDays: new Map([
      ['', new Set(['2026-03-10'])],
      ['Bulu', new Set(['2026-03-11'])],
      ['Tawangsari', new Set(['2026-03-12'])],
    ]),
  };
  const week = workingDaysBetween(calendar, 'Bulu', wib('2026-03-09T07:00'), wib('2026-03-13T16:00'));
  assert.deepEqual(week, { calendarDays: 5, workingDays: 3, serviceHours: 21 });
  // An office open around the clock: every day counts (one merged interval spans them).
  const allDay = {
    mon: ['00:00-24:00'],
    tue: ['00:00-24:00'],
    wed: ['00:00-24:00'],
    thu: ['00:00-24:00'],
    fri: ['00:00-24:00'],
    sat: ['00:00-24:00'],
    sun: ['00:00-24:00'],
  };
  const open = workingDaysBetween(
    { ...DEFAULT_CALENDAR, district: allDay },
    'Bulu',
    wib('2026-03-06T12:00'),
    wib('2026-03-09T12:00'),
  );
  assert.deepEqual(open, { calendarDays: 4, workingDays: 4, serviceHours: 72 });
  // A clock set back (the letter "before" the fault): nothing, never a negative count.
  assert.deepEqual(workingDaysBetween(DEFAULT_CALENDAR, 'Bulu', monday, friday), {
    calendarDays: 0,
    workingDays: 0,
    serviceHours: 0,
  });
  assert.equal(describeWeek(DEFAULT_CALENDAR.district), 'Senin–Jumat 08.00–15.00');
  assert.equal(
    describeWeek({ ...DEFAULT_CALENDAR.district, fri: ['08:00-11:00', '13:00-15:00'], sat: ['08:00-12:00'] }),
    'Senin–Kamis 08.00–15.00; Jumat 08.00–11.00 dan 13.00–15.00; Sabtu 08.00–12.00',
  );
});

test('the history is in time order, loans among the entries, repeated station reports as one line', () => {
  const input = sampleLetterInput(5);
  const lines = historyLines(input);
  const texts = lines.map((line) => line.split(' — ')[1]);
  assert.deepEqual(texts, [
    'Gangguan dilaporkan otomatis oleh stasiun.',
    'Diterima oleh Budi Santoso.',
    'Perbaikan ditugaskan kepada Budi Santoso oleh Budi Santoso (catatan: kabel USB dan driver sudah diganti, sensor tetap tidak terbaca).',
    'Budi Santoso meminta stasiun memeriksa ulang perangkat.',
    'Stasiun melaporkan gangguan masih ada (5 kali, terakhir 11 Oktober 2026 pukul 08.00 WIB).',
    'Pinjam pakai Cross Match Guardian 200 nomor seri G1409921 dari Loket 2 (Kecamatan Tawangsari), surat nomor 027/88/Disdukcapil/2026, 12 Oktober 2026 s.d. 26 Oktober 2026; dikembalikan 26 Oktober 2026.',
    'Perbaikan ditugaskan kepada CV Teknik Mandiri (vendor) oleh Ratna Dewi (catatan: sensor perlu diganti; suku cadang tidak tersedia di daerah).',
  ]);
  assert.match(lines[0], /^5 Oktober 2026 pukul 08\.12 WIB — /);
  // Reversed input history still comes out in time order (entries are dated, not taken as listed).
  const reversed = historyLines({
    ...input,
    fault: { ...input.fault, history: [...input.fault.history].reverse() },
  });
  assert.equal(reversed[0].split(' — ')[1], 'Gangguan dilaporkan otomatis oleh stasiun.');
  // An entry the district closed by reconciliation, and a username nobody has any more, read plainly.
  const extra: HistoryEntry[] = [
    { at: '2026-11-20T01:00:00Z', kind: 'acknowledged', actor: 'mantan-staf', detail: {} },
    { at: '2026-11-21T01:00:00Z', kind: 'closed', actor: null, detail: { reason: 'reconciliation' } },
  ];
  const more = historyLines({
    ...input,
    fault: { ...input.fault, history: [...input.fault.history, ...extra] },
  });
  assert.deepEqual(
    more.slice(-2).map((line) => line.split(' — ')[1]),
    ['Diterima oleh mantan-staf.', 'Ditutup otomatis: stasiun tidak lagi melaporkan gangguan ini.'],
  );
});

test('the letter holds number, date, subject, recipient, station, device, serial, days, appointments and signatory', () => {
  const letter = buildLetter(sampleLetterInput());
  assert.equal(letter.placeAndDate, 'Sukoharjo, 2 Desember 2026');
  assert.deepEqual(letter.heading, [
    ['Nomor', '470/12/Disdukcapil/2026'],
    ['Sifat', 'Penting'],
    ['Lampiran', '-'],
    ['Perihal', 'Permohonan penanganan kerusakan peralatan perekaman KTP-el di Kecamatan Bulu'],
  ]);
  assert.deepEqual(letter.recipient, [
    'Yth. Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi Jawa Tengah',
    'di',
    'Semarang',
  ]);
  assert.equal(letter.letterhead.agency, 'DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL');
  assert.equal(letter.letterhead.contact, 'Telepon (0271) 593068 · Pos-el disdukcapil@sukoharjokab.go.id');
  const fields = letter.body.find((block) => block.kind === 'fields');
  assert.ok(fields?.kind === 'fields');
  const rows = Object.fromEntries(fields.rows);
  assert.equal(rows['Stasiun perekaman'], 'Loket 1');
  assert.equal(rows.Kecamatan, 'Bulu');
  assert.equal(rows['Nomor seri'], 'G1502339');
  assert.equal(rows.Perangkat, 'Pemindai sidik jari Cross Match Guardian 200');
  // 5 Oct (Mon) 08:12 to 2 Dec (Wed) 09:30 WIB: 59 calendar days, 8 weeks and Mon-Wed of weekdays.
  assert.equal(rows['Lama gangguan'], '59 hari kalender; 43 hari kerja tanpa perekaman (295 jam layanan)');
  assert.match(rows['Janji perekaman warga terdampak'], /^tidak tercatat/);
  assert.deepEqual(letter.signature, {
    title: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sukoharjo',
    name: 'Dr. Sri Rahayu, S.Sos., M.Si.',
    rank: 'Pembina Utama Muda (IV/c)',
    nip: 'NIP. 19700101 199003 2 001',
  });
  assert.equal(letter.copies.length, 3);
  // To the directorate, about a card printer: another recipient and another subject and count.
  const input = sampleLetterInput();
  const printer = buildLetter({
    ...input,
    recipient: 'directorate',
    fault: { ...input.fault, role: 'card-printer', device: null },
  });
  assert.equal(
    printer.recipient[0],
    'Yth. Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri',
  );
  assert.equal(
    printer.heading[3][1],
    'Permohonan penanganan kerusakan peralatan perekaman KTP-el di Kecamatan Bulu',
  );
  const printerRows = Object.fromEntries(
    (printer.body.find((block) => block.kind === 'fields') as { rows: [string, string][] }).rows,
  );
  assert.match(printerRows['Lama gangguan'], /43 hari kerja tanpa pencetakan/);
  assert.equal(printerRows['Nomor seri'], 'tidak dilaporkan stasiun');
});

test('hostile text loses its control, bidi and zero-width characters and its broken surrogates, keeps its words', () => {
  assert.equal(letterText('Loket\u0000 1\u0007\u001b[31m'), 'Loket 1 [31m');
  assert.equal(letterText('a\u202Eevil\u202C b\u200B c'), 'aevil b c');
  assert.equal(letterText('broken \uD83D half'), 'broken \uFFFD half');
  assert.equal(letterText('emoji 😀 ok'), 'emoji 😀 ok');
  assert.equal(letterText('عربي עברית'), 'عربي עברית');
  assert.equal(letterText('one\r\ntwo\n\n\n\nthree', true), 'one\ntwo\n\nthree');
  assert.equal(letterText('one\ntwo'), 'one two');
});

test('the threshold is the configured hours, else the longest open rule, else 30 days', () => {
  assert.equal(letterThresholdHours(DEFAULT_ESCALATION), 30 * 24);
  const config = (extra: object) => EscalationConfigSchema.parse({ contacts: { x: {} }, ...extra });
  assert.equal(letterThresholdHours(config({ rules: [], letterAfterHours: 100 })), 100);
  assert.equal(
    letterThresholdHours(
      config({ rules: [{ id: 'a', condition: 'unacknowledged', afterHours: 5, notify: 'x' }] }),
    ),
    720,
  );
  assert.equal(
    letterThresholdHours(
      config({
        rules: [
          { id: 'a', condition: 'open', afterHours: 48, notify: 'x' },
          { id: 'b', condition: 'open', afterHours: 240, notify: 'x' },
        ],
      }),
    ),
    240,
  );
});

test('long texts wrap inside the page and flow onto further pages; a short letter stays on one or two', async () => {
  const short = await renderLetter(buildLetter(sampleLetterInput(0)));
  assert.ok(short.pages <= 2, `short letter: ${short.pages} pages`);
  const input = sampleLetterInput(0);
  const longNote = `${'Penjelasan panjang dari kabupaten. '.repeat(60)}${'X'.repeat(400)}`;
  const history: HistoryEntry[] = [...input.fault.history];
  for (let index = 0; index < 60; index++) {
    history.push({
      at: new Date(Date.parse('2026-11-01T01:00:00Z') + index * 3_600_000).toISOString(),
      kind: index % 2 === 0 ? 'acknowledged' : 'in-repair',
      actor: 'teknisi',
      detail: { assignee: 'Budi', note: `percobaan ${index}: ${'kabel diganti lagi '.repeat(8)}` },
    });
  }
  const long = buildLetter({ ...input, note: longNote, fault: { ...input.fault, history } });
  const rendered = await renderLetter(long);
  assert.ok(rendered.pages >= 4, `long letter: ${rendered.pages} pages`);
  // The PDF's own page tree agrees with the count.
  const pageObjects = rendered.pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
  assert.equal(pageObjects.length, rendered.pages);
  assert.equal(rendered.pdf.subarray(0, 5).toString('latin1'), '%PDF-');
});

test('settings refuse every bad field at once, each with its reason', () => {
  const parsed = LetterSettingsRequestSchema.safeParse({
    agency: '',
    address: 'Jl. Baru\nNo. 1',
    email: 'bukan-email',
    place: 'Sukoharjo',
    numberPattern: '470/Disdukcapil',
    provinceRecipient: 'Kepala Dinas',
    provincePlace: 'Semarang',
    directorateRecipient: 'Dirjen',
    directoratePlace: 'Jakarta',
    signerTitle: 'Kepala',
    signerName: 'Nama',
    signerNip: '1234',
  });
  assert.equal(parsed.success, false);
  const paths = new Set(parsed.error!.issues.map((issue) => issue.path.join('.')));
  for (const field of ['agency', 'address', 'email', 'numberPattern', 'signerNip']) {
    assert.ok(paths.has(field), `${field} in ${[...paths].join(', ')}`);
  }
});
