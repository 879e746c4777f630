// `siaga faults [--json] [--all] [--data-dir DIR]`: the station's faults with their delivery state
// (queued = committed, not yet stored by the district; reported = the district has it), and the
// events parked because the district refused them (PC_EVENT_REFUSED), with the reason.
// Exit 0 when no fault is open, 1 when one is, 2 usage error.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Store, STORE_FILE } from '../agent/store/store';
import type { CommandIo } from './io';
import { EXIT_FAULT, EXIT_OK, EXIT_USAGE, parseOptions, writeLine } from './io';
import { defaultDataDir } from '../agent/composition-root';

export async function run(argv: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseOptions(argv, {
      json: { type: 'boolean', default: false },
      all: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    }));
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
    if (values.json) {
      writeLine(
        io.stdout,
        JSON.stringify(
          { outboxPending: pending, rejected: store.rejectedCount(), parked: store.listRejected(), faults },
          null,
          2,
        ),
      );
    } else if (faults.length === 0) {
      writeLine(
        io.stdout,
        `Tidak ada gangguan / no faults. Antrean ke kabupaten / queued for the district: ${pending}`,
      );
    } else {
      for (const fault of faults) {
        const flags = [fault.payload.flapping ? 'flapping' : '', fault.payload.recurring ? 'recurring' : '']
          .filter(Boolean)
          .join(',');
        writeLine(
          io.stdout,
          [
            fault.resolvedAt ? 'RESOLVED' : 'OPEN    ',
            fault.openedAt,
            fault.role.padEnd(16),
            fault.code.padEnd(28),
            fault.payload.severity.padEnd(8),
            fault.delivery.padEnd(8),
            flags,
          ]
            .join('  ')
            .trimEnd(),
        );
      }
      writeLine(io.stdout, `Antrean ke kabupaten / queued for the district: ${pending}`);
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
