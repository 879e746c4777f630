// Escalation rules and contacts per district (table escalation_settings, one row per district that
// saved its own). The server's --escalation file keeps the service-wide timing (digest hour, daily
// cap, interval, letter threshold; each district counts the day on its own clock, local-day.ts) and
// is the default district's rules and contacts until that district saves its own, so a district on
// its own server works as before. Any other district escalates nothing until its staff save theirs:
// the file's contacts are nobody's in particular, and a district's faults go to that district's
// contacts only.
import type { EscalationSettings, EscalationSettingsView, Scope } from '../../dash-api';
import { EscalationSettingsSchema } from '../../dash-api';
import type { Db, SqlValue } from '../db/types';
import { DEFAULT_DISTRICT, districtWithin, scopeCondition } from '../tenancy/scope';
import type { EscalationConfig } from './config';

interface Row {
  district_code: string;
  settings: string;
  updated_at: string;
  updated_by: string;
}

/** A saved row as settings; a row that no longer parses (hand-edited) escalates nothing rather than guess. */
function parsed(row: Row): EscalationSettings | null {
  let json: unknown;
  try {
    json = JSON.parse(row.settings);
  } catch {
    return null;
  }
  const result = EscalationSettingsSchema.safeParse(json);
  return result.success ? result.data : null;
}

const fileSettings = (config: EscalationConfig): EscalationSettings => ({
  rules: config.rules,
  contacts: config.contacts,
});

/** The rules and contacts each district in `scope` (default: all) escalates with; districts without any are absent. */
export async function escalationSets(
  db: Db,
  config: EscalationConfig,
  scope?: Scope,
): Promise<Map<string, EscalationSettings>> {
  const params: SqlValue[] = [];
  const rows = await db.query<Row>(
    `SELECT district_code, settings, updated_at, updated_by FROM escalation_settings WHERE 1 = 1${scopeCondition(scope, 'district_code', params)}
     ORDER BY district_code`,
    params,
  );
  const sets = new Map<string, EscalationSettings>();
  for (const row of rows) {
    const settings = parsed(row);
    if (settings !== null) {
      sets.set(row.district_code, settings);
    }
  }
  if (
    !rows.some((row) => row.district_code === DEFAULT_DISTRICT) &&
    (scope === undefined || (await districtWithin(db, DEFAULT_DISTRICT, scope)))
  ) {
    sets.set(DEFAULT_DISTRICT, fileSettings(config));
  }
  return sets;
}

/** What one district escalates with, and where that comes from (the settings page). */
export async function escalationSettingsOf(
  db: Db,
  config: EscalationConfig,
  district: string,
): Promise<EscalationSettingsView> {
  const [row] = await db.query<Row>(
    'SELECT district_code, settings, updated_at, updated_by FROM escalation_settings WHERE district_code = $1',
    [district],
  );
  const saved = row === undefined ? null : parsed(row);
  if (row !== undefined && saved !== null) {
    return { districtCode: district, source: 'district', settings: saved, updatedAt: row.updated_at, updatedBy: row.updated_by };
  }
  if (district === DEFAULT_DISTRICT) {
    return { districtCode: district, source: 'file', settings: fileSettings(config), updatedAt: null, updatedBy: null };
  }
  // The file's rules to start from, with nobody to notify yet.
  const contacts = Object.fromEntries(
    Object.keys(config.contacts).map((key) => [key, { emails: [] as string[], webhooks: [] as string[] }]),
  );
  return { districtCode: district, source: 'none', settings: { rules: config.rules, contacts }, updatedAt: null, updatedBy: null };
}

export async function saveEscalationSettings(
  db: Db,
  district: string,
  settings: EscalationSettings,
  by: { username: string; nowMs: number },
): Promise<void> {
  await db.run(
    `INSERT INTO escalation_settings (district_code, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (district_code) DO UPDATE SET settings = $2, updated_at = $3, updated_by = $4`,
    [district, JSON.stringify(EscalationSettingsSchema.parse(settings)), new Date(by.nowMs).toISOString(), by.username],
  );
}
