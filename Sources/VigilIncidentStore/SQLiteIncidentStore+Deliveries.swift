import Foundation
import GRDB
import VigilIncidents

/// The webhook side of the store: the outbox is routed into one delivery per endpoint that wants
/// the event, deliveries are handed out in order per incident and endpoint, and every attempt is
/// recorded in the same transaction that moves its delivery on.
extension SQLiteIncidentStore {
    /// Routes up to `limit` outbox rows not routed yet: `recipients` names the endpoints that get
    /// an event about the incident (as the event left it); each gets a pending delivery, due now.
    /// A row no endpoint wants is finished at once. `delay` says how long after `now` an
    /// endpoint's first attempt is due (its `group_wait` for `opened`). Returns how many rows were
    /// routed and the deliveries queued per endpoint.
    public func routeOutbox(
        limit: Int, now: Int64, recipients: @escaping @Sendable (WebhookEvent, Incident) -> [String],
        delay: @escaping @Sendable (String, WebhookEvent) -> Int64
    ) async throws(IncidentStoreError) -> (routed: Int, queued: [String: Int]) {
        try await write { rows in
            let pending = try Row.fetchAll(
                rows.db.cachedStatement(
                    sql: """
                        SELECT o.sequence, o.incident_id, o.type, t.id AS event_id, t.event FROM outbox o
                        JOIN timeline t ON t.id = o.event_id
                        WHERE o.routed_at IS NULL ORDER BY o.sequence LIMIT ?
                        """), arguments: [limit])
            var queued: [String: Int] = [:]
            for row in pending {
                let sequence: Int64 = row["sequence"]
                let typeName: String = row["type"]
                var names: [String] = []
                var event = WebhookEvent.opened
                if let type = IncidentEventType(rawValue: typeName), let notified = WebhookEvent(type) {
                    event = notified
                    names = recipients(event, try IncidentColumns.snapshot(row["event"]))
                }
                for name in names {
                    let due = now + delay(name, event)
                    try rows.execute(
                        """
                        INSERT INTO deliveries (id, endpoint, incident_id, outbox_sequence, event_id, event, state, created_at,
                            retry_since, next_attempt_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
                        """,
                        [IncidentColumns.newDeliveryID(), name, row["incident_id"] as String, sequence, row["event_id"] as String, typeName, now, now, due])
                    queued[name, default: 0] += 1
                }
                try rows.execute(
                    "UPDATE outbox SET routed_at = ?, delivered_at = ? WHERE sequence = ?", [now, names.isEmpty ? now : nil, sequence])
            }
            return (pending.count, queued)
        }
    }

    /// Queues a reminder to `endpoint` for every firing incident it was told about whose last
    /// delivery to it was queued `interval` or more ago, if `accepts` still says yes. Returns how
    /// many were queued.
    public func queueReminders(
        endpoint: String, interval: Int64, now: Int64, accepts: @escaping @Sendable (Incident) -> Bool
    ) async throws(IncidentStoreError) -> Int {
        try await write { rows in
            let candidates = try Row.fetchAll(
                rows.db.cachedStatement(
                    sql: """
                        SELECT \(IncidentRows.columns) FROM incidents i
                        WHERE i.status = 'firing'
                          AND (SELECT MAX(d.created_at) FROM deliveries d WHERE d.incident_id = i.id AND d.endpoint = ?) <= ?
                        """), arguments: [endpoint, now - interval]
            ).map(IncidentRows.incident)
            var queued = 0
            for incident in candidates where accepts(incident) {
                try rows.execute(
                    """
                    INSERT INTO deliveries (id, endpoint, incident_id, event, state, created_at, retry_since, next_attempt_at)
                    VALUES (?, ?, ?, 'repeated', 'pending', ?, ?, ?)
                    """, [IncidentColumns.newDeliveryID(), endpoint, incident.id, now, now, now])
                queued += 1
            }
            return queued
        }
    }

    /// Up to `limit` pending deliveries to `endpoint` due by `now`, oldest first, each the
    /// earliest pending one of its incident (so an incident's events arrive in order). Nothing is
    /// claimed (`lease` is unused): one dispatcher reads this store.
    public func dueDeliveries(
        endpoint: String, now: Int64, limit: Int, lease: Int64, openedOnly: Bool
    ) async throws(IncidentStoreError) -> [DueDelivery] {
        try await read { rows in
            let found = try Row.fetchAll(
                rows.db.cachedStatement(
                    sql: """
                        SELECT \(Self.deliveryColumns), t.event AS event_json, t.time AS event_time, t.actor AS event_actor
                        FROM deliveries d
                        LEFT JOIN incidents i ON i.id = d.incident_id
                        LEFT JOIN timeline t ON t.id = d.event_id
                        WHERE d.endpoint = ? AND d.state = 'pending' AND d.next_attempt_at <= ?
                          AND (? = 0 OR (d.event = 'opened' AND d.attempts = 0)) AND \(Self.isHead)
                        ORDER BY d.sequence LIMIT ?
                        """), arguments: [endpoint, now, openedOnly, limit])
            var due: [DueDelivery] = []
            for row in found {
                let delivery = try Self.delivery(row)
                if let json: String = row["event_json"] {
                    due.append(
                        DueDelivery(
                            delivery: delivery, incident: try IncidentColumns.snapshot(json), time: row["event_time"], actor: row["event_actor"],
                            retrySince: row["retry_since"]))
                } else if let id = delivery.incidentID, let incident = try rows.incident(id: id) {
                    due.append(
                        DueDelivery(
                            delivery: delivery, incident: incident, time: delivery.createdAt, actor: "auto", retrySince: row["retry_since"]))
                }
            }
            return due
        }
    }

    /// When the next delivery to `endpoint` that could go out (the head of its incident) is due.
    public func nextDue(endpoint: String) async throws(IncidentStoreError) -> Int64? {
        try await read { rows in
            try rows.fetchOne(
                "SELECT MIN(d.next_attempt_at) FROM deliveries d WHERE d.endpoint = ? AND d.state = 'pending' AND \(Self.isHead)",
                [endpoint])?[0]
        }
    }

    /// Records attempts: each one's row, and its delivery's new state. A delivery that is
    /// finished (delivered or dead) finishes its outbox row once no other delivery of it waits.
    public func record(_ attempts: [WebhookAttempt]) async throws(IncidentStoreError) {
        guard !attempts.isEmpty else { return }
        try await write { rows in
            for attempt in attempts {
                try rows.execute(
                    "INSERT INTO delivery_attempts (delivery, started_at, latency, status, error) VALUES (?, ?, ?, ?, ?)",
                    [attempt.delivery, attempt.startedAt, attempt.latency, attempt.status, attempt.error])
                let state: WebhookDelivery.State
                var next: Int64?
                var finished: Int64?
                switch attempt.verdict {
                case .delivered: (state, finished) = (.delivered, attempt.startedAt + attempt.latency)
                case .dead: (state, finished) = (.dead, attempt.startedAt + attempt.latency)
                case .retry(let at): (state, next) = (.pending, at)
                }
                try rows.execute(
                    """
                    UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = ?, last_status = ?, last_error = ?,
                        response = ?, state = ?, next_attempt_at = ?, finished_at = ?
                    WHERE sequence = ?
                    """,
                    [attempt.startedAt, attempt.status, attempt.error, attempt.response, state.rawValue, next, finished, attempt.delivery])
                if let finished { try rows.finishOutbox(ofDelivery: attempt.delivery, at: finished) }
            }
        }
    }

    /// Puts a dead delivery back in the queue, due now, with a fresh `retry_for`. Returns it;
    /// `deliveryNotFound` when there is no such delivery.
    public func retryDelivery(_ id: String, now: Int64) async throws(IncidentStoreError) -> WebhookDelivery {
        try await write { rows in
            guard let row = try rows.fetchOne("SELECT sequence, state FROM deliveries WHERE id = ?", [id]) else {
                throw IncidentStoreError.deliveryNotFound(id)
            }
            let sequence: Int64 = row["sequence"]
            if (row["state"] as String) != WebhookDelivery.State.pending.rawValue {
                try rows.requeue(sequence, now: now)
            }
            return try Self.delivery(rows.fetchOne("SELECT \(Self.deliveryColumns) FROM deliveries d LEFT JOIN incidents i ON i.id = d.incident_id WHERE d.sequence = ?", [sequence])!)
        }
    }

    /// Puts every dead delivery (to `endpoint`, or to any) back in the queue. Returns how many.
    public func retryDeadDeliveries(endpoint: String?, now: Int64) async throws(IncidentStoreError) -> Int {
        try await write { rows in
            let sequences = try Int64.fetchAll(
                rows.db, sql: "SELECT sequence FROM deliveries WHERE state = 'dead' AND (? IS NULL OR endpoint = ?)",
                arguments: [endpoint, endpoint])
            for sequence in sequences { try rows.requeue(sequence, now: now) }
            return sequences.count
        }
    }

    /// Deliveries, newest first: to `endpoint`, about `incident` (`INC-42` or an id), in `states`.
    public func deliveries(
        endpoint: String?, incident: String?, states: [WebhookDelivery.State], limit: Int
    ) async throws(IncidentStoreError) -> [WebhookDelivery] {
        try await read { rows in
            var incidentID: String?
            if let incident {
                incidentID = try rows.existing(incident).id
            }
            let stateList = states.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            return try Row.fetchAll(
                rows.db,
                sql: """
                    SELECT \(Self.deliveryColumns) FROM deliveries d LEFT JOIN incidents i ON i.id = d.incident_id
                    WHERE (? IS NULL OR d.endpoint = ?) AND (? IS NULL OR d.incident_id = ?)
                      \(states.isEmpty ? "" : "AND d.state IN (\(stateList))")
                    ORDER BY d.sequence DESC LIMIT ?
                    """, arguments: [endpoint, endpoint, incidentID, incidentID, limit]
            ).map(Self.delivery)
        }
    }

    /// Pending and dead deliveries per endpoint name, with the oldest pending one's age.
    public func deliveryQueues() async throws(IncidentStoreError) -> [String: WebhookQueueSummary] {
        try await read { rows in
            var queues: [String: WebhookQueueSummary] = [:]
            for row in try Row.fetchAll(
                rows.db,
                sql: """
                    SELECT endpoint, SUM(state = 'pending') AS pending, SUM(state = 'dead') AS dead,
                        MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest
                    FROM deliveries WHERE state != 'delivered' GROUP BY endpoint
                    """)
            {
                queues[row["endpoint"]] = WebhookQueueSummary(pending: row["pending"], dead: row["dead"], oldestPendingAt: row["oldest"])
            }
            return queues
        }
    }

    // MARK: Disabled endpoints

    /// Marks `endpoint` (at `url`) disabled, e.g. after 410 Gone.
    public func disableEndpoint(_ endpoint: String, url: String, reason: String, now: Int64) async throws(IncidentStoreError) {
        try await write { rows in
            try rows.execute(
                "INSERT OR REPLACE INTO disabled_endpoints (name, url, reason, disabled_at) VALUES (?, ?, ?, ?)", [endpoint, url, reason, now])
        }
    }

    /// Endpoints disabled, by name: the URL they had then, why and when.
    public func disabledEndpoints() async throws(IncidentStoreError) -> [String: (url: String, reason: String, at: Int64)] {
        try await read { rows in
            var result: [String: (url: String, reason: String, at: Int64)] = [:]
            for row in try Row.fetchAll(rows.db, sql: "SELECT name, url, reason, disabled_at FROM disabled_endpoints") {
                result[row["name"]] = (row["url"], row["reason"], row["disabled_at"])
            }
            return result
        }
    }

    /// Enables `endpoint` again (its URL changed, or someone asked).
    public func enableEndpoint(_ endpoint: String) async throws(IncidentStoreError) {
        try await write { rows in try rows.execute("DELETE FROM disabled_endpoints WHERE name = ?", [endpoint]) }
    }

    // MARK: Rows

    static let isHead = IncidentColumns.deliveryIsHead
    static let deliveryColumns = IncidentColumns.deliveryNames

    static func delivery(_ row: Row) throws -> WebhookDelivery {
        let eventName: String = row["event"]
        let stateName: String = row["state"]
        guard let event = WebhookEvent(rawValue: eventName), let state = WebhookDelivery.State(rawValue: stateName) else {
            throw IncidentStoreError.database(path: "", reason: "delivery \(row["id"] as String? ?? "?") has an unknown event or state")
        }
        let number: Int? = row["incident_number"]
        return WebhookDelivery(
            sequence: row["sequence"], id: row["id"], endpoint: row["endpoint"], incidentID: row["incident_id"],
            incidentReference: number.map { "INC-\($0)" }, eventID: row["event_id"], event: event, state: state,
            attempts: row["attempts"], createdAt: row["created_at"], nextAttemptAt: row["next_attempt_at"],
            lastAttemptAt: row["last_attempt_at"], lastStatus: row["last_status"], lastError: row["last_error"],
            response: row["response"], finishedAt: row["finished_at"])
    }
}

extension IncidentRows {
    /// Finishes the outbox row of delivery `sequence` once none of its deliveries waits.
    func finishOutbox(ofDelivery sequence: Int64, at time: Int64) throws {
        try execute(
            """
            UPDATE outbox SET delivered_at = ?
            WHERE sequence = (SELECT outbox_sequence FROM deliveries WHERE sequence = ?)
              AND NOT EXISTS (SELECT 1 FROM deliveries WHERE outbox_sequence = outbox.sequence AND state = 'pending')
            """, [time, sequence])
    }

    /// Makes a finished delivery pending again, due `now`, and its outbox row unfinished.
    func requeue(_ sequence: Int64, now: Int64) throws {
        try execute(
            "UPDATE deliveries SET state = 'pending', next_attempt_at = ?, retry_since = ?, finished_at = NULL WHERE sequence = ?",
            [now, now, sequence])
        try execute(
            "UPDATE outbox SET delivered_at = NULL WHERE sequence = (SELECT outbox_sequence FROM deliveries WHERE sequence = ?)", [sequence])
    }
}
