// `siaga-district escalate`: one pass of the escalation rules now; prints what it did as JSON.
import { writeLine } from '../../cli/command';
import { runEscalationExclusive } from '../server/escalation/scheduler';
import { ESCALATION_OPTIONS, ESCALATION_USAGE, escalationConfig, notifierOf } from './escalation-options';
import { defineCommand, noPositionals, withDb } from './io';

export const escalate = defineCommand({
  usage: `escalate ${ESCALATION_USAGE}   runs the escalation rules once`,
  options: ESCALATION_OPTIONS,
  run: async ({ values, positionals }, io) => {
    noPositionals(positionals);
    const config = escalationConfig(values);
    const notifier = notifierOf(values);
    try {
      // Waits for a pass a running server may be making on the same database (one at a time).
      const result = await withDb(values, (db) =>
        runEscalationExclusive({ db, notifier, config }, Date.now, { wait: true }),
      );
      writeLine(io.stdout, JSON.stringify(result));
    } finally {
      notifier.close();
    }
    return 0;
  },
});
