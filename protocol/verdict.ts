// The vocabulary shared by the station, the kiosk UI and the district: roles, statuses, verdicts.
import * as z from 'zod';
import { ROLES } from './roles';
import { statusRank } from './rules';

export { ROLES, RECORDING_ROLES, PRINTING_ROLES } from './roles';
export type { Role } from './roles';

export const RoleSchema = z.enum(ROLES);

export const STATUSES = ['ok', 'warning', 'fault', 'in-use', 'unknown'] as const;
export const StatusSchema = z.enum(STATUSES);
export type Status = z.infer<typeof StatusSchema>;

export const SEVERITIES = ['info', 'minor', 'major', 'critical'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

export const TextSchema = z.object({ id: z.string(), en: z.string() });
/** A text an operator reads: Bahasa Indonesia first, English second. */
export type Text = z.infer<typeof TextSchema>;

/** Which physical device a verdict or fault is about. */
export const DeviceIdentitySchema = z.object({
  /** Stable key on this station, e.g. `usb:09b0:2400:SN123` or `serial:/dev/ttyS0` or `ipp:CardPrinter`. */
  key: z.string().max(200),
  vendor: z.string().max(100).optional(),
  model: z.string().max(100).optional(),
  serialNumber: z.string().max(100).optional(),
  transport: z.enum(['usb', 'serial', 'printer', 'network', 'system', 'external', 'camera']).optional(),
});
export type DeviceIdentity = z.infer<typeof DeviceIdentitySchema>;

export const VerdictSchema = z.object({
  /** The expected role this verdict answers for; null for a detected device the profile does not expect. */
  role: RoleSchema.nullable(),
  status: StatusSchema,
  /** Stable machine code, e.g. FINGERPRINT_MISSING. Never translated. */
  code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  severity: SeveritySchema,
  message: TextSchema,
  nextStep: TextSchema,
  device: DeviceIdentitySchema.optional(),
  /** Raw measurements for technicians (voltages, printer-state-reasons, latency, ...). */
  measurements: z.record(z.string(), z.unknown()),
  checkedAt: z.string(),
  durationMs: z.number(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

/** The first of the items with the worst status (fault > warning > unknown > in-use > ok). */
export function worstOf<T extends { status: Status }>(items: readonly [T, ...T[]]): T {
  return items.reduce((worst, item) => (statusRank(item.status) > statusRank(worst.status) ? item : worst));
}
