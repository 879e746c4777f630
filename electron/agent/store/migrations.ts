// Schema of the station store, one migration per PRAGMA user_version step. A migration only ever
// adds (or renames meta keys): a station may skip several versions in one update and must keep
// every queued event, its PIN and its settings.
import type { Database } from 'better-sqlite3';

/**
 * Meta keys of schema 1 in the one naming style of meta.ts (kebab-case, `family:id` only for a
 * family). `district-url` goes: the district URL is read from identity.json. Run by migration 2 and
 * on meta rows salvaged from a damaged file of an older schema; running it twice changes nothing.
 */
const RENAME_LEGACY_META_KEYS = `
  UPDATE OR REPLACE meta SET key = 'next-seq' WHERE key = 'next_seq';
  UPDATE OR REPLACE meta SET key = 'clock-offset-ms' WHERE key = 'clock_offset_ms';
  UPDATE OR REPLACE meta SET key = 'last-daily-check' WHERE key = 'daily-check:last';
  UPDATE OR REPLACE meta SET key = 'camera-snapshot' WHERE key = 'camera:snapshot';
  DELETE FROM meta WHERE key = 'district-url';
`;

export function renameLegacyMetaKeys(db: Database): void {
  db.exec(RENAME_LEGACY_META_KEYS);
}

const MIGRATIONS: readonly string[] = [
  // 1: the first schema.
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

  -- Committed events not yet acknowledged by the district, in the order they were committed.
  -- The envelope's stationId is added when sending, so events recorded before enrollment are kept.
  CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    fault_id TEXT,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE INDEX outbox_type ON outbox (type);
  CREATE INDEX outbox_fault ON outbox (fault_id);

  -- Events the district refused one by one as invalid: kept for a technician, never sent again.
  CREATE TABLE outbox_rejected (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    rejected_at TEXT NOT NULL,
    reason TEXT NOT NULL
  ) STRICT;

  -- Lifecycle state per fault key (role + code + device), JSON of TrackedFault (faults.ts).
  CREATE TABLE fault_tracks (key TEXT PRIMARY KEY, state TEXT NOT NULL) STRICT;

  -- Every opening of a fault, with its latest payload and the seq of its latest event.
  CREATE TABLE faults (
    fault_id TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    role TEXT NOT NULL,
    code TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    resolved_at TEXT,
    payload TEXT NOT NULL,
    last_seq INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX faults_open ON faults (resolved_at);

  CREATE TABLE devices (
    key TEXT PRIMARY KEY,
    info TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
  ) STRICT;

  CREATE TABLE check_results (
    id INTEGER PRIMARY KEY,
    checked_at TEXT NOT NULL,
    mode TEXT NOT NULL,
    role TEXT,
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    device_key TEXT,
    duration_ms REAL NOT NULL,
    measurements TEXT NOT NULL
  ) STRICT;
  CREATE INDEX check_results_time ON check_results (checked_at);

  -- What pruning keeps of old check results: counts per day, role, code and status.
  CREATE TABLE check_summaries (
    day TEXT NOT NULL,
    role TEXT NOT NULL,
    code TEXT NOT NULL,
    status TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, role, code, status)
  ) STRICT;
  `,
  // 2: one naming style for meta keys.
  RENAME_LEGACY_META_KEYS,
  // 3: daily aggregates of what the forecasts watch (electron/agent/forecast/series-store.ts); IF NOT
  // EXISTS: a store whose user_version was set back (a downgrade and upgrade) still migrates.
  `
  CREATE TABLE IF NOT EXISTS forecast_samples (
    metric TEXT NOT NULL,
    device_key TEXT NOT NULL,
    -- UTC day of the samples, YYYY-MM-DD.
    day TEXT NOT NULL,
    count INTEGER NOT NULL,
    sum REAL NOT NULL,
    last REAL NOT NULL,
    last_at TEXT NOT NULL,
    PRIMARY KEY (metric, device_key, day)
  ) STRICT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema to SCHEMA_VERSION; each step commits with its version number. */
export function migrate(db: Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(`store schema version ${current} is newer than this Siaga (${SCHEMA_VERSION})`);
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
