// Escalation rules by age and severity, and whom each rule notifies. Loaded from a JSON file
// (`serve --escalation FILE`); the defaults follow the registry's practice:
//   unacknowledged 1 day -> head of technicians; open 14 days -> registry head; open 30 days -> province.
import * as z from 'zod';
import { SeveritySchema } from '../../../protocol/verdict';

export const ContactSchema = z.strictObject({
  emails: z.array(z.email()).default([]),
  /** URLs that receive a JSON POST per escalation (or per digest). */
  webhooks: z.array(z.url()).default([]),
});

export const RuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  /** `unacknowledged`: nobody at the district acknowledged it yet; `open`: not resolved by the station. */
  condition: z.enum(['unacknowledged', 'open']),
  afterHours: z.number().positive(),
  /** Faults of this severity or worse. */
  minSeverity: SeveritySchema.default('minor'),
  /** A key of `contacts`. */
  notify: z.string(),
});
export type EscalationRule = z.infer<typeof RuleSchema>;

export const EscalationConfigSchema = z
  .strictObject({
    rules: z.array(RuleSchema),
    contacts: z.record(z.string(), ContactSchema),
    /** Single messages a recipient gets per local day; beyond that they wait for the daily digest. */
    maxSinglePerDay: z.number().int().min(0).default(5),
    /** The local hour (0-23) the daily digest goes out. */
    digestHour: z.number().int().min(0).max(23).default(7),
    /** Local time's offset from UTC in minutes (WIB: 420). */
    utcOffsetMinutes: z.number().int().default(420),
    /** How often the server runs the rules. */
    intervalMinutes: z.number().positive().default(5),
    /** The dashboard's address, for links in messages. */
    dashboardUrl: z.string().default(''),
  })
  .refine((config) => config.rules.every((rule) => rule.notify in config.contacts), {
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
