// The escalation letter as a document model: what it says, in order, in formal Indonesian (surat
// dinas), built from the fault, its history, the loans tried and the service calendar. Pure: the
// same input gives the same letter; render.ts lays it out as a PDF, register.ts keeps a copy of the
// model with its number so the letter can be printed again exactly as issued.
import type {
  FaultDetail,
  HistoryEntry,
  LetterRecipient,
  LetterSettings,
  LoanView,
  ServiceWeek,
} from '../../../dash-api';
import { WEEKDAYS } from '../../../dash-api';
import { deviceName } from '../../../../protocol/device-name';
import { translator } from '../../../../protocol/i18n';
import { blocks } from '../../../../protocol/rules';
import type { Role } from '../../../../protocol/roles';
import type { Calendar } from '../../calendar/service-hours';
import type { Interval } from '../../figures/intervals';
import { offsetMsOf } from '../../calendar/service-hours';
import { formatNip, indonesianDate, indonesianDateOf, indonesianDateTime } from './indonesian';
import type { WorkingDays } from './working-days';
import { workingDaysBetween, workingDaysWhileOpen } from './working-days';

export type LetterBlock =
  | { kind: 'paragraph'; text: string }
  /** Label and value pairs, the labels aligned ("Stasiun perekaman : Loket 1"). */
  | { kind: 'fields'; title: string; rows: [string, string][] }
  | { kind: 'numbered'; title: string; items: string[] };

export interface LetterDocument {
  letterhead: {
    authority: string;
    agency: string;
    address: string;
    /** `Telepon ... · Pos-el ...`; empty when neither is set. */
    contact: string;
    /** base64 PNG or JPEG; empty: none. */
    logo: string;
  };
  /** `Sukoharjo, 2 Desember 2026`. */
  placeAndDate: string;
  /** Nomor, Sifat, Lampiran, Perihal. */
  heading: [string, string][];
  /** `Yth. ...`, `di`, the place. */
  recipient: string[];
  body: LetterBlock[];
  signature: { title: string; name: string; rank: string; nip: string };
  /** Tembusan; empty: none. */
  copies: string[];
}

export interface LetterInput {
  settings: LetterSettings;
  number: string;
  issuedAtMs: number;
  calendar: Calendar;
  recipient: LetterRecipient;
  sifat: string;
  lampiran: string;
  perihal: string;
  note: string;
  fault: FaultDetail;
  /** Loans of a device for the fault's role to its station since the fault opened. */
  loans: LoanView[];
  /** Staff display names by username, for the history. */
  staffNames: Readonly<Record<string, string>>;
  /** Residents' recording appointments the fault stopped; null: the district keeps no such record. */
  appointmentsAffected: number | null;
  /** The spans the fault was open (register.ts letterFault); absent: from firstSeen to the letter. */
  openSpans?: readonly Interval[];
}

const words = translator('dashboard', 'id');

/**
 * Text from stations and staff made safe to set in a letter: no lone surrogate halves, no control
 * or invisible formatting characters (bidi overrides, zero-width), runs of spaces once. A newline
 * stays only where `multiline`.
 */
export function letterText(text: string, multiline = false): string {
  const cleaned = text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/\r\n?/g, '\n')
    .replace(/[\p{Cf}]/gu, '')
    .replace(multiline ? /[^\P{Cc}\n]/gu : /\p{Cc}/gu, ' ')
    .replace(/[ \u00a0]{2,}/g, ' ');
  return multiline ? cleaned.replace(/\n{3,}/g, '\n\n').trim() : cleaned.trim();
}

const STATE_ID: Record<string, string> = {
  open: 'belum tertangani',
  acknowledged: 'sudah diterima teknisi kabupaten, belum dapat diperbaiki',
  'in-repair': 'dalam perbaikan',
  resolved: 'pulih menurut pemeriksaan stasiun',
  closed: 'ditutup',
};

const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Senin',
  tue: 'Selasa',
  wed: 'Rabu',
  thu: 'Kamis',
  fri: 'Jumat',
  sat: 'Sabtu',
  sun: 'Minggu',
};

const clock = (range: string): string => range.replace(/:/g, '.').replace('-', '–');

/** `Senin–Jumat 08.00–15.00`: runs of weekdays with the same hours. */
export function describeWeek(week: ServiceWeek): string {
  const runs: { from: string; to: string; hours: string }[] = [];
  for (const day of WEEKDAYS) {
    const hours = week[day].map(clock).join(' dan ');
    const last = runs[runs.length - 1];
    if (
      hours !== '' &&
      last !== undefined &&
      last.hours === hours &&
      WEEKDAYS.indexOf(day) === WEEKDAYS.indexOf(last.to as never) + 1
    ) {
      last.to = day;
    } else if (hours !== '') {
      runs.push({ from: day, to: day, hours });
    }
  }
  if (runs.length === 0) {
    return 'tanpa jam layanan';
  }
  return runs
    .map((run) => {
      const from = DAY_NAMES[run.from as keyof typeof DAY_NAMES];
      const to = DAY_NAMES[run.to as keyof typeof DAY_NAMES];
      return `${run.from === run.to ? from : `${from}–${to}`} ${run.hours}`;
    })
    .join('; ');
}

function deviceText(fault: FaultDetail): string {
  const role = words.word('role', fault.role);
  const name = fault.device === null ? undefined : deviceName(fault.device.vendor, fault.device.model);
  return letterText(name === undefined ? role : `${role} ${name}`);
}

function effectOf(fault: FaultDetail): { stops: string; daysLabel: string } {
  const blocked = blocks(fault.role as Role);
  if (blocked === 'recording') {
    return {
      stops: 'perekaman KTP-el di stasiun tersebut terhenti',
      daysLabel: 'hari kerja tanpa perekaman',
    };
  }
  if (blocked === 'printing') {
    return {
      stops: 'pencetakan KTP-el di stasiun tersebut terhenti',
      daysLabel: 'hari kerja tanpa pencetakan',
    };
  }
  return { stops: 'pelayanan di stasiun tersebut terganggu', daysLabel: 'hari kerja dengan gangguan' };
}

export function defaultPerihal(fault: FaultDetail): string {
  const what =
    blocks(fault.role as Role) === null
      ? `gangguan ${words.word('role', fault.role).toLowerCase()}`
      : 'kerusakan peralatan perekaman KTP-el';
  return letterText(`Permohonan penanganan ${what} di Kecamatan ${fault.kecamatan}`);
}

interface Dated {
  atMs: number;
  text: string;
}

function who(actor: string | null, staffNames: Readonly<Record<string, string>>): string {
  return actor === null ? 'stasiun' : letterText(staffNames[actor] ?? actor);
}

const noteOf = (entry: HistoryEntry): string => {
  const note = typeof entry.detail.note === 'string' ? letterText(entry.detail.note, false) : '';
  return note === '' ? '' : ` (catatan: ${note})`;
};

function historyText(entry: HistoryEntry, staffNames: Readonly<Record<string, string>>): string {
  const name = who(entry.actor, staffNames);
  switch (entry.kind) {
    case 'opened':
      return 'Gangguan dilaporkan otomatis oleh stasiun.';
    case 'updated':
      return 'Stasiun melaporkan gangguan masih ada.';
    case 'resolved':
      return 'Stasiun melaporkan perangkat pulih.';
    case 'reopened':
      return entry.actor === null
        ? 'Gangguan muncul kembali menurut pemeriksaan stasiun.'
        : `Dibuka kembali oleh ${name}${noteOf(entry)}.`;
    case 'acknowledged':
      return `Diterima oleh ${name}.`;
    case 'in-repair': {
      const assignee = typeof entry.detail.assignee === 'string' ? letterText(entry.detail.assignee) : '-';
      return `Perbaikan ditugaskan kepada ${assignee} oleh ${name}${noteOf(entry)}.`;
    }
    case 'verification-requested':
      return `${name} meminta stasiun memeriksa ulang perangkat.`;
    case 'closed':
      return entry.actor === null
        ? 'Ditutup otomatis: stasiun tidak lagi melaporkan gangguan ini.'
        : `Ditutup oleh ${name} setelah verifikasi${noteOf(entry)}.`;
    default:
      return letterText(String(entry.kind));
  }
}

/**
 * The fault's history as dated lines, oldest first, loans tried among them at their start date.
 * A run of the station's repeated "still there" reports is one line with its count and last date,
 * so a fault reported every few minutes for months still fits a letter.
 */
export function historyLines(
  input: Pick<LetterInput, 'fault' | 'loans' | 'staffNames' | 'calendar'>,
): string[] {
  const zone = input.calendar.timeZone;
  const dated: Dated[] = [];
  let run: { first: number; last: number; count: number } | null = null;
  const flushRun = (pending: { first: number; last: number; count: number }): Dated => ({
    atMs: pending.first,
    text:
      pending.count === 1
        ? 'Stasiun melaporkan gangguan masih ada.'
        : `Stasiun melaporkan gangguan masih ada (${pending.count} kali, terakhir ${indonesianDateTime(pending.last, zone)}).`,
  });
  for (const entry of input.fault.history) {
    const atMs = Date.parse(entry.at);
    if (entry.kind === 'updated') {
      run =
        run === null
          ? { first: atMs, last: atMs, count: 1 }
          : { first: run.first, last: atMs, count: run.count + 1 };
      continue;
    }
    if (run !== null) {
      dated.push(flushRun(run));
      run = null;
    }
    dated.push({ atMs, text: historyText(entry, input.staffNames) });
  }
  if (run !== null) {
    dated.push(flushRun(run));
  }
  for (const loan of input.loans) {
    const device = letterText(deviceName(loan.vendor, loan.model) ?? words.word('role', loan.role ?? ''));
    const from =
      loan.fromStationName === null
        ? 'gudang cadangan kabupaten'
        : letterText(`${loan.fromStationName} (Kecamatan ${loan.fromKecamatan ?? '-'})`);
    const back =
      loan.returnedOn === null ? 'masih dipinjam' : `dikembalikan ${indonesianDateOf(loan.returnedOn)}`;
    const serial = loan.serialNumber === null ? '' : ` nomor seri ${letterText(loan.serialNumber)}`;
    // A date without a time: placed at the start of its local day.
    // A loan has a date, not a time: it sits at the moment it was recorded when that was on its
    // start date, else at the start of that local day.
    const dayStartMs = Date.parse(`${loan.startsOn}T00:00:00Z`) - offsetMsOf(zone);
    const createdMs = Date.parse(loan.createdAt);
    dated.push({
      atMs: createdMs >= dayStartMs && createdMs < dayStartMs + 86_400_000 ? createdMs : dayStartMs,
      text: `Pinjam pakai ${device}${serial} dari ${from}, surat nomor ${letterText(loan.reference)}, ${indonesianDateOf(loan.startsOn)} s.d. ${indonesianDateOf(loan.dueOn)}; ${back}.`,
    });
  }
  // Stable: entries of the same moment keep the order the district recorded them in.
  return dated
    .map((item, index) => ({ ...item, index }))
    .sort((left, right) => left.atMs - right.atMs || left.index - right.index)
    .map((item) => `${indonesianDateTime(item.atMs, zone)} — ${item.text}`);
}

export function buildLetter(input: LetterInput): LetterDocument {
  const { settings, fault, calendar } = input;
  const zone = calendar.timeZone;
  const since = Date.parse(fault.firstSeen);
  const days: WorkingDays =
    input.openSpans === undefined
      ? workingDaysBetween(calendar, fault.kecamatan, since, input.issuedAtMs)
      : workingDaysWhileOpen(calendar, fault.kecamatan, input.openSpans);
  const effect = effectOf(fault);
  const week = calendar.kecamatan.get(fault.kecamatan) ?? calendar.district;
  const station = letterText(fault.stationName);
  const kecamatan = letterText(fault.kecamatan);
  const serial =
    fault.device?.serialNumber === undefined
      ? 'tidak dilaporkan stasiun'
      : letterText(fault.device.serialNumber);
  const recipient =
    input.recipient === 'province' ? settings.provinceRecipient : settings.directorateRecipient;
  const recipientPlace = input.recipient === 'province' ? settings.provincePlace : settings.directoratePlace;
  const contact = [
    settings.phone === '' ? '' : `Telepon ${settings.phone}`,
    settings.email === '' ? '' : `Pos-el ${settings.email}`,
  ]
    .filter((part) => part !== '')
    .join(' · ');
  const history = historyLines(input);
  const appointments =
    input.appointmentsAffected === null
      ? 'tidak tercatat (kabupaten belum mencatat janji perekaman warga dalam sistem ini)'
      : `${input.appointmentsAffected} janji perekaman`;
  const body: LetterBlock[] = [
    { kind: 'paragraph', text: 'Dengan hormat,' },
    {
      kind: 'paragraph',
      text:
        `Bersama ini kami sampaikan bahwa ${deviceText(fault)} pada stasiun perekaman KTP-el ${station} di ` +
        `Kecamatan ${kecamatan} mengalami gangguan sejak ${indonesianDateTime(since, zone)}. Hingga tanggal ` +
        `surat ini gangguan tersebut belum dapat kami atasi, sehingga ${effect.stops} selama ` +
        `${days.workingDays} hari kerja.`,
    },
    {
      kind: 'fields',
      title: 'Data gangguan:',
      rows: [
        ['Stasiun perekaman', station],
        ['Kecamatan', kecamatan],
        ['Perangkat', deviceText(fault)],
        ['Nomor seri', serial],
        [
          'Kode gangguan',
          `${letterText(fault.code)} (tingkat ${words.word('severity', fault.severity).toLowerCase()})`,
        ],
        ['Keterangan stasiun', letterText(fault.message.id, true)],
        ['Gangguan sejak', indonesianDateTime(since, zone)],
        ['Keadaan saat ini', STATE_ID[fault.state] ?? fault.state],
        [
          'Lama gangguan',
          `${days.calendarDays} hari kalender; ${days.workingDays} ${effect.daysLabel} (${days.serviceHours} jam layanan)`,
        ],
        ['Janji perekaman warga terdampak', appointments],
      ],
    },
    { kind: 'numbered', title: 'Riwayat gangguan dan penanganan:', items: history },
    {
      kind: 'paragraph',
      text:
        `Hari kerja dihitung dari kalender layanan Kecamatan ${kecamatan} (${describeWeek(week)} ${zone}): ` +
        `setiap hari sejak gangguan tercatat sampai tanggal surat yang memiliki jam layanan selama gangguan ` +
        `berlangsung; akhir pekan dan hari libur yang dicatat kabupaten tidak dihitung.`,
    },
    ...(input.note === '' ? [] : [{ kind: 'paragraph' as const, text: letterText(input.note, true) }]),
    {
      kind: 'paragraph',
      text:
        'Sehubungan dengan hal tersebut, kami mohon bantuan Bapak/Ibu untuk memfasilitasi perbaikan atau ' +
        'penggantian perangkat tersebut, mengingat peralatan perekaman KTP-el merupakan barang milik Pemerintah ' +
        'Pusat, agar pelayanan kepada penduduk dapat segera pulih.',
    },
    {
      kind: 'paragraph',
      text: 'Demikian surat ini kami sampaikan. Atas perhatian dan kerja sama Bapak/Ibu, kami ucapkan terima kasih.',
    },
  ];
  return {
    letterhead: {
      authority: letterText(settings.authority).toUpperCase(),
      agency: letterText(settings.agency).toUpperCase(),
      address: letterText(settings.address),
      contact: letterText(contact),
      logo: settings.logo,
    },
    placeAndDate: `${letterText(settings.place)}, ${indonesianDate(input.issuedAtMs, zone)}`,
    heading: [
      ['Nomor', letterText(input.number)],
      ['Sifat', letterText(input.sifat)],
      ['Lampiran', input.lampiran === '' ? '-' : letterText(input.lampiran)],
      ['Perihal', input.perihal === '' ? defaultPerihal(fault) : letterText(input.perihal)],
    ],
    recipient: [`Yth. ${letterText(recipient)}`, 'di', letterText(recipientPlace)],
    body,
    signature: {
      title: letterText(settings.signerTitle),
      name: letterText(settings.signerName),
      rank: letterText(settings.signerRank),
      nip: settings.signerNip === '' ? '' : `NIP. ${formatNip(settings.signerNip)}`,
    },
    copies: settings.copies.map((copy) => letterText(copy)),
  };
}
