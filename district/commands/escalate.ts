// `siaga-district escalate`: one pass of the escalation rules now; prints what it did as JSON.
import { writeLine } from '../../cli/command';
import { runEscalation } from '../server/escalation/run';
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
      const result = await withDb(values, (db) => runEscalation({ db, notifier, config }, Date.now()));
      writeLine(io.stdout, JSON.stringify(result));
    } finally {
      notifier.close();
    }
    return 0;
  },
});
