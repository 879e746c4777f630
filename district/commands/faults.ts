// `siaga-district faults [--json] [--state STATE]`: every station's faults, open ones first.
import { writeLine } from '../../cli/command';
import { listFaults } from '../server/faults/repository';
import { defineCommand, noPositionals, withDb } from './io';

export const faults = defineCommand({
  usage: 'faults [--json] [--state open|acknowledged|in-repair|resolved|closed]',
  options: { json: { type: 'boolean', default: false }, state: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const list = await withDb(values, (db) => listFaults(db, { state: values.state }));
    if (values.json) {
      writeLine(io.stdout, JSON.stringify(list, null, 2));
    } else if (list.length === 0) {
      writeLine(io.stdout, 'no faults');
    } else {
      for (const fault of list) {
        const flags = [fault.flapping ? 'flapping' : '', fault.recurring ? 'recurring' : '']
          .filter(Boolean)
          .join(',');
        writeLine(
          io.stdout,
          `${fault.state.padEnd(8)} ${fault.severity.padEnd(8)} ${fault.kecamatan} / ${fault.stationName}  ${fault.role}  ${fault.code}` +
            `${fault.deviceSerial === null ? '' : `  SN ${fault.deviceSerial}`}  since ${fault.firstSeen}  x${fault.occurrences}${flags === '' ? '' : `  [${flags}]`}`,
        );
      }
    }
    return 0;
  },
});
