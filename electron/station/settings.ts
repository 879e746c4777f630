// JSON values kept in the store's meta table for the kiosk: UI settings, the technician PIN, the
// last daily check, consumables, the camera snapshot. Unreadable values read as the fallback.
import type { Language, Settings, SettingsPatch } from '../station-api';
import { SettingsPatchSchema } from '../station-api';
import type { Profile } from '../agent/profile';
import type { Store } from '../agent/store/store';

export function readMeta<T>(store: Store, key: string, fallback: T): T {
  const value = store.getMeta(key);
  if (value === undefined) {
    return fallback;
  }
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}

export function writeMeta(store: Store, key: string, value: unknown): void {
  store.setMeta(key, JSON.stringify(value));
}

const SETTINGS_KEY = 'ui-settings';
const DEFAULT_SETTINGS = { language: 'id' as Language, lowBlankCards: 50, lowRibbonPrints: 100 };
/** The photo standard's minimum capture size (px). */
const PHOTO_STANDARD = { minWidth: 640, minHeight: 480 };

export function readSettings(store: Store, profile: Profile): Omit<Settings, 'districtLinkInsecure'> {
  return {
    ...DEFAULT_SETTINGS,
    ...readMeta(store, SETTINGS_KEY, DEFAULT_SETTINGS),
    camera: { label: profile.roles.camera?.cameraLabel ?? '', ...PHOTO_STANDARD },
    districtUrl: store.getMeta('district-url') ?? null,
  };
}

export function updateSettings(store: Store, patch: SettingsPatch): void {
  const valid = SettingsPatchSchema.parse(patch);
  writeMeta(store, SETTINGS_KEY, { ...readMeta(store, SETTINGS_KEY, DEFAULT_SETTINGS), ...valid });
}
