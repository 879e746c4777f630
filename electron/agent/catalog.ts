// The catalog of known kit models: USB signatures -> role, vendor, model and the checks that apply.
// JSON on disk (resources/catalog.json), validated with zod; ids and classes are hex strings there
// ("09b0", "0e") and numbers here. An invalid file is a CatalogError naming the field.
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { ConfigError, parseConfig, readJsonFile } from './config-file';
import { RoleSchema } from '../../protocol/verdict';
import type { UsbDeviceInfo } from '../../native/usb/types';

const hexNumber = (digits: number, example: string) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${digits}}$`), `must be ${digits} hex digits, e.g. "${example}"`)
    .transform((value) => Number.parseInt(value, 16));

const patternSchema = z
  .string()
  .min(1)
  .superRefine((value, context) => {
    try {
      new RegExp(value, 'i');
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `not a valid regular expression: ${(error as Error).message}`,
      });
    }
  });

export const CatalogMatchSchema = z
  .object({
    vendorId: hexNumber(4, '09b0').optional(),
    productId: hexNumber(4, '2400').optional(),
    /** The device-level class (bDeviceClass). */
    deviceClass: hexNumber(2, '0e').optional(),
    /** A class of any interface, or the device-level class (which then applies to every interface). */
    interfaceClass: hexNumber(2, '0b').optional(),
    /** Case-insensitive regular expression tested against "manufacturer product". */
    productPattern: patternSchema.optional(),
  })
  .strict()
  .refine((match) => match.productId === undefined || match.vendorId !== undefined, {
    message: 'productId needs vendorId',
    path: ['productId'],
  })
  .refine(
    (match) =>
      match.vendorId !== undefined ||
      match.deviceClass !== undefined ||
      match.interfaceClass !== undefined ||
      match.productPattern !== undefined,
    { message: 'needs at least one of vendorId, deviceClass, interfaceClass, productPattern' },
  );

export const CHECK_NAMES = [
  'usb-presence',
  'reconnects',
  'spooler',
  'megatec-q1',
  'evolis-status',
  'camera-frames',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export const CatalogEntrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes'),
    role: RoleSchema,
    vendor: z.string().min(1),
    model: z.string().min(1),
    match: CatalogMatchSchema,
    checks: z.array(z.enum(CHECK_NAMES)).min(1),
    note: z.string().optional(),
  })
  .strict();
export type CatalogEntry = z.output<typeof CatalogEntrySchema>;

export const CatalogSchema = z
  .object({
    version: z.literal(1),
    entries: z.array(CatalogEntrySchema),
  })
  .strict()
  .superRefine((catalog, context) => {
    const seen = new Set<string>();
    catalog.entries.forEach((entry, index) => {
      if (seen.has(entry.id)) {
        context.addIssue({
          code: 'custom',
          message: `duplicate id "${entry.id}"`,
          path: ['entries', index, 'id'],
        });
      }
      seen.add(entry.id);
    });
  });
export type Catalog = z.output<typeof CatalogSchema>;

export class CatalogError extends ConfigError {}

/** resources/catalog.json of this checkout. A packaged app passes its own resources path. */
export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL('../../resources/catalog.json', import.meta.url));

/** Validates parsed JSON. Throws CatalogError naming the first bad field. */
export function parseCatalog(value: unknown, source = 'catalog'): Catalog {
  return parseConfig(CatalogSchema, value, source, CatalogError);
}

/** Reads and validates a catalog file. Throws CatalogError for unreadable, non-JSON or invalid files. */
export function loadCatalog(path: string = DEFAULT_CATALOG_PATH): Catalog {
  return parseCatalog(readJsonFile(path, CatalogError), path);
}

const compiledPatterns = new Map<string, RegExp>();

function patternMatches(pattern: string, device: UsbDeviceInfo): boolean {
  let regex = compiledPatterns.get(pattern);
  if (!regex) {
    regex = new RegExp(pattern, 'i');
    compiledPatterns.set(pattern, regex);
  }
  return regex.test([device.manufacturer, device.product].filter(Boolean).join(' '));
}

/** Every criterion given must hold. */
function entryMatches(entry: CatalogEntry, device: UsbDeviceInfo): boolean {
  const { match } = entry;
  if (match.vendorId !== undefined && match.vendorId !== device.vendorId) {
    return false;
  }
  if (match.productId !== undefined && match.productId !== device.productId) {
    return false;
  }
  if (match.deviceClass !== undefined && match.deviceClass !== device.deviceClass) {
    return false;
  }
  if (
    match.interfaceClass !== undefined &&
    match.interfaceClass !== device.deviceClass &&
    !(device.interfaceClasses ?? []).includes(match.interfaceClass)
  ) {
    return false;
  }
  return match.productPattern === undefined || patternMatches(match.productPattern, device);
}

/** vendor+product > vendor+class/pattern > vendor alone > class/pattern alone. */
function specificity(entry: CatalogEntry): number {
  const { match } = entry;
  return (
    (match.productId !== undefined ? 100 : 0) +
    (match.vendorId !== undefined ? 10 : 0) +
    (match.deviceClass !== undefined ? 1 : 0) +
    (match.interfaceClass !== undefined ? 1 : 0) +
    (match.productPattern !== undefined ? 1 : 0)
  );
}

/**
 * The most specific catalog entry matching the device; among equally specific ones, the first in
 * the file. Undefined for a device the catalog does not know ("present but unknown").
 */
export function matchUsbDevice(device: UsbDeviceInfo, catalog: Catalog): CatalogEntry | undefined {
  let best: CatalogEntry | undefined;
  let bestScore = -1;
  for (const entry of catalog.entries) {
    if (!entryMatches(entry, device)) {
      continue;
    }
    const score = specificity(entry);
    if (score > bestScore) {
      best = entry;
      bestScore = score;
    }
  }
  return best;
}
