// `siaga check [--profile FILE] [--json] [--simulate SCENARIO] [--lang id|en] [--passive]`:
// one full check. Exit 0 when nothing is at fault, 1 when something is, 2 for usage or configuration errors.
import type { Status, Verdict } from '../../protocol/verdict';
import { runCheck } from '../agent/check';
import { roleName } from '../agent/messages';
import { expectedRoles } from '../agent/profile';
import type { CheckReport } from '../agent/types';
import type { CommandIo } from './io';
import { EXIT_FAULT, EXIT_OK, parseOptions, UsageError, writeLine } from './io';
import { diskPath, setUpStation } from '../agent/composition-root';

const STATUS_WORDS: Record<Status, { id: string; en: string }> = {
  ok: { id: 'OK', en: 'OK' },
  warning: { id: 'PERINGATAN', en: 'WARNING' },
  fault: { id: 'RUSAK', en: 'FAULT' },
  'in-use': { id: 'DIPAKAI', en: 'IN USE' },
  unknown: { id: 'TIDAK DIKETAHUI', en: 'UNKNOWN' },
};

const HEADINGS = {
  id: {
    role: 'Perangkat',
    status: 'Status',
    code: 'Kode',
    message: 'Keterangan dan langkah',
    record: 'Bisa merekam hari ini',
    print: 'Bisa mencetak e-KTP',
    yes: 'YA',
    no: 'TIDAK',
    unknown: 'belum diketahui (belum ada profil)',
    took: 'Pemeriksaan selesai dalam',
  },
  en: {
    role: 'Device',
    status: 'Status',
    code: 'Code',
    message: 'What and next step',
    record: 'Can record today',
    print: 'Can print e-KTP',
    yes: 'YES',
    no: 'NO',
    unknown: 'not known (no profile yet)',
    took: 'Check finished in',
  },
};

export function hasFault(report: CheckReport): boolean {
  return report.verdicts.some((verdict) => verdict.status === 'fault');
}

function deviceLabel(verdict: Verdict, language: 'id' | 'en'): string {
  if (verdict.role !== null) {
    return roleName(verdict.role)[language];
  }
  return verdict.device?.model ?? verdict.device?.key ?? roleName(null)[language];
}

export function formatTable(report: CheckReport, language: 'id' | 'en', profiled: boolean): string {
  const words = HEADINGS[language];
  const answer = (value: boolean) => (!profiled ? words.unknown : value ? words.yes : words.no);
  const rows = report.verdicts.map((verdict) => [
    deviceLabel(verdict, language),
    STATUS_WORDS[verdict.status][language],
    verdict.code,
    `${verdict.message[language]} ${verdict.status === 'ok' ? '' : verdict.nextStep[language]}`.trim(),
  ]);
  const header = [words.role, words.status, words.code, words.message];
  const widths = [0, 1, 2].map((column) =>
    Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell))
      .join('  ')
      .trimEnd();
  return [
    `${words.record}: ${answer(report.canRecord)}    ${words.print}: ${answer(report.canPrint)}`,
    '',
    line(header),
    line(header.map((cell, column) => '-'.repeat(column < 3 ? widths[column]! : cell.length))),
    ...rows.map(line),
    '',
    `${words.took} ${report.durationMs} ms.`,
  ].join('\n');
}

export async function runCheckCommand(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseOptions(argv, {
    profile: { type: 'string' },
    json: { type: 'boolean', default: false },
    simulate: { type: 'string' },
    'data-dir': { type: 'string' },
    lang: { type: 'string', default: 'id' },
    passive: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}"`);
  }
  if (values.lang !== 'id' && values.lang !== 'en') {
    throw new UsageError(`--lang must be "id" or "en", not "${values.lang}"`);
  }
  const station = setUpStation({
    profile: values.profile,
    simulate: values.simulate,
    dataDir: values['data-dir'],
  });
  const report = await runCheck({
    adapters: station.adapters,
    profile: station.profile,
    catalog: station.catalog,
    dataDir: diskPath(station.dataDir),
    mode: values.passive ? 'passive' : 'active',
  });
  if (values.json) {
    const { usbDevices, ...rest } = report;
    io.stdout.write(
      `${JSON.stringify({ ...rest, simulation: station.simulation?.scenario, profile: station.profilePath ?? null, usbDevices }, null, 2)}\n`,
    );
  } else {
    const profiled = expectedRoles(station.profile).length > 0;
    writeLine(io.stdout, formatTable(report, values.lang, profiled));
    if (!profiled) {
      writeLine(
        io.stdout,
        values.lang === 'id'
          ? 'Belum ada profil stasiun: jalankan `siaga profile adopt --profile FILE` untuk menjadikan perangkat yang terpasang sebagai acuan.'
          : 'No station profile yet: run `siaga profile adopt --profile FILE` to adopt the attached devices as the baseline.',
      );
    }
  }
  return hasFault(report) ? EXIT_FAULT : EXIT_OK;
}
