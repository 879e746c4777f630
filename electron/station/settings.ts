// The technician screen's settings, from their one source each: the kiosk's own settings in the
// store (meta `ui-settings`), the camera from the station profile and the district URL from the
// station's identity (identity.json), however the station was enrolled (kiosk or `siaga enroll`).
import type { Settings, SettingsPatch } from '../station-api';
import { SettingsPatchSchema } from '../station-api';
import type { Enrollment } from '../agent/identity';
import type { Profile } from '../agent/profile';
import { META, readMeta, writeMeta } from '../agent/store/meta';
import type { Store } from '../agent/store/store';

/** The photo standard's minimum capture size (px). */
const PHOTO_STANDARD = { minWidth: 640, minHeight: 480 };

export function readSettings(store: Store, profile: Profile, enrollment: Enrollment | null): Settings {
  return {
    ...readMeta(store, META.uiSettings),
    camera: { label: profile.roles.camera?.cameraLabel ?? '', ...PHOTO_STANDARD },
    districtUrl: enrollment?.districtUrl ?? null,
    districtLinkInsecure: enrollment?.insecure === true,
  };
}

export function updateSettings(store: Store, patch: SettingsPatch): void {
  const valid = SettingsPatchSchema.parse(patch);
  writeMeta(store, META.uiSettings, { ...readMeta(store, META.uiSettings), ...valid });
}
