/// Where incidents live: the one interface vigild's incident service, API, console and webhook
/// dispatcher talk to, whichever database is behind it (`[incidents] backend`).
///
/// Two implementations: `SQLiteIncidentStore` (VigilIncidentStore; one vigild, `incidents.db` in
/// its data directory) and `PostgresIncidentStore` (VigilIncidentPostgres; several vigild sharing
/// one PostgreSQL database). Both decide every transition with ``IncidentLifecycle`` and fold a
/// batch of signals with ``SignalBatch``, so the state machine is one piece of code; they differ
/// only in how rows are read, locked and written.
///
/// Every method that changes something is one transaction: all of a change or none of it.
public protocol IncidentStore: Sendable {
    /// How signals become incidents.
    var policy: IncidentsConfiguration { get }

    // MARK: Signals and actions

    /// Applies `signals` in order, in one transaction: opens, updates, reopens and resolves
    /// incidents. Repeated `updated` events of one incident within the batch are folded into one.
    func apply(_ signals: [IncidentSignal], now: Int64) async throws(IncidentStoreError) -> [IncidentChange]
    /// Resolves open incidents quiet for `resolve_after` (when `resolve_on = "quiet"`).
    func resolveQuiet(now: Int64) async throws(IncidentStoreError) -> [IncidentChange]
    /// Applies one action to the incident `reference` names (its id, `INC-42` or `42`), in one
    /// transaction: `change` decides the new state with ``IncidentLifecycle`` (an illegal
    /// transition throws, and nothing changes); the incident is saved and `type` recorded in its
    /// timeline by `actor`.
    func act(
        on reference: String, _ type: IncidentEventType, by actor: String, now: Int64,
        _ change: @escaping @Sendable (Incident) throws(IncidentTransitionError) -> Incident
    ) async throws(IncidentStoreError) -> IncidentChange
    /// Adds a note.
    func addNote(_ reference: String, text: String, by actor: String, now: Int64) async throws(IncidentStoreError) -> IncidentChange
    /// Merges `source` into `target`; returns the source's `merged` change and the target's.
    func merge(_ source: String, into target: String, by actor: String, now: Int64) async throws(IncidentStoreError) -> [IncidentChange]

    // MARK: Reading

    /// A page of incidents matching `query`, newest first.
    func incidents(_ query: IncidentQuery) async throws(IncidentStoreError) -> IncidentPage
    /// The incident named by its id, `INC-42` or `42`.
    func incident(_ reference: String) async throws(IncidentStoreError) -> Incident
    /// The incident a fingerprint's signals go to now, if any.
    func incident(fingerprint: String) async throws(IncidentStoreError) -> Incident?
    /// An incident's timeline, oldest first.
    func timeline(_ reference: String) async throws(IncidentStoreError) -> [TimelineEvent]
    /// An incident's notes, oldest first.
    func notes(_ reference: String) async throws(IncidentStoreError) -> [IncidentNote]
    /// Open (firing or acknowledged) incidents by severity; every severity is present.
    func openCounts() async throws(IncidentStoreError) -> [IncidentSeverity: Int]
    /// The report over incidents opened from `since` to `until` (wall time, ns).
    func report(since: Int64, until: Int64) async throws(IncidentStoreError) -> IncidentReport
    /// Deletes resolved and merged incidents that ended before `cutoff`, keeping any with an
    /// undelivered notification. Returns how many were deleted.
    func prune(endedBefore cutoff: Int64) async throws(IncidentStoreError) -> Int

    // MARK: Webhook deliveries

    /// Calls `observer` after every commit that queued a notification in the outbox (by this
    /// vigild, or by another one sharing the store).
    func observeOutbox(_ observer: @escaping @Sendable () -> Void)
    /// Calls `observer` when another vigild sharing the store queued or rescheduled deliveries
    /// (never for a store only this vigild writes).
    func observeDeliveries(_ observer: @escaping @Sendable () -> Void)
    /// Routes up to `limit` outbox rows not routed yet into one pending delivery per endpoint
    /// `recipients` names, due `delay` after `now`. Returns how many rows were routed and the
    /// deliveries queued per endpoint.
    func routeOutbox(
        limit: Int, now: Int64, recipients: @escaping @Sendable (WebhookEvent, Incident) -> [String],
        delay: @escaping @Sendable (String, WebhookEvent) -> Int64
    ) async throws(IncidentStoreError) -> (routed: Int, queued: [String: Int])
    /// Queues a reminder to `endpoint` for every firing incident last notified `interval` or
    /// more ago that `accepts` still wants. Returns how many were queued.
    func queueReminders(
        endpoint: String, interval: Int64, now: Int64, accepts: @escaping @Sendable (Incident) -> Bool
    ) async throws(IncidentStoreError) -> Int
    /// Up to `limit` pending deliveries to `endpoint` due by `now`, oldest first, each the earliest
    /// pending one of its incident. A shared store hands each one to one vigild: it is claimed
    /// for `lease` ns (due again then, should this vigild not record its attempt). `openedOnly`
    /// takes only `opened` deliveries never attempted (those a grouped message pulls forward).
    func dueDeliveries(
        endpoint: String, now: Int64, limit: Int, lease: Int64, openedOnly: Bool
    ) async throws(IncidentStoreError) -> [DueDelivery]
    /// When the next delivery to `endpoint` that could go out is due.
    func nextDue(endpoint: String) async throws(IncidentStoreError) -> Int64?
    /// Records attempts and moves their deliveries on.
    func record(_ attempts: [WebhookAttempt]) async throws(IncidentStoreError)
    /// Puts a delivery back in the queue, due now.
    func retryDelivery(_ id: String, now: Int64) async throws(IncidentStoreError) -> WebhookDelivery
    /// Puts every dead delivery (to `endpoint`, or to any) back in the queue. Returns how many.
    func retryDeadDeliveries(endpoint: String?, now: Int64) async throws(IncidentStoreError) -> Int
    /// Deliveries, newest first: to `endpoint`, about `incident`, in `states`.
    func deliveries(
        endpoint: String?, incident: String?, states: [WebhookDelivery.State], limit: Int
    ) async throws(IncidentStoreError) -> [WebhookDelivery]
    /// Pending and dead deliveries per endpoint, with the oldest pending one's age.
    func deliveryQueues() async throws(IncidentStoreError) -> [String: WebhookQueueSummary]
    /// Marks `endpoint` (at `url`) disabled, e.g. after 410 Gone.
    func disableEndpoint(_ endpoint: String, url: String, reason: String, now: Int64) async throws(IncidentStoreError)
    /// Endpoints disabled, by name: the URL they had then, why and when.
    func disabledEndpoints() async throws(IncidentStoreError) -> [String: (url: String, reason: String, at: Int64)]
    /// Enables `endpoint` again.
    func enableEndpoint(_ endpoint: String) async throws(IncidentStoreError)

    /// Finishes pending writes and closes the database.
    func close() async throws(IncidentStoreError)
}

extension IncidentStore {
    /// Acknowledges a firing incident.
    public func acknowledge(_ reference: String, by actor: String, now: Int64) async throws(IncidentStoreError) -> IncidentChange {
        try await act(on: reference, .acknowledged, by: actor, now: now) { incident throws(IncidentTransitionError) in
            try IncidentLifecycle.acknowledge(incident, by: actor, now: now)
        }
    }

    /// Resolves an open incident.
    public func resolve(_ reference: String, by actor: String, now: Int64) async throws(IncidentStoreError) -> IncidentChange {
        try await act(on: reference, .resolved, by: actor, now: now) { incident throws(IncidentTransitionError) in
            try IncidentLifecycle.resolve(incident, by: actor, now: now)
        }
    }

    /// Reopens a resolved incident.
    public func reopen(_ reference: String, by actor: String, now: Int64) async throws(IncidentStoreError) -> IncidentChange {
        try await act(on: reference, .reopened, by: actor, now: now) { incident throws(IncidentTransitionError) in
            try IncidentLifecycle.reopen(incident, now: now)
        }
    }

    /// Sets (or clears, with `nil`) the assignee.
    public func assign(_ reference: String, to assignee: String?, by actor: String, now: Int64) async throws(IncidentStoreError) -> IncidentChange {
        try await act(on: reference, .updated, by: actor, now: now) { incident in
            IncidentLifecycle.assign(incident, to: assignee, now: now)
        }
    }

    /// Routes up to 500 outbox rows (every first attempt due at once unless `delay` says otherwise).
    public func routeOutbox(
        now: Int64, recipients: @escaping @Sendable (WebhookEvent, Incident) -> [String],
        delay: @escaping @Sendable (String, WebhookEvent) -> Int64 = { _, _ in 0 }
    ) async throws(IncidentStoreError) -> (routed: Int, queued: [String: Int]) {
        try await routeOutbox(limit: 500, now: now, recipients: recipients, delay: delay)
    }

    /// Due deliveries, claimed for a minute when the store is shared.
    public func dueDeliveries(endpoint: String, now: Int64, limit: Int) async throws(IncidentStoreError) -> [DueDelivery] {
        try await dueDeliveries(endpoint: endpoint, now: now, limit: limit, lease: 60_000_000_000, openedOnly: false)
    }

    /// The newest 100 deliveries: to `endpoint`, about `incident`, in `states`.
    public func deliveries(
        endpoint: String? = nil, incident: String? = nil, states: [WebhookDelivery.State] = []
    ) async throws(IncidentStoreError) -> [WebhookDelivery] {
        try await deliveries(endpoint: endpoint, incident: incident, states: states, limit: 100)
    }
}
