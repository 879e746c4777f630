// `siaga-district escalate [--district CODE]`: one pass of the escalation rules now (of every
// district, or of one); prints what it did as JSON.
import { UsageError, writeLine } from '../../cli/command';
import { runEscalationExclusive } from '../server/escalation/scheduler';
import { districtScope } from '../server/tenancy/scope';
import { ESCALATION_OPTIONS, ESCALATION_USAGE, escalationConfig, notifierOf } from './escalation-options';
import { defineCommand, noPositionals, withDb } from './io';

export const escalate = defineCommand({
  usage: `escalate ${ESCALATION_USAGE} [--district CODE]   runs the escalation rules once (of one district with --district)`,
  options: { ...ESCALATION_OPTIONS, district: { type: 'string' } },
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const config = escalationConfig(values);
    const notifier = notifierOf(values, config);
    try {
      // Waits for a pass a running server may be making on the same database (one at a time).
      const district = values.district;
      const result = await withDb(values, async (db) => {
        if (district !== undefined && (await db.query('SELECT code FROM districts WHERE code = $1', [district])).length === 0) {
          throw new UsageError(`kabupaten/kota ${district} tidak ada (no district ${district})`);
        }
        const warn = (message: string, detail: Record<string, unknown>): void =>
          writeLine(io.stderr, `${message}: ${JSON.stringify(detail)}`);
        return runEscalationExclusive({ db, notifier, config, warn }, Date.now, {
          wait: true,
          scope: district === undefined ? undefined : districtScope(district),
        });
      });
      writeLine(io.stdout, JSON.stringify(result));
    } finally {
      notifier.close();
    }
    return 0;
  },
});
