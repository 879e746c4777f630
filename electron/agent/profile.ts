// The station profile: which roles this station must have and how each is matched.
// JSON on disk, validated with zod; an invalid file is a ProfileError naming the field.
import * as z from 'zod';
import { ConfigError, parseConfig, readJsonFile } from './config-file';
import { RoleSchema } from '../../protocol/verdict';
import type { Role } from '../../protocol/verdict';

const hex4 = z
  .string()
  .regex(/^[0-9a-fA-F]{4}$/, 'must be 4 hex digits, e.g. "09b0"')
  .transform((value) => value.toLowerCase());

export const UsbMatchSchema = z
  .object({
    vendorId: hex4.optional(),
    productId: hex4.optional(),
    /**
     * Compared with the serial number the device reports, which the USB adapter trims and cuts to
     * 100 characters: a space copied along with a serial must not make the baseline unit "another".
     */
    serialNumber: z.string().trim().min(1).max(100).optional(),
    /** Match by the catalog's role for any known model, when no ids are given. */
    anyKnownModel: z.boolean().optional(),
  })
  .strict();

export const SerialMatchSchema = z
  .object({
    path: z.string().min(1),
    protocol: z.enum(['megatec-q1', 'evolis']),
    baudRate: z.number().int().positive().default(2400),
  })
  .strict();

export const PrinterMatchSchema = z
  .object({
    /** A CUPS queue name (Linux), an ipp:// or http:// URI, or a Windows printer name. */
    queue: z.string().min(1),
    spooler: z.enum(['ipp', 'windows']).default('ipp'),
  })
  .strict();

export const ExternalCheckSchema = z
  .object({
    name: z.string().min(1),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    /** Regular expression the output must match for a pass (exit code 0 is required too). */
    okPattern: z.string().optional(),
    timeoutMs: z.number().int().positive().max(600_000).default(10_000),
  })
  .strict();

export const RoleSpecSchema = z
  .object({
    usb: UsbMatchSchema.optional(),
    serial: SerialMatchSchema.optional(),
    printer: PrinterMatchSchema.optional(),
    /** Camera: the label (or part of it) of the video input the renderer should open. */
    cameraLabel: z.string().optional(),
    /** Network: endpoints to reach (http[s]://... or tcp://host:port). */
    endpoints: z
      .array(z.object({ name: z.enum(['central', 'district', 'other']), url: z.string().url() }).strict())
      .optional(),
    external: z.array(ExternalCheckSchema).optional(),
  })
  .strict();
export type RoleSpec = z.infer<typeof RoleSpecSchema>;

export const ProfileSchema = z
  .object({
    version: z.literal(1),
    station: z
      .object({ name: z.string().min(1), kecamatan: z.string().min(1).optional() })
      .strict()
      .optional(),
    roles: z.partialRecord(RoleSchema, RoleSpecSchema),
    timeouts: z
      .object({
        usbMs: z.number().int().positive().default(3000),
        serialMs: z.number().int().positive().default(2000),
        printerMs: z.number().int().positive().default(3000),
        networkMs: z.number().int().positive().default(3000),
        systemMs: z.number().int().positive().default(2000),
      })
      .strict()
      .default({ usbMs: 3000, serialMs: 2000, printerMs: 3000, networkMs: 3000, systemMs: 2000 }),
    thresholds: z
      .object({
        diskFreeMinBytes: z
          .number()
          .nonnegative()
          .default(2 * 1024 ** 3),
        memoryFreeMinBytes: z
          .number()
          .nonnegative()
          .default(256 * 1024 ** 2),
        clockSkewMaxMs: z
          .number()
          .nonnegative()
          .default(5 * 60_000),
        latencyWarnMs: z.number().nonnegative().default(1500),
        /** Reconnects of one USB device inside the window that mean a loose cable. */
        reconnectsForLooseCable: z.number().int().positive().default(3),
      })
      .strict()
      .default({
        diskFreeMinBytes: 2 * 1024 ** 3,
        memoryFreeMinBytes: 256 * 1024 ** 2,
        clockSkewMaxMs: 5 * 60_000,
        latencyWarnMs: 1500,
        reconnectsForLooseCable: 3,
      }),
  })
  .strict();
export type Profile = z.infer<typeof ProfileSchema>;

/** The roles the profile expects, with their specs, in the profile's order. */
export function roleSpecs(profile: Profile): [Role, RoleSpec][] {
  return Object.entries(profile.roles) as [Role, RoleSpec][];
}

/** The roles the profile expects, in the profile's order. */
export function expectedRoles(profile: Profile): Role[] {
  return roleSpecs(profile).map(([role]) => role);
}

/** The station PC itself (disk, memory, clock) is checked on every station, listed or not. */
const ALWAYS_CHECKED: Role = 'pc';

/** The roles every check covers: the expected ones, then the PC when the profile leaves it out. */
export function checkedRoles(profile: Profile): Role[] {
  const expected = expectedRoles(profile);
  return expected.includes(ALWAYS_CHECKED) ? expected : [...expected, ALWAYS_CHECKED];
}

export class ProfileError extends ConfigError {}

/** Validates parsed JSON. Throws ProfileError naming the first bad field. */
export function parseProfile(value: unknown, source = 'profile'): Profile {
  return parseConfig(ProfileSchema, value, source, ProfileError);
}

/** Reads and validates a profile file. Throws ProfileError for unreadable, non-JSON or invalid files. */
export function loadProfile(path: string): Profile {
  return parseProfile(readJsonFile(path, ProfileError), path);
}
