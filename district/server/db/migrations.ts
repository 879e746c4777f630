// The district's schema, as numbered migrations applied in order, once each (table schema_migrations).
// Portable SQL only (see types.ts). Never edit an applied migration: add the next one (106 and up).
// Ids jump from 1 to 101 because the dashboard's tables were once a list of their own; the ids stay
// so that databases made then migrate as before.
import { lockForTransaction } from './locks';
import type { Db } from './types';

export interface Migration {
  id: number;
  name: string;
  statements: string[];
  /** Statements for one engine only (e.g. PostgreSQL's UNLOGGED); on the other the migration is recorded as applied and does nothing. */
  only?: Db['dialect'];
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
  {
    id: 101,
    name: 'dashboard: staff, sessions, audit log',
    statements: [
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        email TEXT,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        disabled_at TEXT
      )`,
      `CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      )`,
      `CREATE TABLE audit_log (
        id TEXT PRIMARY KEY,
        at TEXT NOT NULL,
        user_id TEXT,
        username TEXT,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL,
        ip TEXT
      )`,
      `CREATE INDEX audit_log_at ON audit_log (at)`,
    ],
  },
  {
    id: 102,
    name: 'dashboard: fault tracking, history, station commands',
    statements: [
      `ALTER TABLE faults ADD COLUMN acknowledged_at TEXT`,
      `ALTER TABLE faults ADD COLUMN acknowledged_by TEXT`,
      `ALTER TABLE faults ADD COLUMN assignee TEXT`,
      `ALTER TABLE faults ADD COLUMN repair_note TEXT`,
      `ALTER TABLE faults ADD COLUMN closed_at TEXT`,
      `ALTER TABLE faults ADD COLUMN closed_by TEXT`,
      `ALTER TABLE faults ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0`,
      `CREATE TABLE fault_history (
        id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL,
        fault_id TEXT NOT NULL,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        actor TEXT,
        detail TEXT NOT NULL
      )`,
      `CREATE INDEX fault_history_fault ON fault_history (station_id, fault_id, at)`,
      `CREATE TABLE station_commands (
        id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id),
        type TEXT NOT NULL,
        fault_id TEXT,
        requested_at TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        delivered_at TEXT
      )`,
      `CREATE INDEX station_commands_pending ON station_commands (station_id, delivered_at)`,
    ],
  },
  {
    id: 103,
    name: 'dashboard: escalation notices and notifications',
    statements: [
      `CREATE TABLE escalation_notices (
        rule_id TEXT NOT NULL,
        station_id TEXT NOT NULL,
        fault_id TEXT NOT NULL,
        escalated_at TEXT NOT NULL,
        PRIMARY KEY (rule_id, station_id, fault_id)
      )`,
      `CREATE TABLE notifications (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        recipient TEXT NOT NULL,
        mode TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        station_id TEXT NOT NULL,
        fault_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        error TEXT
      )`,
      `CREATE INDEX notifications_recipient ON notifications (channel, recipient, created_at)`,
    ],
  },
  {
    id: 104,
    name: 'dashboard: inventory, loans, consumables, availability',
    statements: [
      `CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        serial_number TEXT,
        device_key TEXT,
        vendor TEXT,
        model TEXT,
        role TEXT,
        station_id TEXT REFERENCES stations(id),
        status TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        note TEXT
      )`,
      `CREATE INDEX devices_station ON devices (station_id)`,
      `CREATE TABLE loans (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices(id),
        from_station_id TEXT REFERENCES stations(id),
        to_station_id TEXT NOT NULL REFERENCES stations(id),
        starts_on TEXT NOT NULL,
        due_on TEXT NOT NULL,
        returned_on TEXT,
        reference TEXT NOT NULL,
        purpose TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE TABLE consumable_reports (
        event_id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id),
        at TEXT NOT NULL,
        blank_cards INTEGER NOT NULL,
        ribbons TEXT NOT NULL
      )`,
      `CREATE INDEX consumable_reports_station ON consumable_reports (station_id, at)`,
      `CREATE TABLE availability_spans (
        id TEXT PRIMARY KEY,
        station_id TEXT NOT NULL REFERENCES stations(id),
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT
      )`,
      `CREATE INDEX availability_spans_station ON availability_spans (station_id, started_at)`,
      `CREATE TABLE station_availability (
        station_id TEXT PRIMARY KEY REFERENCES stations(id),
        can_record INTEGER NOT NULL,
        last_heartbeat_at TEXT NOT NULL
      )`,
    ],
  },
  {
    id: 105,
    name: 'liveness by district receive time; service hours, closed days, time zone',
    statements: [
      // The district's receive time of the station's last heartbeat received live (liveness), and
      // the measured clock offset (receive time minus that heartbeat's occurredAt, ms).
      `ALTER TABLE stations ADD COLUMN heard_at TEXT`,
      `ALTER TABLE stations ADD COLUMN measured_clock_offset_ms INTEGER`,
      // Until its next heartbeat, a station's last contact (already the receive time) stands in.
      `UPDATE stations SET heard_at = last_seen_at WHERE last_heartbeat IS NOT NULL`,
      // Settings by name: 'time-zone' (WIB, WITA, WIT), 'service-week' (JSON ServiceWeek).
      `CREATE TABLE district_settings (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      `CREATE TABLE kecamatan_service_weeks (
        kecamatan TEXT PRIMARY KEY,
        week TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`,
      // kecamatan '' is the whole district (a holiday).
      `CREATE TABLE closed_days (
        day TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (day, kecamatan)
      )`,
    ],
  },
  {
    id: 110,
    name: 'login throttling per account and address',
    statements: [
      // key: `account address` or `address` (auth/throttle.ts). Times in ms since the epoch.
      `CREATE TABLE login_throttle (
        key TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        admitted INTEGER NOT NULL,
        blocked_until_ms BIGINT NOT NULL,
        last_attempt_ms BIGINT NOT NULL
      )`,
    ],
  },
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
  {
    id: 202,
    name: 'clock offsets as 64-bit integers',
    statements: [
      // A station whose clock battery died boots in 2000 or 1970: its offset is decades of ms, far
      // past PostgreSQL's 32-bit INTEGER (24.8 days), and its heartbeats failed with a 500. SQLite's
      // INTEGER was 64-bit already; the columns are rebuilt the portable way (add, copy, drop, rename).
      `ALTER TABLE stations ADD COLUMN clock_offset_ms_wide BIGINT`,
      `ALTER TABLE stations ADD COLUMN measured_clock_offset_ms_wide BIGINT`,
      `UPDATE stations SET clock_offset_ms_wide = clock_offset_ms, measured_clock_offset_ms_wide = measured_clock_offset_ms`,
      `ALTER TABLE stations DROP COLUMN clock_offset_ms`,
      `ALTER TABLE stations DROP COLUMN measured_clock_offset_ms`,
      `ALTER TABLE stations RENAME COLUMN clock_offset_ms_wide TO clock_offset_ms`,
      `ALTER TABLE stations RENAME COLUMN measured_clock_offset_ms_wide TO measured_clock_offset_ms`,
    ],
  },
  {
    id: 301,
    name: "forecasts: each station's current set (forecast.reported)",
    statements: [
      // Which event the station's current set came from: a set replaces the previous one only
      // when its seq is higher, or when the station enrolled again since (its seq restarts at 1).
      `CREATE TABLE forecast_sets (
        station_id TEXT PRIMARY KEY REFERENCES stations(id),
        enrolled_at TEXT NOT NULL,
        last_seq BIGINT NOT NULL,
        event_id TEXT NOT NULL,
        reported_at TEXT NOT NULL
      )`,
      // One row per forecast of the set; device_key '' when the station cannot tell the device
      // (a primary key column cannot be NULL on PostgreSQL). message and series are JSON.
      `CREATE TABLE forecasts (
        station_id TEXT NOT NULL REFERENCES stations(id),
        code TEXT NOT NULL,
        role TEXT NOT NULL,
        device_key TEXT NOT NULL,
        likely_in_days INTEGER,
        message TEXT NOT NULL,
        series TEXT NOT NULL,
        computed_at TEXT NOT NULL,
        reported_at TEXT NOT NULL,
        PRIMARY KEY (station_id, code, role, device_key)
      )`,
    ],
  },
  {
    id: 311,
    name: 'kecamatan offices (coordinates, technician emails) and the travel distance table',
    statements: [
      // One row per office: kecamatan '' is the district office (Disdukcapil), where spares are kept.
      // Degrees (WGS 84), both or neither; technician_emails is a JSON array of addresses.
      `CREATE TABLE kecamatan_offices (
        kecamatan TEXT PRIMARY KEY,
        latitude DOUBLE PRECISION,
        longitude DOUBLE PRECISION,
        technician_emails TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK ((latitude IS NULL) = (longitude IS NULL))
      )`,
      // Travel between two offices as the district knows it (road km and/or minutes), one row per
      // unordered pair (the two names in code-unit order, offices.ts); it overrides the straight-line estimate.
      `CREATE TABLE kecamatan_distances (
        kecamatan_a TEXT NOT NULL,
        kecamatan_b TEXT NOT NULL,
        road_km DOUBLE PRECISION,
        travel_minutes INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (kecamatan_a, kecamatan_b),
        CHECK (road_km IS NOT NULL OR travel_minutes IS NOT NULL)
      )`,
    ],
  },
  {
    id: 321,
    name: 'escalation letters: letterhead, numbering and signatory settings',
    statements: [
      // One row: LetterSettings (dash-api.ts) as JSON, set by an admin.
      `CREATE TABLE escalation_letter_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        settings TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      )`,
    ],
  },
  {
    id: 322,
    name: 'escalation letters: the register of letters issued and the running number per year',
    statements: [
      // The last number given in each (local) year; bumped with an upsert in the letter's transaction.
      `CREATE TABLE escalation_letter_counters (
        year INTEGER PRIMARY KEY,
        last_number INTEGER NOT NULL
      )`,
      // Every letter issued, with its document model as JSON so it prints again exactly as issued.
      `CREATE TABLE escalation_letters (
        id TEXT PRIMARY KEY,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        number TEXT NOT NULL UNIQUE,
        station_id TEXT NOT NULL REFERENCES stations(id),
        fault_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        perihal TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        document TEXT NOT NULL,
        UNIQUE (year, seq)
      )`,
      `CREATE INDEX escalation_letters_fault ON escalation_letters (station_id, fault_id, created_at)`,
    ],
  },
  {
    id: 401,
    name: 'tenancy: provinces and districts; the existing data is the default district',
    statements: [
      `CREATE TABLE provinces (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL
      )`,
      // time_zone: WIB, WITA or WIT (the district's service calendar and months).
      `CREATE TABLE districts (
        code TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        province_code TEXT NOT NULL REFERENCES provinces(code),
        time_zone TEXT NOT NULL
      )`,
      `CREATE INDEX districts_province ON districts (province_code)`,
      // A district that runs its own server is this one default district (tenancy/scope.ts); its
      // name comes from the server's --district-name at start-up, its time zone from its settings.
      `INSERT INTO provinces (code, name) VALUES ('default', '')`,
      `INSERT INTO districts (code, name, province_code, time_zone) VALUES ('default', '', 'default',
        COALESCE((SELECT value FROM district_settings WHERE name = 'time-zone'), 'WIB'))`,
    ],
  },
  {
    id: 402,
    name: 'tenancy: stations, devices, users and the audit log belong to a district',
    statements: [
      // Faults, events, loans, consumables and availability belong to the district of their station.
      `ALTER TABLE stations ADD COLUMN district_code TEXT NOT NULL DEFAULT 'default'`,
      // Covers the province and national views' count per kecamatan (tenancy/rollup.ts) without
      // reading the stations' wide rows (their last heartbeat's JSON).
      `CREATE INDEX stations_district ON stations (district_code, kecamatan, enrolled_at, heard_at, id)`,
      // A device on the shelf (spare) has no station: it keeps its own district.
      `ALTER TABLE devices ADD COLUMN district_code TEXT NOT NULL DEFAULT 'default'`,
      `CREATE INDEX devices_district ON devices (district_code)`,
      // scope_level: district, province or national; scope_code: the district's or province's code ('' national).
      `ALTER TABLE users ADD COLUMN scope_level TEXT NOT NULL DEFAULT 'district'`,
      `ALTER TABLE users ADD COLUMN scope_code TEXT NOT NULL DEFAULT 'default'`,
      `ALTER TABLE audit_log ADD COLUMN district_code TEXT`,
      `UPDATE audit_log SET district_code = 'default'`,
      `CREATE INDEX faults_active_opened ON faults (state, first_seen, station_id)`,
    ],
  },
  {
    id: 403,
    name: 'tenancy: service calendar per district; the time zone lives in districts',
    statements: [
      `CREATE TABLE district_settings_by_district (
        district_code TEXT NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (district_code, name)
      )`,
      `INSERT INTO district_settings_by_district (district_code, name, value, updated_at)
        SELECT 'default', name, value, updated_at FROM district_settings WHERE name <> 'time-zone'`,
      `DROP TABLE district_settings`,
      `ALTER TABLE district_settings_by_district RENAME TO district_settings`,
      `CREATE TABLE kecamatan_weeks_by_district (
        district_code TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        week TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (district_code, kecamatan)
      )`,
      `INSERT INTO kecamatan_weeks_by_district (district_code, kecamatan, week, updated_at)
        SELECT 'default', kecamatan, week, updated_at FROM kecamatan_service_weeks`,
      `DROP TABLE kecamatan_service_weeks`,
      `ALTER TABLE kecamatan_weeks_by_district RENAME TO kecamatan_service_weeks`,
      `CREATE TABLE closed_days_by_district (
        district_code TEXT NOT NULL,
        day TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        note TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (district_code, day, kecamatan)
      )`,
      `INSERT INTO closed_days_by_district (district_code, day, kecamatan, note, created_at)
        SELECT 'default', day, kecamatan, note, created_at FROM closed_days`,
      `DROP TABLE closed_days`,
      `ALTER TABLE closed_days_by_district RENAME TO closed_days`,
    ],
  },
  {
    id: 404,
    name: 'tenancy: kecamatan offices, the distance table and escalation letters per district',
    statements: [
      // Two districts may both have a kecamatan of one name: offices and distances are keyed by district.
      `CREATE TABLE kecamatan_offices_by_district (
        district_code TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        latitude DOUBLE PRECISION,
        longitude DOUBLE PRECISION,
        technician_emails TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (district_code, kecamatan),
        CHECK ((latitude IS NULL) = (longitude IS NULL))
      )`,
      `INSERT INTO kecamatan_offices_by_district (district_code, kecamatan, latitude, longitude, technician_emails, updated_at)
        SELECT 'default', kecamatan, latitude, longitude, technician_emails, updated_at FROM kecamatan_offices`,
      `DROP TABLE kecamatan_offices`,
      `ALTER TABLE kecamatan_offices_by_district RENAME TO kecamatan_offices`,
      `CREATE TABLE kecamatan_distances_by_district (
        district_code TEXT NOT NULL,
        kecamatan_a TEXT NOT NULL,
        kecamatan_b TEXT NOT NULL,
        road_km DOUBLE PRECISION,
        travel_minutes INTEGER,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (district_code, kecamatan_a, kecamatan_b),
        CHECK (road_km IS NOT NULL OR travel_minutes IS NOT NULL)
      )`,
      `INSERT INTO kecamatan_distances_by_district (district_code, kecamatan_a, kecamatan_b, road_km, travel_minutes, updated_at)
        SELECT 'default', kecamatan_a, kecamatan_b, road_km, travel_minutes, updated_at FROM kecamatan_distances`,
      `DROP TABLE kecamatan_distances`,
      `ALTER TABLE kecamatan_distances_by_district RENAME TO kecamatan_distances`,
      // One row per district (LetterSettings as JSON) instead of the single row id = 1.
      `CREATE TABLE letter_settings_by_district (
        district_code TEXT PRIMARY KEY,
        settings TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      )`,
      `INSERT INTO letter_settings_by_district (district_code, settings, updated_at, updated_by)
        SELECT 'default', settings, updated_at, updated_by FROM escalation_letter_settings`,
      `DROP TABLE escalation_letter_settings`,
      `ALTER TABLE letter_settings_by_district RENAME TO escalation_letter_settings`,
      // Each district numbers its own letters, from 1 every (local) year.
      `CREATE TABLE letter_counters_by_district (
        district_code TEXT NOT NULL,
        year INTEGER NOT NULL,
        last_number INTEGER NOT NULL,
        PRIMARY KEY (district_code, year)
      )`,
      `INSERT INTO letter_counters_by_district (district_code, year, last_number)
        SELECT 'default', year, last_number FROM escalation_letter_counters`,
      `DROP TABLE escalation_letter_counters`,
      `ALTER TABLE letter_counters_by_district RENAME TO escalation_letter_counters`,
      `CREATE TABLE letters_by_district (
        id TEXT PRIMARY KEY,
        district_code TEXT NOT NULL,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        number TEXT NOT NULL,
        station_id TEXT NOT NULL REFERENCES stations(id),
        fault_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        perihal TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        document TEXT NOT NULL,
        UNIQUE (district_code, number),
        UNIQUE (district_code, year, seq)
      )`,
      // A letter belongs to the district of its station (all of them the default one before 402).
      `INSERT INTO letters_by_district (id, district_code, year, seq, number, station_id, fault_id, recipient, perihal, created_at, created_by, document)
        SELECT l.id, COALESCE(s.district_code, 'default'), l.year, l.seq, l.number, l.station_id, l.fault_id, l.recipient,
          l.perihal, l.created_at, l.created_by, l.document
        FROM escalation_letters l LEFT JOIN stations s ON s.id = l.station_id`,
      `DROP TABLE escalation_letters`,
      `ALTER TABLE letters_by_district RENAME TO escalation_letters`,
      `CREATE INDEX escalation_letters_fault ON escalation_letters (station_id, fault_id, created_at)`,
    ],
  },
  {
    id: 501,
    name: 'intake guards shared by every server process: used request signatures, rate buckets',
    statements: [
      // A signed request is used once across all processes on the database (intake/shared-guards.ts):
      // the INSERT that finds the row already there is the replay. Rows expire with the timestamp window.
      `CREATE TABLE request_signatures (
        station_id TEXT NOT NULL,
        signature TEXT NOT NULL,
        expires_at_ms BIGINT NOT NULL,
        PRIMARY KEY (station_id, signature)
      )`,
      `CREATE INDEX request_signatures_expiry ON request_signatures (expires_at_ms)`,
      // A token bucket per (scope, key): a station's batches, an address's enrollment attempts.
      `CREATE TABLE rate_buckets (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        tokens DOUBLE PRECISION NOT NULL,
        at_ms BIGINT NOT NULL,
        taken INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
      )`,
      `CREATE INDEX rate_buckets_age ON rate_buckets (scope, at_ms)`,
    ],
  },
  {
    id: 502,
    name: 'the shared intake guards skip the write-ahead log',
    only: 'postgres',
    statements: [
      // Guard state need not survive a crash of PostgreSQL itself (it is then truncated): a replay
      // inside the window is still stored once by event id, and a bucket starts full. Unlogged, each
      // request's guard writes cost no WAL flush of their own.
      `ALTER TABLE request_signatures SET UNLOGGED`,
      `ALTER TABLE rate_buckets SET UNLOGGED`,
    ],
  },
  {
    id: 601,
    name: 'peers: districts that forward to this service, and the forward outbox to an upstream',
    statements: [
      // Upstream side. A district server that forwards its stations here (protocol/peering.ts).
      // TENANCY MERGE: tie each peer to its row of the districts table (a district_id column here,
      // and forwarded stations' district from it) so that scopes see forwarded stations too.
      `CREATE TABLE peers (
        id TEXT PRIMARY KEY,
        district_name TEXT NOT NULL,
        public_key TEXT,
        created_at TEXT NOT NULL,
        enrolled_at TEXT,
        app_version TEXT,
        last_forward_at TEXT
      )`,
      `CREATE TABLE peer_codes (
        code_hash TEXT PRIMARY KEY,
        peer_id TEXT NOT NULL REFERENCES peers(id),
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT
      )`,
      // A forwarded station is a station row with the peer that forwards it; its id is
      // '<peer id>_<station id downstream>' and it has no public key (it never posts here itself).
      `ALTER TABLE stations ADD COLUMN peer_id TEXT`,
      // Downstream side: the one upstream this district forwards to, and its own key for it.
      `CREATE TABLE upstream_link (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        url TEXT NOT NULL,
        peer_id TEXT NOT NULL,
        public_key TEXT NOT NULL,
        private_key_pem TEXT NOT NULL,
        upstream_public_key TEXT NOT NULL,
        ca_pem TEXT,
        insecure INTEGER NOT NULL,
        enrolled_at TEXT NOT NULL
      )`,
      // Events accepted here and not yet acknowledged upstream, in the order they were accepted
      // (position), with the reason when the upstream refused one alone (parked, kept for a person).
      `CREATE TABLE forward_outbox (
        station_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        position BIGINT NOT NULL,
        parked_reason TEXT,
        PRIMARY KEY (station_id, event_id)
      )`,
      `CREATE INDEX forward_outbox_position ON forward_outbox (position)`,
    ],
  },
  {
    id: 602,
    name: 'raw heartbeats kept two days: an index to prune them; indexes for a year of data',
    statements: [
      // intake/retention.ts deletes heartbeat events older than the retention; this finds them
      // without reading the year of faults, daily checks and inventory kept beside them.
      `CREATE INDEX events_heartbeat_received ON events (received_at) WHERE type = 'heartbeat'`,
      // The figures read the spans overlapping a month (figures/availability.ts unableIntervals) and
      // the faults first seen in it (faults/repository.ts faultTimes).
      `CREATE INDEX availability_spans_ended ON availability_spans (ended_at, started_at)`,
      `CREATE INDEX faults_first_seen ON faults (first_seen)`,
    ],
  },
  {
    id: 701,
    name: 'figures: hours unable to record per kecamatan and local day, kept for days that are over',
    statements: [
      // figures/summary.ts: one row per (district, kecamatan, local day over), the milliseconds of
      // service time no station of the kecamatan could record. `basis` fingerprints what else the
      // number depends on (the kecamatan's stations, its calendar, the heartbeat window): a row
      // whose basis differs is recomputed. `generation` is figures_generation.value when computed.
      `CREATE TABLE figures_unable_days (
        district_code TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        day TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        unable_ms INTEGER NOT NULL,
        basis TEXT NOT NULL,
        generation BIGINT NOT NULL,
        PRIMARY KEY (district_code, kecamatan, day)
      )`,
      // The same, summed per local month over (YYYY-MM): what the figures page reads for past months.
      `CREATE TABLE figures_unable_months (
        district_code TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        month TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        unable_ms BIGINT NOT NULL,
        basis TEXT NOT NULL,
        generation BIGINT NOT NULL,
        PRIMARY KEY (district_code, kecamatan, month)
      )`,
      // Bumped by every heartbeat landing in a day already over (a bundle, a forwarded backlog, a
      // clock correction), in the same transaction as its spans.
      `CREATE TABLE figures_generation (id INTEGER PRIMARY KEY, value BIGINT NOT NULL)`,
      `INSERT INTO figures_generation (id, value) VALUES (1, 0)`,
      // Per kecamatan, the earliest time a late heartbeat changed and the generation it took: days
      // ending after from_at computed at an older generation are stale.
      `CREATE TABLE figures_late (
        district_code TEXT NOT NULL,
        kecamatan TEXT NOT NULL,
        from_at TEXT NOT NULL,
        generation BIGINT NOT NULL,
        PRIMARY KEY (district_code, kecamatan)
      )`,
    ],
  },
  {
    id: 711,
    name: 'peers: each peer forwards into one district of this service',
    statements: [
      // Chosen at `peer add --district`; peers enrolled before forward into the default district,
      // where their stations already are (stations.district_code defaulted to it).
      `ALTER TABLE peers ADD COLUMN district_code TEXT NOT NULL DEFAULT 'default'`,
    ],
  },
  {
    id: 712,
    name: 'escalation rules and contacts per district',
    statements: [
      // One row per district that set its own (EscalationSettings of dash-api.ts as JSON); a
      // district without a row: the default district uses the server's --escalation file, the
      // others escalate nothing until their staff save theirs (escalation/district-settings.ts).
      `CREATE TABLE escalation_settings (
        district_code TEXT PRIMARY KEY,
        settings TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      )`,
    ],
  },
  {
    id: 731,
    name: "inventory: a device's id holds its district (the same serial in two districts is two devices)",
    statements: [
      // inventory/devices.ts deviceIdOf: the default district keeps its ids; another district's
      // device gets `d:<district>:` in front. Each row is copied under its new id, its loans follow,
      // then the old row goes (loans.device_id references devices: no moment without its row).
      `INSERT INTO devices (id, serial_number, device_key, vendor, model, role, station_id, status, first_seen_at, updated_at, note, district_code)
       SELECT 'd:' || district_code || ':' || id, serial_number, device_key, vendor, model, role, station_id, status,
         first_seen_at, updated_at, note, district_code
       FROM devices WHERE district_code <> 'default' AND id NOT LIKE 'd:%'`,
      `UPDATE loans SET device_id = 'd:' || (SELECT d.district_code FROM devices d WHERE d.id = loans.device_id) || ':' || device_id
       WHERE device_id IN (SELECT id FROM devices WHERE district_code <> 'default' AND id NOT LIKE 'd:%')`,
      `DELETE FROM devices WHERE district_code <> 'default' AND id NOT LIKE 'd:%'`,
    ],
  },
  {
    id: 751,
    name: 'PostgreSQL: heartbeat updates of a station row are HOT',
    only: 'postgres',
    statements: [
      // Every heartbeat updates its station's row (intake.ts). With heard_at in an index, every
      // such update wrote a new entry in each of the table's indexes (not HOT), grew them and
      // left autovacuum index work every minute; and since each page of stations is written within
      // the minute, the visibility map never let the rollup's count be index-only anyway (it
      // fetched each row from the table). Without heard_at, and with room left on each page for
      // the new version, the update stays on its page and touches no index (docs/cluster.md).
      `DROP INDEX stations_district`,
      `CREATE INDEX stations_district ON stations (district_code, kecamatan, enrolled_at, id)`,
      `ALTER TABLE stations SET (fillfactor = 70)`,
    ],
  },
];

/** Applies the migrations not applied yet; returns the ids applied now. */
export async function migrate(db: Db): Promise<number[]> {
  // Several server processes may start at once on one PostgreSQL: each step holds the migrations
  // lock and looks again whether another process applied it meanwhile (IF NOT EXISTS alone races).
  await db.transaction(async (transaction) => {
    await lockForTransaction(transaction, 'migrations');
    await transaction.run(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
  });
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
    const appliedNow = await db.transaction(async (transaction) => {
      await lockForTransaction(transaction, 'migrations');
      const [already] = await transaction.query('SELECT id FROM schema_migrations WHERE id = $1', [migration.id]);
      if (already !== undefined) {
        return false;
      }
      for (const statement of migration.only === undefined || migration.only === db.dialect
        ? migration.statements
        : []) {
        await transaction.run(statement);
      }
      await transaction.run('INSERT INTO schema_migrations (id, name, applied_at) VALUES ($1, $2, $3)', [
        migration.id,
        migration.name,
        new Date().toISOString(),
      ]);
      return true;
    });
    if (appliedNow) {
      done.push(migration.id);
    }
  }
  return done;
}
