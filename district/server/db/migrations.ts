// The district's schema, as numbered migrations applied in order, once each (table schema_migrations).
// Portable SQL only (see types.ts). Never edit an applied migration: add the next one.
import { DASHBOARD_MIGRATIONS } from './dashboard-migrations';
import type { Db } from './types';

export interface Migration {
  id: number;
  name: string;
  statements: string[];
}

export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'stations, enrollment, events, faults, rejected requests',
    statements: [
      `CREATE TABLE stations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        created_at TEXT NOT NULL,
        public_key TEXT,
        enrolled_at TEXT,
        app_version TEXT,
        last_seen_at TEXT,
        last_seq INTEGER NOT NULL DEFAULT 0,
        last_heartbeat TEXT,
        last_heartbeat_at TEXT,
        clock_offset_ms INTEGER
      )`,
      `CREATE TABLE enrollment_codes (
        code_hash TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      )`,
      `CREATE TABLE events (
        id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id),
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL,
        payload TEXT NOT NULL
      )`,
      `CREATE INDEX events_station_seq ON events (station_id, seq)`,
      `CREATE TABLE faults (
        station_id TEXT NOT NULL REFERENCES stations(id),
        fault_id TEXT NOT NULL,
        role TEXT NOT NULL,
        device_key TEXT,
        device_serial TEXT,
        device TEXT,
        code TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        state TEXT NOT NULL,
        message TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        occurrences INTEGER NOT NULL,
        flapping INTEGER NOT NULL,
        recurring INTEGER NOT NULL,
        opened_at TEXT NOT NULL,
        resolved_at TEXT,
        last_event_id TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (station_id, fault_id)
      )`,
      `CREATE INDEX faults_state ON faults (state, opened_at)`,
      `CREATE TABLE rejected_requests (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        ip TEXT,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        station_id TEXT,
        status INTEGER NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT NOT NULL
      )`,
    ],
  },
  ...DASHBOARD_MIGRATIONS,
  {
    id: 201,
    name: "event ids unique per station; the district's own reply-signing key",
    statements: [
      // Event ids are made by each station: two stations may make the same one. The copy keeps
      // every stored event; the table is rebuilt because SQLite cannot change a primary key.
      `CREATE TABLE events_by_station (
        id TEXT NOT NULL,
        station_id TEXT NOT NULL REFERENCES stations(id),
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        received_at TEXT NOT NULL,
        source TEXT NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (station_id, id)
      )`,
      `INSERT INTO events_by_station (id, station_id, seq, type, occurred_at, received_at, source, payload)
        SELECT id, station_id, seq, type, occurred_at, received_at, source, payload FROM events`,
      `DROP TABLE events`,
      `ALTER TABLE events_by_station RENAME TO events`,
      `CREATE INDEX events_station_seq ON events (station_id, seq)`,
      `CREATE TABLE district_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        public_key TEXT NOT NULL,
        private_key_pem TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
    ],
  },
];

/** Applies the migrations not applied yet; returns the ids applied now. */
export async function migrate(db: Db): Promise<number[]> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
  );
  const applied = new Set(
    (await db.query<{ id: number | string }>('SELECT id FROM schema_migrations')).map((row) =>
      Number(row.id),
    ),
  );
  const done: number[] = [];
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.id)) {
      continue;
    }
    await db.transaction(async (transaction) => {
      for (const statement of migration.statements) {
        await transaction.run(statement);
      }
      await transaction.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [
        migration.id,
        migration.name,
        new Date().toISOString(),
      ]);
    });
    done.push(migration.id);
  }
  return done;
}
