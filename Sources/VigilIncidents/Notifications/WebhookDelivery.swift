/// One notification to one webhook endpoint, from the outbox: what it is about, where it stands,
/// and its last attempt. Its `id` is the Standard Webhooks `webhook-id`: the same on every retry,
/// so a receiver can drop the repeats of an at-least-once delivery.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    /// Where a delivery stands.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting for its (next) attempt.
        case pending
        /// A 2xx answer was received.
        case delivered
        /// A permanent failure, or retried until `retry_for` ran out: kept for `vigil webhooks retry`.
        case dead
    }

    /// Position in commit order.
    public var sequence: Int64
    /// `webhook-id`.
    public var id: String
    /// The endpoint's name.
    public var endpoint: String
    /// The incident it is about (`nil` for a test).
    public var incidentID: String?
    /// `INC-42`, when the incident is still stored.
    public var incidentReference: String?
    /// The timeline event it carries (`nil` for a reminder or a test).
    public var eventID: String?
    /// What it tells.
    public var event: WebhookEvent
    /// Where it stands.
    public var state: State
    /// Attempts made so far.
    public var attempts: Int
    /// When it was queued (wall time, ns).
    public var createdAt: Int64
    /// When the next attempt is due, while pending.
    public var nextAttemptAt: Int64?
    /// When the last attempt started.
    public var lastAttemptAt: Int64?
    /// The last attempt's HTTP status, if an answer came.
    public var lastStatus: Int?
    /// Why the last attempt failed (`HTTP 503`, `timed out after 10 s`, `connection refused`…).
    public var lastError: String?
    /// The first KiB of the last failed answer's body.
    public var response: String?
    /// When it was delivered, or given up on.
    public var finishedAt: Int64?

    /// Creates a delivery.
    public init(
        sequence: Int64, id: String, endpoint: String, incidentID: String?, incidentReference: String? = nil, eventID: String?,
        event: WebhookEvent, state: State, attempts: Int, createdAt: Int64, nextAttemptAt: Int64?, lastAttemptAt: Int64? = nil,
        lastStatus: Int? = nil, lastError: String? = nil, response: String? = nil, finishedAt: Int64? = nil
    ) {
        self.sequence = sequence
        self.id = id
        self.endpoint = endpoint
        self.incidentID = incidentID
        self.incidentReference = incidentReference
        self.eventID = eventID
        self.event = event
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.response = response
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case sequence, id, endpoint, event, state, attempts, response
        case incidentID = "incident_id", incidentReference = "incident", eventID = "event_id"
        case createdAt = "created_at", nextAttemptAt = "next_attempt_at", lastAttemptAt = "last_attempt_at"
        case lastStatus = "last_status", lastError = "last_error", finishedAt = "finished_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            sequence: try c.decode(Int64.self, forKey: .sequence), id: try c.decode(String.self, forKey: .id),
            endpoint: try c.decode(String.self, forKey: .endpoint),
            incidentID: try c.decodeIfPresent(String.self, forKey: .incidentID),
            incidentReference: try c.decodeIfPresent(String.self, forKey: .incidentReference),
            eventID: try c.decodeIfPresent(String.self, forKey: .eventID), event: try c.decode(WebhookEvent.self, forKey: .event),
            state: try c.decode(State.self, forKey: .state), attempts: try c.decode(Int.self, forKey: .attempts),
            createdAt: try c.decodeTime(.createdAt), nextAttemptAt: try c.decodeTimeIfPresent(.nextAttemptAt),
            lastAttemptAt: try c.decodeTimeIfPresent(.lastAttemptAt), lastStatus: try c.decodeIfPresent(Int.self, forKey: .lastStatus),
            lastError: try c.decodeIfPresent(String.self, forKey: .lastError),
            response: try c.decodeIfPresent(String.self, forKey: .response), finishedAt: try c.decodeTimeIfPresent(.finishedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sequence, forKey: .sequence)
        try c.encode(id, forKey: .id)
        try c.encode(endpoint, forKey: .endpoint)
        try c.encode(incidentID, forKey: .incidentID)
        try c.encode(incidentReference, forKey: .incidentReference)
        try c.encode(eventID, forKey: .eventID)
        try c.encode(event, forKey: .event)
        try c.encode(state, forKey: .state)
        try c.encode(attempts, forKey: .attempts)
        try c.encodeTime(createdAt, .createdAt)
        try c.encodeTime(nextAttemptAt, .nextAttemptAt)
        try c.encodeTime(lastAttemptAt, .lastAttemptAt)
        try c.encode(lastStatus, forKey: .lastStatus)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(response, forKey: .response)
        try c.encodeTime(finishedAt, .finishedAt)
    }
}

/// The outcome of one delivery attempt, as the dispatcher records it.
public struct WebhookAttempt: Sendable, Hashable {
    /// What becomes of the delivery.
    public enum Verdict: Sendable, Hashable {
        /// 2xx.
        case delivered
        /// Try again at this wall time (ns).
        case retry(at: Int64)
        /// Never again (a permanent 4xx, or out of time).
        case dead
    }

    /// The delivery's sequence.
    public var delivery: Int64
    /// When the attempt started (wall time, ns).
    public var startedAt: Int64
    /// How long it took, ns.
    public var latency: Int64
    /// The HTTP status, if an answer came.
    public var status: Int?
    /// Why it failed, if it did.
    public var error: String?
    /// The first KiB of a failed answer's body.
    public var response: String?
    /// What becomes of the delivery.
    public var verdict: Verdict

    /// Creates an attempt.
    public init(
        delivery: Int64, startedAt: Int64, latency: Int64, status: Int?, error: String?, response: String?, verdict: Verdict
    ) {
        self.delivery = delivery
        self.startedAt = startedAt
        self.latency = latency
        self.status = status
        self.error = error
        self.response = response
        self.verdict = verdict
    }
}

/// A pending delivery with what its payload is built from: the incident as the event left it.
public struct DueDelivery: Sendable, Hashable {
    /// The delivery.
    public var delivery: WebhookDelivery
    /// The incident snapshot: from the event's `data`, or the current row for a reminder.
    public var incident: Incident
    /// The event's time (wall, ns): when the change happened.
    public var time: Int64
    /// Who made the change (`auto`, a token's name).
    public var actor: String
    /// Where `retry_for` counts from: when it was queued, or last put back by hand.
    public var retrySince: Int64

    /// Creates one.
    public init(delivery: WebhookDelivery, incident: Incident, time: Int64, actor: String, retrySince: Int64) {
        self.delivery = delivery
        self.incident = incident
        self.time = time
        self.actor = actor
        self.retrySince = retrySince
    }
}

/// What `vigil webhooks list` shows of one endpoint's queue.
public struct WebhookQueueSummary: Sendable, Hashable {
    /// Deliveries waiting.
    public var pending: Int
    /// Deliveries given up on.
    public var dead: Int
    /// When the oldest pending one was queued.
    public var oldestPendingAt: Int64?

    /// Creates one.
    public init(pending: Int = 0, dead: Int = 0, oldestPendingAt: Int64? = nil) {
        self.pending = pending
        self.dead = dead
        self.oldestPendingAt = oldestPendingAt
    }
}

/// One endpoint as `GET /v1/webhooks` and `vigil webhooks list` show it.
public struct WebhookEndpointStatus: Sendable, Hashable, Codable {
    /// Its name.
    public var name: String
    /// Its URL with the path hidden (`https://hooks.slack.com/…`); `nil` for an endpoint no
    /// longer configured.
    public var url: String?
    /// Its format.
    public var format: String?
    /// `active`, `disabled`, `disabled (410 Gone)`, `circuit open`, `circuit half_open`, or
    /// `removed` (no longer configured, deliveries kept).
    public var state: String
    /// Deliveries waiting.
    public var pending: Int
    /// Deliveries given up on.
    public var dead: Int
    /// When the oldest waiting one was queued.
    public var oldestPendingAt: Int64?

    /// Creates one.
    public init(name: String, url: String?, format: String?, state: String, pending: Int, dead: Int, oldestPendingAt: Int64?) {
        self.name = name
        self.url = url
        self.format = format
        self.state = state
        self.pending = pending
        self.dead = dead
        self.oldestPendingAt = oldestPendingAt
    }

    enum CodingKeys: String, CodingKey {
        case name, url, format, state, pending, dead
        case oldestPendingAt = "oldest_pending_at"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name), url: try c.decodeIfPresent(String.self, forKey: .url),
            format: try c.decodeIfPresent(String.self, forKey: .format), state: try c.decode(String.self, forKey: .state),
            pending: try c.decode(Int.self, forKey: .pending), dead: try c.decode(Int.self, forKey: .dead),
            oldestPendingAt: try c.decodeTimeIfPresent(.oldestPendingAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(url, forKey: .url)
        try c.encode(format, forKey: .format)
        try c.encode(state, forKey: .state)
        try c.encode(pending, forKey: .pending)
        try c.encode(dead, forKey: .dead)
        try c.encodeTime(oldestPendingAt, .oldestPendingAt)
    }
}
