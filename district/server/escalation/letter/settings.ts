// The district's letterhead, numbering pattern, recipients and signatory for escalation letters
// (table escalation_letter_settings, one row per district), changed by an admin through the dashboard.
import type { LetterSettings, LetterSettingsView } from '../../../dash-api';
import { LetterSettingsRequestSchema } from '../../../dash-api';
import type { Db } from '../../db/types';
import { DEFAULT_DISTRICT } from '../../tenancy/scope';

/** What the form starts with before an admin saved anything: the usual words, no district's own. */
export const SUGGESTED_SETTINGS: LetterSettings = LetterSettingsRequestSchema.parse({
  authority: '',
  agency: 'Dinas Kependudukan dan Pencatatan Sipil',
  address: '-',
  place: '-',
  // 470: Kependudukan in the classification of official letters (Permendagri 78/2012).
  numberPattern: '470/{n}/Disdukcapil/{year}',
  provinceRecipient: 'Kepala Dinas Kependudukan dan Pencatatan Sipil Provinsi',
  provincePlace: '-',
  directorateRecipient: 'Direktur Jenderal Kependudukan dan Pencatatan Sipil Kementerian Dalam Negeri',
  directoratePlace: 'Jakarta',
  signerTitle: 'Kepala Dinas Kependudukan dan Pencatatan Sipil',
  signerName: '-',
  copies: ['Arsip'],
});

export async function letterSettings(db: Db, district: string = DEFAULT_DISTRICT): Promise<LetterSettingsView> {
  const [row] = await db.query<{ settings: string; updated_at: string; updated_by: string }>(
    'SELECT settings, updated_at, updated_by FROM escalation_letter_settings WHERE district_code = $1',
    [district],
  );
  if (row === undefined) {
    return { configured: false, settings: SUGGESTED_SETTINGS, updatedAt: null, updatedBy: null };
  }
  // Read through the schema: settings saved by an older version get the defaults of new fields.
  return {
    configured: true,
    settings: LetterSettingsRequestSchema.parse(JSON.parse(row.settings)),
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

/** Saves settings already checked against LetterSettingsRequestSchema (and the logo by render.ts). */
export async function saveLetterSettings(
  db: Db,
  settings: LetterSettings,
  by: { username: string; nowMs: number },
  district: string = DEFAULT_DISTRICT,
): Promise<void> {
  await db.run(
    `INSERT INTO escalation_letter_settings (district_code, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (district_code) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [district, JSON.stringify(settings), new Date(by.nowMs).toISOString(), by.username],
  );
}
