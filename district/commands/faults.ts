// `siaga-district faults [--json] [--state STATE] [--lang id|en]`: every station's faults, open
// ones first, as a table with headers in one language, times in this computer's zone (WIB, WITA,
// WIT: set TZ to the district's zone), and the counts by state explained below it.
import { languageOption, writeLine } from '../../cli/command';
import { textTable } from '../../cli/table';
import { roleName, translator } from '../../protocol/i18n';
import type { Language } from '../../protocol/i18n';
import { formatDateTime, zoneLabel } from '../../protocol/local-time';
import type { Role } from '../../protocol/roles';
import type { FaultListing } from '../server/faults/repository';
import { listFaults } from '../server/faults/repository';
import { defineCommand, noPositionals, withDb } from './io';

const STATES = ['open', 'acknowledged', 'in-repair', 'resolved', 'closed'] as const;

export function formatDistrictFaults(
  list: readonly FaultListing[],
  language: Language,
  now = new Date(),
): string[] {
  const t = translator('cli', language);
  const lines: string[] = [];
  if (list.length === 0) {
    lines.push(t('noFaults'));
  } else {
    lines.push(
      ...textTable(
        [
          t('col.state'),
          t('col.severity'),
          t('col.where'),
          t('col.device'),
          t('col.code'),
          t('col.serial'),
          t('col.since'),
          t('col.times'),
          t('col.notes'),
        ],
        list.map((fault) => [
          STATES.includes(fault.state as (typeof STATES)[number])
            ? t(`districtState.${fault.state as (typeof STATES)[number]}`)
            : fault.state,
          t.word('severity', fault.severity),
          `${fault.kecamatan} / ${fault.stationName}`,
          roleName(fault.role as Role)[language],
          fault.code,
          fault.deviceSerial ?? '—',
          formatDateTime(language, fault.firstSeen),
          String(fault.occurrences),
          [fault.flapping ? t('flapping') : '', fault.recurring ? t('recurring') : '']
            .filter(Boolean)
            .join(', '),
        ]),
      ),
    );
  }
  const count = (state: string) => list.filter((fault) => fault.state === state).length;
  lines.push(
    '',
    t('districtCounts', {
      total: list.length,
      open: count('open'),
      acknowledged: count('acknowledged'),
      inRepair: count('in-repair'),
      resolved: count('resolved'),
      closed: count('closed'),
    }),
    t('timesIn', { zone: zoneLabel(now) }),
  );
  return lines;
}

export const faults = defineCommand({
  usage: 'faults [--json] [--state open|acknowledged|in-repair|resolved|closed] [--lang id|en]',
  options: { json: { type: 'boolean', default: false }, state: { type: 'string' }, lang: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const language = languageOption(values.lang);
    const list = await withDb(values, (db) => listFaults(db, { state: values.state }));
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(list, null, 2));
    } else {
      for (const line of formatDistrictFaults(list, language)) {
        writeLine(io.stdout, line);
      }
    }
    return 0;
  },
});
