// The options of the commands that escalate (serve, escalate): the rules file and how to notify.
import { readFileSync } from 'node:fs';
import { UsageError } from '../../cli/command';
import { DEFAULT_ESCALATION, EscalationConfigSchema } from '../server/escalation/config';
import type { EscalationConfig } from '../server/escalation/config';
import { createNotifier } from '../server/notify/notifier';
import type { Notifier } from '../server/notify/types';

export const ESCALATION_OPTIONS = {
  smtp: { type: 'string' },
  'mail-from': { type: 'string', default: 'Siaga <siaga@localhost>' },
  escalation: { type: 'string' },
} as const;

export const ESCALATION_USAGE = '[--escalation FILE.json] [--smtp smtp://host:587] [--mail-from ADDR]';

/** The rules of `--escalation FILE.json`, or the defaults; a UsageError names what is wrong in the file. */
export function escalationConfig(values: { escalation?: string }): EscalationConfig {
  if (values.escalation === undefined) {
    return DEFAULT_ESCALATION;
  }
  const parsed = EscalationConfigSchema.safeParse(JSON.parse(readFileSync(values.escalation, 'utf8')));
  if (!parsed.success) {
    throw new UsageError(
      `--escalation ${values.escalation}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

export function notifierOf(values: { smtp?: string; 'mail-from': string }, config: EscalationConfig): Notifier {
  return createNotifier({
    smtpUrl: values.smtp ?? null,
    from: values['mail-from'],
    webhookAddresses: config.webhookAddresses,
  });
}
