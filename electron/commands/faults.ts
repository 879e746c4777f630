// `siaga faults [--json] [--all] [--lang id|en] [--data-dir DIR]`: the station's faults with their
// delivery state (waiting to be sent = committed, not yet stored by the district; received = the
// district has it), as a table with headers in one language, times in the local zone (WIB, WITA,
// WIT), and the counts explained below it, then the events parked because the district refused
// them (PC_EVENT_REFUSED), with the reason. Exit 0 when no fault is open, 1 when one is, 2 usage error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { roleName, translator } from '../../protocol/i18n';
import type { Language } from '../../protocol/i18n';
import { formatDateTime, zoneLabel } from '../../protocol/local-time';
import { textTable } from '../../cli/table';
import { Store, STORE_FILE } from '../agent/store/store';
import type { FaultRecord } from '../agent/store/store';
import type { CommandIo } from './io';
import { EXIT_FAULT, EXIT_OK, EXIT_USAGE, languageOption, parseOptions, writeLine } from './io';
import { defaultDataDir } from '../agent/composition-root';
import type { Role } from '../../protocol/roles';

export function formatFaults(
  faults: readonly FaultRecord[],
  counts: { open: number; resolved: number; pending: number; rejected: number },
  language: Language,
  now = new Date(),
): string[] {
  const t = translator('cli', language);
  const lines: string[] = [];
  if (faults.length === 0) {
    lines.push(t('noFaults'));
  } else {
    lines.push(
      ...textTable(
        [
          t('col.state'),
          t('col.since'),
          t('col.device'),
          t('col.code'),
          t('col.severity'),
          t('col.district'),
          t('col.notes'),
        ],
        faults.map((fault) => [
          t(fault.resolvedAt === null ? 'faultState.open' : 'faultState.resolved'),
          formatDateTime(language, fault.openedAt),
          roleName(fault.role as Role)[language],
          fault.code,
          t.word('severity', fault.payload.severity),
          t(`delivery.${fault.delivery}`),
          [fault.payload.flapping ? t('flapping') : '', fault.payload.recurring ? t('recurring') : '']
            .filter(Boolean)
            .join(', '),
        ]),
      ),
    );
  }
  lines.push(
    '',
    t('stationCounts', { open: counts.open, resolved: counts.resolved, shown: faults.length }),
    t('queueCount', { pending: counts.pending, rejected: counts.rejected }),
    t('timesIn', { zone: zoneLabel(now) }),
  );
  return lines;
}

export async function run(argv: string[], io: CommandIo): Promise<number> {
  let values;
  let language: Language;
  try {
    ({ values } = parseOptions(argv, {
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      lang: { type: 'string' },
      'data-dir': { type: 'string' },
    }));
    language = languageOption(values.lang);
  } catch (error) {
    writeLine(io.stderr, (error as Error).message);
    return EXIT_USAGE;
  }
  const dataDir = values['data-dir'] ?? defaultDataDir();
  if (!existsSync(path.join(dataDir, STORE_FILE))) {
    writeLine(io.stderr, `no station store in ${dataDir} (has the agent run here?)`);
    return EXIT_USAGE;
  }
  const store = Store.open(dataDir, { readonly: true });
  try {
    const faults = store.listFaults({ includeResolved: values.all });
    const pending = store.pendingCount();
    const rejected = store.rejectedCount();
    if (values.json) {
      writeLine(
        io.stdout,
        JSON.stringify({ outboxPending: pending, rejected, parked: store.listRejected(), faults }, null, 2),
      );
    } else {
      const every = values.all ? faults : store.listFaults({ includeResolved: true });
      const open = every.filter((fault) => fault.resolvedAt === null).length;
      for (const line of formatFaults(
        faults,
        { open, resolved: every.length - open, pending, rejected },
        language,
      )) {
        writeLine(io.stdout, line);
      }
    }
    if (!values.json) {
      for (const parked of store.listRejected()) {
        writeLine(
          io.stdout,
          `DISISIHKAN / parked  seq ${parked.seq}  ${parked.type}  ${parked.rejectedAt}  ${parked.reason}`,
        );
      }
    }
    return faults.some((fault) => fault.resolvedAt === null) ? EXIT_FAULT : EXIT_OK;
  } finally {
    store.close();
  }
}
