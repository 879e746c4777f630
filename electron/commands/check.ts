// `siaga check [--profile FILE] [--json] [--simulate SCENARIO] [--lang id|en] [--passive]`:
// one full check. Exit 0 when nothing is at fault, 1 when something is, 2 for usage or configuration errors.
import { translator } from '../../protocol/i18n';
import type { Language, Translator } from '../../protocol/i18n';
import type { Verdict } from '../../protocol/verdict';
import type { Answer } from '../../protocol/rules';
import { runCheck } from '../agent/check';
import { expectedRoles } from '../agent/profile';
import type { CheckReport } from '../agent/types';
import type { CommandIo } from './io';
import { EXIT_FAULT, EXIT_OK, parseOptions, UsageError, writeLine } from './io';
import { diskPath, setUpStation } from '../agent/composition-root';

export function hasFault(report: CheckReport): boolean {
  return report.verdicts.some((verdict) => verdict.status === 'fault');
}

function deviceLabel(verdict: Verdict, t: Translator<'cli'>): string {
  if (verdict.role !== null) {
    return t(`role.${verdict.role}`);
  }
  return verdict.device?.model ?? verdict.device?.key ?? t('device');
}

export function formatTable(report: CheckReport, language: Language, profiled: boolean): string {
  const t = translator('cli', language);
  // The shared rule's answers (protocol/rules.ts), upper case to stand out like the statuses.
  const answer = (value: Answer) =>
    !profiled ? t('notProfiled') : t.word('answer', value).toLocaleUpperCase(language);
  const rows = report.verdicts.map((verdict) => [
    deviceLabel(verdict, t),
    // Upper case so the status stands out in a plain-text table.
    t(`status.${verdict.status}`).toLocaleUpperCase(language),
    verdict.code,
    `${verdict.message[language]} ${verdict.status === 'ok' ? '' : verdict.nextStep[language]}`.trim(),
  ]);
  const header = [t('device'), t('status'), t('code'), t('message')];
  const widths = [0, 1, 2].map((column) =>
    Math.max(header[column]!.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell))
      .join('  ')
      .trimEnd();
  return [
    `${t('record')}: ${answer(report.recording)}    ${t('print')}: ${answer(report.printing)}`,
    '',
    line(header),
    line(header.map((cell, column) => '-'.repeat(column < 3 ? widths[column]! : cell.length))),
    ...rows.map(line),
    '',
    t('took', { milliseconds: report.durationMs }),
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
      writeLine(io.stdout, translator('cli', values.lang)('noProfile'));
    }
  }
  return hasFault(report) ? EXIT_FAULT : EXIT_OK;
}
