import PostgresNIO
import VigilIncidents

/// The webhook side: as the SQLite store's, with the outbox routed and deliveries claimed under
/// `FOR UPDATE SKIP LOCKED`, so several vigild share the work and deliver each webhook once.
extension PostgresIncidentStore {
    public func routeOutbox(
        limit: Int, now: Int64, recipients: @escaping @Sendable (WebhookEvent, Incident) -> [String],
        delay: @escaping @Sendable (String, WebhookEvent) -> Int64
    ) async throws(IncidentStoreError) -> (routed: Int, queued: [String: Int]) {
        try await transaction { tx in
            let pending = try await tx.rows(
                """
                SELECT o.sequence, o.incident_id, o.type, t.id AS event_id, t.event FROM outbox o
                JOIN timeline t ON t.id = o.event_id
                WHERE o.routed_at IS NULL ORDER BY o.sequence LIMIT \(limit) FOR UPDATE OF o SKIP LOCKED
                """)
            var queued: [String: Int] = [:]
            for row in pending {
                let sequence = try row["sequence"].decode(Int64.self)
                let typeName = try row["type"].decode(String.self)
                let incidentID = try row["incident_id"].decode(String.self), eventID = try row["event_id"].decode(String.self)
                var names: [String] = []
                var event = WebhookEvent.opened
                if let type = IncidentEventType(rawValue: typeName), let notified = WebhookEvent(type) {
                    event = notified
                    names = recipients(event, try IncidentColumns.snapshot(row["event"].decode(String.self)))
                }
                for name in names {
                    let due = now + delay(name, event)
                    try await tx.execute(
                        """
                        INSERT INTO deliveries (id, endpoint, incident_id, outbox_sequence, event_id, event, state, created_at,
                            retry_since, next_attempt_at)
                        VALUES (\(IncidentColumns.newDeliveryID()), \(name), \(incidentID), \(sequence), \(eventID), \(typeName),
                            'pending', \(now), \(now), \(due))
                        """)
                    queued[name, default: 0] += 1
                }
                let delivered: Int64? = names.isEmpty ? now : nil
                try await tx.execute("UPDATE outbox SET routed_at = \(now), delivered_at = \(delivered) WHERE sequence = \(sequence)")
            }
            if !queued.isEmpty { tx.notices.mark(.deliveries) }
            return (pending.count, queued)
        }
    }

    public func queueReminders(
        endpoint: String, interval: Int64, now: Int64, accepts: @escaping @Sendable (Incident) -> Bool
    ) async throws(IncidentStoreError) -> Int {
        try await transaction { tx in
            // One vigild at a time per endpoint: the next one sees the reminders just queued.
            try await tx.lock("reminders:" + endpoint)
            let candidates = try await tx.rows(
                """
                SELECT \(unescaped: PostgresTransaction.columns) FROM incidents i
                WHERE i.status = 'firing'
                  AND (SELECT MAX(d.created_at) FROM deliveries d WHERE d.incident_id = i.id AND d.endpoint = \(endpoint)) <= \(now - interval)
                """
            ).map(PostgresTransaction.incident)
            var queued = 0
            for incident in candidates where accepts(incident) {
                try await tx.execute(
                    """
                    INSERT INTO deliveries (id, endpoint, incident_id, event, state, created_at, retry_since, next_attempt_at)
                    VALUES (\(IncidentColumns.newDeliveryID()), \(endpoint), \(incident.id), 'repeated', 'pending', \(now), \(now), \(now))
                    """)
                queued += 1
            }
            if queued > 0 { tx.notices.mark(.deliveries) }
            return queued
        }
    }

    public func dueDeliveries(
        endpoint: String, now: Int64, limit: Int, lease: Int64, openedOnly: Bool
    ) async throws(IncidentStoreError) -> [DueDelivery] {
        try await transaction { tx in
            // Claimed: due again only when the lease ends, so no other vigild takes them meanwhile,
            // and one that died mid-delivery leaves them to the others.
            let claimed = try await tx.rows(
                """
                SELECT d.sequence, d.next_attempt_at FROM deliveries d
                WHERE d.endpoint = \(endpoint) AND d.state = 'pending' AND d.next_attempt_at <= \(now)
                  AND (NOT \(openedOnly) OR (d.event = 'opened' AND d.attempts = 0)) AND \(unescaped: Self.isHead)
                ORDER BY d.sequence LIMIT \(limit) FOR UPDATE OF d SKIP LOCKED
                """
            ).map { try $0["sequence"].decode(Int64.self) }
            guard !claimed.isEmpty else { return [] }
            try await tx.execute("UPDATE deliveries SET next_attempt_at = \(now + lease) WHERE sequence = ANY(\(claimed)::bigint[])")
            var due: [DueDelivery] = []
            for row in try await tx.rows(
                """
                SELECT \(unescaped: Self.deliveryColumns), t.event AS event_json, t.time AS event_time, t.actor AS event_actor
                FROM deliveries d
                LEFT JOIN incidents i ON i.id = d.incident_id
                LEFT JOIN timeline t ON t.id = d.event_id
                WHERE d.sequence = ANY(\(claimed)::bigint[]) ORDER BY d.sequence
                """)
            {
                let delivery = try Self.delivery(row)
                let retrySince = try row["retry_since"].decode(Int64.self)
                if let json = try row["event_json"].decode(String?.self) {
                    due.append(
                        DueDelivery(
                            delivery: delivery, incident: try IncidentColumns.snapshot(json), time: try row["event_time"].decode(Int64.self),
                            actor: try row["event_actor"].decode(String.self), retrySince: retrySince))
                } else if let id = delivery.incidentID, let incident = try await tx.incident(id: id) {
                    due.append(DueDelivery(delivery: delivery, incident: incident, time: delivery.createdAt, actor: "auto", retrySince: retrySince))
                }
            }
            return due
        }
    }

    public func nextDue(endpoint: String) async throws(IncidentStoreError) -> Int64? {
        try await read { tx in
            try await tx.row(
                """
                SELECT MIN(d.next_attempt_at) AS due FROM deliveries d
                WHERE d.endpoint = \(endpoint) AND d.state = 'pending' AND \(unescaped: Self.isHead)
                """
            )?["due"].decode(Int64?.self)
        }
    }

    public func record(_ attempts: [WebhookAttempt]) async throws(IncidentStoreError) {
        guard !attempts.isEmpty else { return }
        try await transaction { tx in
            for attempt in attempts {
                try await tx.execute(
                    """
                    INSERT INTO delivery_attempts (delivery, started_at, latency, status, error)
                    VALUES (\(attempt.delivery), \(attempt.startedAt), \(attempt.latency), \(attempt.status), \(attempt.error))
                    """)
                let state: WebhookDelivery.State
                var next: Int64?
                var finished: Int64?
                switch attempt.verdict {
                case .delivered: (state, finished) = (.delivered, attempt.startedAt + attempt.latency)
                case .dead: (state, finished) = (.dead, attempt.startedAt + attempt.latency)
                case .retry(let at): (state, next) = (.pending, at)
                }
                try await tx.execute(
                    """
                    UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = \(attempt.startedAt), last_status = \(attempt.status),
                        last_error = \(attempt.error), response = \(attempt.response), state = \(state.rawValue),
                        next_attempt_at = \(next), finished_at = \(finished)
                    WHERE sequence = \(attempt.delivery)
                    """)
                if let finished {
                    try await tx.execute(
                        """
                        UPDATE outbox SET delivered_at = \(finished)
                        WHERE sequence = (SELECT outbox_sequence FROM deliveries WHERE sequence = \(attempt.delivery))
                          AND NOT EXISTS (SELECT 1 FROM deliveries WHERE outbox_sequence = outbox.sequence AND state = 'pending')
                        """)
                }
            }
            // What comes after a finished delivery of an incident is due now, for whichever vigild.
            tx.notices.mark(.deliveries)
        }
    }

    public func retryDelivery(_ id: String, now: Int64) async throws(IncidentStoreError) -> WebhookDelivery {
        try await transaction { tx in
            guard let row = try await tx.row("SELECT sequence, state FROM deliveries WHERE id = \(id) FOR UPDATE") else {
                throw IncidentStoreError.deliveryNotFound(id)
            }
            let sequence = try row["sequence"].decode(Int64.self)
            if try row["state"].decode(String.self) != WebhookDelivery.State.pending.rawValue {
                try await Self.requeue(sequence, now: now, in: tx)
            }
            let updated = try await tx.row(
                "SELECT \(unescaped: Self.deliveryColumns) FROM deliveries d LEFT JOIN incidents i ON i.id = d.incident_id WHERE d.sequence = \(sequence)")
            return try Self.delivery(updated!)
        }
    }

    public func retryDeadDeliveries(endpoint: String?, now: Int64) async throws(IncidentStoreError) -> Int {
        try await transaction { tx in
            let sequences = try await tx.rows(
                "SELECT sequence FROM deliveries WHERE state = 'dead' AND (\(endpoint)::text IS NULL OR endpoint = \(endpoint)) FOR UPDATE"
            ).map { try $0["sequence"].decode(Int64.self) }
            for sequence in sequences { try await Self.requeue(sequence, now: now, in: tx) }
            return sequences.count
        }
    }

    public func deliveries(
        endpoint: String?, incident: String?, states: [WebhookDelivery.State], limit: Int
    ) async throws(IncidentStoreError) -> [WebhookDelivery] {
        try await read { tx in
            var incidentID: String?
            if let incident { incidentID = try await tx.existing(incident).id }
            let stateNames: [String]? = states.isEmpty ? nil : states.map(\.rawValue)
            return try await tx.rows(
                """
                SELECT \(unescaped: Self.deliveryColumns) FROM deliveries d LEFT JOIN incidents i ON i.id = d.incident_id
                WHERE (\(endpoint)::text IS NULL OR d.endpoint = \(endpoint)) AND (\(incidentID)::text IS NULL OR d.incident_id = \(incidentID))
                  AND (\(stateNames)::text[] IS NULL OR d.state = ANY(\(stateNames)::text[]))
                ORDER BY d.sequence DESC LIMIT \(limit)
                """
            ).map(Self.delivery)
        }
    }

    public func deliveryQueues() async throws(IncidentStoreError) -> [String: WebhookQueueSummary] {
        try await read { tx in
            var queues: [String: WebhookQueueSummary] = [:]
            for row in try await tx.rows(
                """
                SELECT endpoint, COUNT(*) FILTER (WHERE state = 'pending') AS pending, COUNT(*) FILTER (WHERE state = 'dead') AS dead,
                    MIN(created_at) FILTER (WHERE state = 'pending') AS oldest
                FROM deliveries WHERE state != 'delivered' GROUP BY endpoint
                """)
            {
                queues[try row["endpoint"].decode(String.self)] = WebhookQueueSummary(
                    pending: try row["pending"].decode(Int.self), dead: try row["dead"].decode(Int.self),
                    oldestPendingAt: try row["oldest"].decode(Int64?.self))
            }
            return queues
        }
    }

    public func disableEndpoint(_ endpoint: String, url: String, reason: String, now: Int64) async throws(IncidentStoreError) {
        try await transaction { tx in
            try await tx.execute(
                """
                INSERT INTO disabled_endpoints (name, url, reason, disabled_at) VALUES (\(endpoint), \(url), \(reason), \(now))
                ON CONFLICT (name) DO UPDATE SET url = excluded.url, reason = excluded.reason, disabled_at = excluded.disabled_at
                """)
        }
    }

    public func disabledEndpoints() async throws(IncidentStoreError) -> [String: (url: String, reason: String, at: Int64)] {
        let rows = try await read { tx in
            try await tx.rows("SELECT name, url, reason, disabled_at FROM disabled_endpoints").map {
                (try $0["name"].decode(String.self), try $0["url"].decode(String.self), try $0["reason"].decode(String.self),
                 try $0["disabled_at"].decode(Int64.self))
            }
        }
        var result: [String: (url: String, reason: String, at: Int64)] = [:]
        for (name, url, reason, at) in rows { result[name] = (url, reason, at) }
        return result
    }

    public func enableEndpoint(_ endpoint: String) async throws(IncidentStoreError) {
        try await transaction { tx in try await tx.execute("DELETE FROM disabled_endpoints WHERE name = \(endpoint)") }
    }

    // MARK: Rows

    static let isHead = IncidentColumns.deliveryIsHead
    static let deliveryColumns = IncidentColumns.deliveryNames

    static func delivery(_ row: PostgresRandomAccessRow) throws -> WebhookDelivery {
        let eventName = try row["event"].decode(String.self), stateName = try row["state"].decode(String.self)
        guard let event = WebhookEvent(rawValue: eventName), let state = WebhookDelivery.State(rawValue: stateName) else {
            throw IncidentStoreError.database(path: "", reason: "delivery \(try row["id"].decode(String.self)) has an unknown event or state")
        }
        let number = try row["incident_number"].decode(Int?.self)
        return WebhookDelivery(
            sequence: try row["sequence"].decode(Int64.self), id: try row["id"].decode(String.self),
            endpoint: try row["endpoint"].decode(String.self), incidentID: try row["incident_id"].decode(String?.self),
            incidentReference: number.map { "INC-\($0)" }, eventID: try row["event_id"].decode(String?.self), event: event, state: state,
            attempts: try row["attempts"].decode(Int.self), createdAt: try row["created_at"].decode(Int64.self),
            nextAttemptAt: try row["next_attempt_at"].decode(Int64?.self), lastAttemptAt: try row["last_attempt_at"].decode(Int64?.self),
            lastStatus: try row["last_status"].decode(Int?.self), lastError: try row["last_error"].decode(String?.self),
            response: try row["response"].decode(String?.self), finishedAt: try row["finished_at"].decode(Int64?.self))
    }

    /// Makes a finished delivery pending again, due `now`, and its outbox row unfinished.
    static func requeue(_ sequence: Int64, now: Int64, in tx: PostgresTransaction) async throws {
        try await tx.execute(
            "UPDATE deliveries SET state = 'pending', next_attempt_at = \(now), retry_since = \(now), finished_at = NULL WHERE sequence = \(sequence)")
        try await tx.execute(
            "UPDATE outbox SET delivered_at = NULL WHERE sequence = (SELECT outbox_sequence FROM deliveries WHERE sequence = \(sequence))")
        tx.notices.mark(.deliveries)
    }
}
