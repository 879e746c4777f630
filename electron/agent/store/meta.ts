// The store's `meta` table: the station's small values kept beside its tables, every one named in
// META or META_FAMILIES below and nowhere else. Keys are kebab-case words; a family (one value per
// item) is `<family>:<id>`. Values are JSON checked with the key's zod schema when read: a missing,
// unreadable or invalid value reads as the key's fallback, so a damaged value never stops the station.
// Keys of schema 1 in other styles are renamed by migration 2 (migrations.ts).
import * as z from 'zod';
import { DistrictFaultSchema } from '../../../protocol/requests';
import type { Store } from './store';

export interface MetaKey<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  readonly fallback: T;
}

function metaKey<T>(name: string, schema: z.ZodType<T>, fallback: T): MetaKey<T> {
  return { name, schema, fallback };
}

const TechnicianPinSchema = z.object({
  /** scrypt of the PIN, hex; absent until a technician sets one (the installer's PIN opens until then). */
  hash: z.string().optional(),
  salt: z.string().optional(),
  failures: z.number().int().min(0),
  /** Epoch ms; 0 when not locked. */
  lockedUntil: z.number(),
  lockouts: z.number().int().min(0),
});

const StockSchema = z.number().int().min(0);
/** Bahasa Indonesia first; below these stock counts the board warns. */
const DEFAULT_UI_SETTINGS = { language: 'id', lowBlankCards: 50, lowRibbonPrints: 100 } as const;

export const META = {
  /** The sequence number the next committed event gets (store.ts); null when the counter is lost. */
  nextSeq: metaKey('next-seq', z.number().int().positive().nullable(), null),
  /** District clock minus local clock (ms) from the district's last reply; null before any (outbox.ts). */
  clockOffsetMs: metaKey('clock-offset-ms', z.number().finite().nullable(), null),
  /** The kiosk's settings (station/settings.ts). */
  uiSettings: metaKey(
    'ui-settings',
    z.object({
      language: z.enum(['id', 'en']).default(DEFAULT_UI_SETTINGS.language),
      lowBlankCards: StockSchema.default(DEFAULT_UI_SETTINGS.lowBlankCards),
      lowRibbonPrints: StockSchema.default(DEFAULT_UI_SETTINGS.lowRibbonPrints),
    }),
    DEFAULT_UI_SETTINGS,
  ),
  /** The technician PIN and its lockout (station/pin.ts). */
  technicianPin: metaKey('technician-pin', TechnicianPinSchema, { failures: 0, lockedUntil: 0, lockouts: 0 }),
  /**
   * The last signed-off daily check, as StationApi's DailyCheckRecord (station/daily-check.ts); what
   * is read back is when it was completed and the outbox seq of its event (absent before it was kept).
   */
  lastDailyCheck: metaKey(
    'last-daily-check',
    z.object({ completedAt: z.string(), eventSeq: z.number().int().optional() }).nullable(),
    null,
  ),
  /** Stock counted at the last daily check (station/daily-check.ts). */
  consumables: metaKey(
    'consumables',
    z.object({ blankCards: StockSchema, ribbonPrints: StockSchema, updatedAt: z.string() }).nullable(),
    null,
  ),
  /** The camera's last snapshot from the kiosk, a data: URL, kept for technicians (station/camera-verdicts.ts). */
  cameraSnapshot: metaKey(
    'camera-snapshot',
    z.object({ at: z.string(), code: z.string(), snapshot: z.string() }).nullable(),
    null,
  ),
  /**
   * Verdicts measured outside the agent (the kiosk's camera analysis), each entry checked on reading
   * by runtime/observed-verdicts.ts, so one damaged entry does not lose the others.
   */
  observedVerdicts: metaKey('observed-verdicts', z.array(z.unknown()), []),
  /**
   * The station's current forecasts and when their set was last reported (forecast/runner.ts); the
   * forecasts are checked one by one on reading (ForecastSchema), the kiosk shows them.
   */
  forecasts: metaKey(
    'forecasts',
    z.object({ forecasts: z.array(z.unknown()), signature: z.string(), reportedAt: z.number() }).nullable(),
    null,
  ),
};

export interface MetaFamily<T> {
  readonly prefix: string;
  /** The key of one item's value (null when absent). */
  key(id: string): MetaKey<T | null>;
}

function metaFamily<T>(family: string, schema: z.ZodType<T>): MetaFamily<T> {
  const prefix = `${family}:`;
  return { prefix, key: (id) => metaKey(`${prefix}${id}`, schema.nullable(), null) };
}

export const META_FAMILIES = {
  /** The district's last known state of each fault, by fault id (outbox.ts; the kiosk shows it). */
  districtFault: metaFamily('district-fault', DistrictFaultSchema),
};

function readText(store: Store, name: string): string | undefined {
  const row = store.db.prepare('SELECT value FROM meta WHERE key = ?').get(name) as
    { value: string } | undefined;
  return row?.value;
}

function writeText(store: Store, name: string, text: string): void {
  store.db
    .prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    )
    .run(name, text);
}

/** The stored value, or the key's fallback when it is missing, not JSON or not valid. */
export function readMeta<T>(store: Store, key: MetaKey<T>): T {
  const text = readText(store, key.name);
  let value: unknown;
  try {
    value = text === undefined ? undefined : JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = value === undefined ? undefined : key.schema.safeParse(value);
  // A copy: a caller changing what it read must not change the fallback.
  return parsed?.success ? parsed.data : structuredClone(key.fallback);
}

export function writeMeta<T>(store: Store, key: MetaKey<T>, value: T): void {
  writeText(store, key.name, JSON.stringify(value));
}

/** Writes the value unless the same JSON is stored already; returns whether it wrote. */
export function writeMetaIfChanged<T>(store: Store, key: MetaKey<T>, value: T): boolean {
  const text = JSON.stringify(value);
  if (readText(store, key.name) === text) {
    return false;
  }
  writeText(store, key.name, text);
  return true;
}

/** Deletes the family's values whose id is not a row of `liveIdsQuery` (SQL, one column); returns how many. */
export function pruneMetaFamily(store: Store, family: MetaFamily<unknown>, liveIdsQuery: string): number {
  return store.db
    .prepare(`DELETE FROM meta WHERE substr(key, 1, ?) = ? AND substr(key, ?) NOT IN (${liveIdsQuery})`)
    .run(family.prefix.length, family.prefix, family.prefix.length + 1).changes;
}
