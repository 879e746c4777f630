// Escalation rules by age and severity, and whom each rule notifies. Loaded from a JSON file
// (`serve --escalation FILE`); the defaults follow the registry's practice:
//   unacknowledged 1 day -> head of technicians; open 14 days -> registry head; open 30 days -> province.
import * as z from 'zod';
import { EscalationContactSchema, EscalationRuleSchema } from '../../dash-api';
import { parseAllowedNetwork } from '../notify/webhook-address';

// The rule and contact shapes are the dashboard's (a district's staff edit their own, dash-api.ts).
export const ContactSchema = EscalationContactSchema;
export const RuleSchema = EscalationRuleSchema;
export type { EscalationRule } from '../../dash-api';

export const EscalationConfigSchema = z
  .strictObject({
    rules: z.array(RuleSchema),
    contacts: z.record(z.string(), ContactSchema),
    /** Single messages a recipient gets per local day; beyond that they wait for the daily digest. */
    maxSinglePerDay: z.number().int().min(0).default(5),
    /** The local hour (0-23) each district's daily digest goes out, by that district's clock. */
    digestHour: z.number().int().min(0).max(23).default(7),
    /**
     * The default district's offset from UTC in minutes (WIB: 420), when written; absent, it keeps
     * the time zone of its calendar like every other district (local-day.ts). Earth's offsets run
     * from UTC-12 to UTC+14: anything else is a typo (hours for minutes) and refused at start-up.
     */
    utcOffsetMinutes: z.number().int().min(-12 * 60).max(14 * 60).optional(),
    /** How often the server runs the rules. */
    intervalMinutes: z.number().positive().default(5),
    /** The dashboard's address, for links in messages. */
    dashboardUrl: z.string().default(''),
    /**
     * Hours a fault must be open before the dashboard writes an escalation letter for it; absent:
     * the longest `open` rule (the last step of escalation, 30 days by default).
     */
    letterAfterHours: z.number().positive().optional(),
    /**
     * Host names a district's staff may point a webhook at from the dashboard (the service operator
     * decides; the file's own webhooks are the operator's and need no listing). Empty: the dashboard
     * accepts no new webhooks, so a district admin cannot make the server post into its own network.
     */
    webhookHosts: z.array(z.string().min(1).max(253)).max(100).default([]),
    /**
     * Loopback, link-local or private addresses and networks (`10.20.0.0/16`, `127.0.0.1`,
     * `fd12::/16`) webhooks may connect to. Every webhook, the file's own too, is checked at send
     * time by the addresses its host resolves to (notify/webhook-address.ts); such an address not
     * listed here is refused. Unspecified, multicast and reserved addresses are never allowed.
     */
    webhookAddresses: z
      .array(
        z.string().superRefine((text, context) => {
          try {
            parseAllowedNetwork(text);
          } catch (error) {
            context.addIssue({ code: 'custom', message: (error as Error).message });
          }
        }),
      )
      .max(100)
      .default([]),
  })
  .refine((config) => config.rules.every((rule) => Object.hasOwn(config.contacts, rule.notify)), {
    message: 'every rule must notify a key of contacts',
  });
export type EscalationConfig = z.infer<typeof EscalationConfigSchema>;

export const DEFAULT_ESCALATION: EscalationConfig = EscalationConfigSchema.parse({
  rules: [
    { id: 'unacknowledged-1d', condition: 'unacknowledged', afterHours: 24, notify: 'head-of-technicians' },
    { id: 'open-14d', condition: 'open', afterHours: 14 * 24, notify: 'registry-head' },
    { id: 'open-30d', condition: 'open', afterHours: 30 * 24, notify: 'province' },
  ],
  contacts: { 'head-of-technicians': {}, 'registry-head': {}, province: {} },
});

/** Thirty days: the letter's threshold when no `open` rule and no `letterAfterHours` is configured. */
const DEFAULT_LETTER_AFTER_HOURS = 30 * 24;

/** Hours a fault must be open before an escalation letter may be written for it. */
export function letterThresholdHours(config: EscalationConfig): number {
  if (config.letterAfterHours !== undefined) {
    return config.letterAfterHours;
  }
  const open = config.rules.filter((rule) => rule.condition === 'open').map((rule) => rule.afterHours);
  return open.length === 0 ? DEFAULT_LETTER_AFTER_HOURS : Math.max(...open);
}

/**
 * The webhooks of `contacts` a district's staff may not save: on a host the operator has not listed
 * in `webhookHosts`, and not already one of the file's own webhooks. Empty when all are allowed.
 */
export function webhooksNotAllowed(
  config: EscalationConfig,
  contacts: Record<string, { webhooks: string[] }>,
): string[] {
  const hosts = new Set(config.webhookHosts.map((host) => host.toLowerCase()));
  const fileHooks = new Set(Object.values(config.contacts).flatMap((contact) => contact.webhooks));
  return Object.values(contacts)
    .flatMap((contact) => contact.webhooks)
    .filter((url) => !fileHooks.has(url) && !hosts.has(new URL(url).hostname.toLowerCase()));
}
