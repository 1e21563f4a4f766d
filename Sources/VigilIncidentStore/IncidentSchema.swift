import GRDB
import VigilIncidents

/// The incident database's schema, as versioned migrations (never edited once shipped: a change
/// is a new migration).
enum IncidentSchema {
    /// `PRAGMA application_id`: "VGIL", so a foreign SQLite file is told apart from ours.
    static let applicationID: Int32 = 0x5647_494C

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: incidents, routes, timeline, notes, outbox") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(
                sql: """
                    CREATE TABLE counters (
                        name TEXT PRIMARY KEY,
                        value INTEGER NOT NULL
                    );
                    INSERT INTO counters (name, value) VALUES ('incident_number', 0);

                    CREATE TABLE incidents (
                        id TEXT PRIMARY KEY,
                        number INTEGER NOT NULL UNIQUE,
                        title TEXT NOT NULL,
                        severity TEXT NOT NULL,
                        severity_rank INTEGER NOT NULL,
                        status TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        detector TEXT NOT NULL,
                        name TEXT NOT NULL,
                        labels TEXT NOT NULL,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        opened_at INTEGER NOT NULL,
                        acknowledged_at INTEGER,
                        acknowledged_by TEXT,
                        resolved_at INTEGER,
                        resolved_by TEXT,
                        signal_count INTEGER NOT NULL,
                        flap_count INTEGER NOT NULL,
                        assignee TEXT,
                        merged_into TEXT,
                        evidence TEXT NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX incidents_by_status ON incidents (status, number);
                    CREATE INDEX incidents_by_fingerprint ON incidents (fingerprint);
                    CREATE INDEX incidents_by_opened ON incidents (opened_at);

                    -- Which incident a fingerprint's signals go to (a merge re-routes them).
                    CREATE TABLE routes (
                        fingerprint TEXT PRIMARY KEY,
                        incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE
                    );
                    CREATE INDEX routes_by_incident ON routes (incident_id);

                    -- Append-only: rows are only deleted with their incident, by retention.
                    CREATE TABLE timeline (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                        type TEXT NOT NULL,
                        time INTEGER NOT NULL,
                        actor TEXT NOT NULL,
                        event TEXT NOT NULL
                    );
                    CREATE INDEX timeline_by_incident ON timeline (incident_id, sequence);

                    CREATE TABLE notes (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                        author TEXT NOT NULL,
                        text TEXT NOT NULL,
                        time INTEGER NOT NULL
                    );
                    CREATE INDEX notes_by_incident ON notes (incident_id, sequence);

                    -- Notifications to deliver, written in the same transaction as their event.
                    CREATE TABLE outbox (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_id TEXT NOT NULL REFERENCES timeline (id) ON DELETE CASCADE,
                        incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                        type TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        delivered_at INTEGER
                    );
                    CREATE INDEX outbox_pending ON outbox (delivered_at, sequence);
                    CREATE INDEX outbox_by_incident ON outbox (incident_id);
                    """)
        }
        // Per-endpoint deliveries of the outbox. Rows already in the outbox are marked routed and
        // delivered: they were written when no endpoint could receive them, and announcing old
        // events the moment webhooks are first configured would page people about the past.
        migrator.registerMigration("v2: webhook deliveries") { db in
            try db.execute(
                sql: """
                    ALTER TABLE outbox ADD COLUMN routed_at INTEGER;
                    UPDATE outbox SET routed_at = created_at, delivered_at = COALESCE(delivered_at, created_at);
                    CREATE INDEX outbox_unrouted ON outbox (routed_at, sequence);

                    CREATE TABLE deliveries (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        endpoint TEXT NOT NULL,
                        incident_id TEXT REFERENCES incidents (id) ON DELETE CASCADE,
                        outbox_sequence INTEGER REFERENCES outbox (sequence) ON DELETE CASCADE,
                        event_id TEXT,
                        event TEXT NOT NULL,
                        state TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        created_at INTEGER NOT NULL,
                        retry_since INTEGER NOT NULL,
                        next_attempt_at INTEGER,
                        last_attempt_at INTEGER,
                        last_status INTEGER,
                        last_error TEXT,
                        response TEXT,
                        finished_at INTEGER
                    );
                    CREATE INDEX deliveries_due ON deliveries (endpoint, state, sequence);
                    CREATE INDEX deliveries_by_incident ON deliveries (incident_id, endpoint, state, sequence);
                    CREATE INDEX deliveries_by_outbox ON deliveries (outbox_sequence, state);

                    CREATE TABLE delivery_attempts (
                        delivery INTEGER NOT NULL REFERENCES deliveries (sequence) ON DELETE CASCADE,
                        started_at INTEGER NOT NULL,
                        latency INTEGER NOT NULL,
                        status INTEGER,
                        error TEXT
                    );
                    CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery);

                    -- Endpoints that answered 410 Gone, until their URL changes.
                    CREATE TABLE disabled_endpoints (
                        name TEXT PRIMARY KEY,
                        url TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        disabled_at INTEGER NOT NULL
                    );
                    """)
        }
        // The service label in a column of its own, for the console's and the API's filter.
        migrator.registerMigration("v3: incidents by service") { db in
            try db.execute(
                sql: """
                    ALTER TABLE incidents ADD COLUMN service TEXT;
                    UPDATE incidents SET service = (
                        SELECT json_extract(value, '$[1]') FROM json_each(labels) WHERE json_extract(value, '$[0]') = 'service');
                    CREATE INDEX incidents_by_service ON incidents (service, number);
                    """)
        }
        return migrator
    }
}
