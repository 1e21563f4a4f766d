/// The shared incident database's schema, as versioned migrations (never edited once shipped: a
/// change is a new migration). The tables mirror `incidents.db`'s, so both stores read and write
/// the same rows; times are nanoseconds since the epoch in BIGINT columns, as there.
enum PostgresSchema {
    /// The table that records which migrations ran; its presence tells Vigil's database apart.
    static let versionTable = "vigil_schema_migrations"
    /// A key for `pg_advisory_xact_lock`, so two vigild starting at once migrate one after the other.
    static let migrationLock: Int64 = 0x5647_494C_0001

    static let migrations: [(version: Int, name: String, sql: [String])] = [
        (
            1, "incidents, routes, timeline, notes, outbox, webhook deliveries",
            [
                "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
                "INSERT INTO counters (name, value) VALUES ('incident_number', 0)",
                """
                CREATE TABLE incidents (
                    id TEXT PRIMARY KEY,
                    number BIGINT NOT NULL UNIQUE,
                    title TEXT NOT NULL,
                    severity TEXT NOT NULL,
                    severity_rank INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    fingerprint TEXT NOT NULL,
                    detector TEXT NOT NULL,
                    name TEXT NOT NULL,
                    labels TEXT NOT NULL,
                    service TEXT,
                    first_seen BIGINT NOT NULL,
                    last_seen BIGINT NOT NULL,
                    opened_at BIGINT NOT NULL,
                    acknowledged_at BIGINT,
                    acknowledged_by TEXT,
                    resolved_at BIGINT,
                    resolved_by TEXT,
                    signal_count BIGINT NOT NULL,
                    flap_count BIGINT NOT NULL,
                    assignee TEXT,
                    merged_into TEXT,
                    evidence TEXT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX incidents_by_status ON incidents (status, number)",
                "CREATE INDEX incidents_by_fingerprint ON incidents (fingerprint)",
                "CREATE INDEX incidents_by_opened ON incidents (opened_at)",
                "CREATE INDEX incidents_by_service ON incidents (service, number)",
                // Which incident a fingerprint's signals go to (a merge re-routes them).
                """
                CREATE TABLE routes (
                    fingerprint TEXT PRIMARY KEY,
                    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE
                )
                """,
                "CREATE INDEX routes_by_incident ON routes (incident_id)",
                """
                CREATE TABLE timeline (
                    sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                    type TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    event TEXT NOT NULL
                )
                """,
                "CREATE INDEX timeline_by_incident ON timeline (incident_id, sequence)",
                """
                CREATE TABLE notes (
                    sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                    author TEXT NOT NULL,
                    text TEXT NOT NULL,
                    time BIGINT NOT NULL
                )
                """,
                "CREATE INDEX notes_by_incident ON notes (incident_id, sequence)",
                """
                CREATE TABLE outbox (
                    sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    event_id TEXT NOT NULL REFERENCES timeline (id) ON DELETE CASCADE,
                    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
                    type TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    routed_at BIGINT,
                    delivered_at BIGINT
                )
                """,
                "CREATE INDEX outbox_unrouted ON outbox (sequence) WHERE routed_at IS NULL",
                "CREATE INDEX outbox_by_incident ON outbox (incident_id)",
                """
                CREATE TABLE deliveries (
                    sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    endpoint TEXT NOT NULL,
                    incident_id TEXT REFERENCES incidents (id) ON DELETE CASCADE,
                    outbox_sequence BIGINT REFERENCES outbox (sequence) ON DELETE CASCADE,
                    event_id TEXT,
                    event TEXT NOT NULL,
                    state TEXT NOT NULL,
                    attempts BIGINT NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL,
                    retry_since BIGINT NOT NULL,
                    next_attempt_at BIGINT,
                    last_attempt_at BIGINT,
                    last_status BIGINT,
                    last_error TEXT,
                    response TEXT,
                    finished_at BIGINT
                )
                """,
                "CREATE INDEX deliveries_due ON deliveries (endpoint, state, sequence)",
                "CREATE INDEX deliveries_by_incident ON deliveries (incident_id, endpoint, state, sequence)",
                "CREATE INDEX deliveries_by_outbox ON deliveries (outbox_sequence, state)",
                """
                CREATE TABLE delivery_attempts (
                    delivery BIGINT NOT NULL REFERENCES deliveries (sequence) ON DELETE CASCADE,
                    started_at BIGINT NOT NULL,
                    latency BIGINT NOT NULL,
                    status BIGINT,
                    error TEXT
                )
                """,
                "CREATE INDEX delivery_attempts_by_delivery ON delivery_attempts (delivery)",
                """
                CREATE TABLE disabled_endpoints (
                    name TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    disabled_at BIGINT NOT NULL
                )
                """,
            ]
        ),
        // A revision per incident row, bumped by every save: a vigild keeps the incidents it
        // decoded and reads a row again only when its revision moved (another vigild changed it).
        (2, "incident revisions", ["ALTER TABLE incidents ADD COLUMN revision BIGINT NOT NULL DEFAULT 0"]),
    ]
}
