import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import VigilCore
import VigilIncidents
import VigilSettings

/// Delivers the outbox to the webhook endpoints.
///
/// One routing loop turns new outbox rows into one delivery per endpoint that wants the event
/// (woken by `outboxChanged()` after every commit that queued a notification), queues reminders
/// (`repeat_interval`) and refreshes the queue gauges. Beside it runs one worker task per enabled
/// endpoint: it takes the endpoint's due deliveries — the earliest pending one per incident, so an
/// incident's `resolved` never overtakes its `opened` — sends up to `concurrency` of them at once,
/// and records every attempt and the delivery's new state in one transaction. Workers sleep on a
/// bell until the next delivery is due or a new one is queued; a hanging or dead endpoint holds
/// only its own worker, and its circuit breaker keeps it from being hammered.
///
/// Delivery is at least once: a delivery is marked delivered only after the 2xx, so one in flight
/// when vigild stops is sent again after the restart, with the same `webhook-id`.
public final class WebhookDispatcher: Sendable {
    let store: any IncidentStore
    let context: NotificationContext
    let metrics: WebhookMetrics
    let logger: Logger
    private let client: HTTPClient
    private let state: Mutex<State>
    private let outboxBell = Doorbell()

    private struct State {
        var configuration: WebhooksConfiguration
        var disabled: [String: (url: String, reason: String, at: Int64)] = [:]
        var workers: [String: Worker] = [:]
        var circuits: [String: CircuitBreaker.State] = [:]
        var running = false
    }

    private final class Worker: Sendable {
        let endpoint: WebhookEndpoint
        let bell = Doorbell()
        let task = Mutex<Task<Void, Never>?>(nil)

        init(endpoint: WebhookEndpoint) {
            self.endpoint = endpoint
        }
    }

    /// The largest number of incidents one grouped message carries.
    static let maximumGroup = 100
    /// How often reminders are looked for and the queue gauges refreshed.
    static let upkeepInterval = Duration.seconds(15)

    /// A dispatcher over `store` for `configuration`'s endpoints.
    public init(
        store: any IncidentStore, configuration: WebhooksConfiguration, context: NotificationContext, metrics: WebhookMetrics,
        logger: Logger
    ) {
        self.store = store
        self.context = context
        self.metrics = metrics
        self.logger = logger
        state = Mutex(State(configuration: configuration))
        var http = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64))
        http.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: http)
    }

    // MARK: - Running

    /// Routes and delivers until cancelled; then stops the workers (a request in flight is
    /// abandoned and sent again after a restart) and shuts the HTTP client down.
    public func run() async {
        do {
            let disabled = try await store.disabledEndpoints()
            state.withLock { $0.disabled = disabled }
        } catch {
            // A start that fails elsewhere cancels this read: that is no failure of its own.
            if !Task.isCancelled { logger.error("could not read the disabled webhooks", metadata: ["error": "\(error)"]) }
        }
        await apply(state.withLock { $0.configuration }, initial: true)
        await withTaskCancellationHandler {
            await routeLoop()
        } onCancel: {
            outboxBell.ring()
        }
        let workers = state.withLock { state in
            state.running = false
            defer { state.workers = [:] }
            return Array(state.workers.values)
        }
        for worker in workers { worker.task.withLock { $0?.cancel() } }
        for worker in workers {
            if let task = worker.task.withLock({ $0 }) { await task.value }
        }
        try? await client.shutdown()
    }

    /// Says that a commit queued notifications: the routing loop wakes.
    public func outboxChanged() {
        outboxBell.ring()
    }

    /// Takes a reloaded `[[webhooks]]`: workers of removed, disabled or changed endpoints stop
    /// (their deliveries stay queued), new ones start; an endpoint disabled by 410 Gone is enabled
    /// again when its URL changed. Logs what changed and what stays queued.
    public func reconfigure(_ configuration: WebhooksConfiguration) async {
        await apply(configuration, initial: false)
        outboxBell.ring()
    }

    private func apply(_ configuration: WebhooksConfiguration, initial: Bool) async {
        // 410 Gone holds until the URL changes.
        for endpoint in configuration.endpoints {
            guard let disabled = state.withLock({ $0.disabled[endpoint.name] }), disabled.url != endpoint.url else { continue }
            try? await store.enableEndpoint(endpoint.name)
            _ = state.withLock { $0.disabled.removeValue(forKey: endpoint.name) }
            logger.info("webhook enabled again: its URL changed", metadata: ["endpoint": "\(endpoint.name)"])
        }
        let (stopped, started) = state.withLock { state -> ([Worker], [Worker]) in
            state.configuration = configuration
            state.running = true
            var stopped: [Worker] = []
            var started: [Worker] = []
            for (name, worker) in state.workers {
                let wanted = configuration[name]
                if wanted != worker.endpoint || !(wanted?.enabled ?? false) || state.disabled[name] != nil {
                    stopped.append(worker)
                    state.workers[name] = nil
                }
            }
            for endpoint in configuration.endpoints where endpoint.enabled && state.disabled[endpoint.name] == nil {
                guard state.workers[endpoint.name] == nil else { continue }
                let worker = Worker(endpoint: endpoint)
                state.workers[endpoint.name] = worker
                started.append(worker)
            }
            return (stopped, started)
        }
        for worker in stopped {
            worker.task.withLock { $0?.cancel() }
            if let task = worker.task.withLock({ $0 }) { await task.value }
        }
        for worker in started {
            worker.task.withLock { task in
                task = Task { await self.work(worker) }
            }
        }
        if !initial {
            let removed = Set(stopped.map(\.endpoint.name)).subtracting(configuration.endpoints.map(\.name))
            let queues = (try? await store.deliveryQueues()) ?? [:]
            for name in removed.sorted() {
                logger.warning(
                    "webhook removed; its queued deliveries are kept and resume if it comes back",
                    metadata: ["endpoint": "\(name)", "pending": "\(queues[name]?.pending ?? 0)"])
            }
            logger.info(
                "webhooks reloaded",
                metadata: ["started": "\(started.map(\.endpoint.name).sorted())", "stopped": "\(stopped.map(\.endpoint.name).sorted())"])
        }
    }

    // MARK: - Routing

    private func routeLoop() async {
        var lastUpkeep = ContinuousClock.now - Self.upkeepInterval
        while !Task.isCancelled {
            await routeOutbox()
            // Every 15 s, or as often as the shortest repeat_interval asks.
            let shortest = state.withLock { $0.configuration.endpoints.map(\.repeatInterval).filter { $0 > 0 }.min() }
            let interval = min(Self.upkeepInterval, .nanoseconds(max(shortest ?? Int64.max, 1_000_000_000)))
            if ContinuousClock.now - lastUpkeep >= interval {
                lastUpkeep = ContinuousClock.now
                await queueReminders()
                await refreshGauges()
            }
            await outboxBell.wait(until: lastUpkeep + interval)
        }
    }

    /// Routes every outbox row not routed yet and wakes the workers that got deliveries.
    private func routeOutbox() async {
        let (endpoints, disabled) = state.withLock { ($0.configuration.endpoints, Set($0.disabled.keys)) }
        let receiving = endpoints.filter { $0.enabled && !disabled.contains($0.name) }
        let recipients: @Sendable (WebhookEvent, Incident) -> [String] = { event, incident in
            receiving.filter { $0.accepts(event, about: incident) }.map(\.name)
        }
        let waits = Dictionary(uniqueKeysWithValues: receiving.map { ($0.name, WebhookFormatter.groups($0.format) ? $0.groupWait : 0) })
        let delay: @Sendable (String, WebhookEvent) -> Int64 = { name, event in event == .opened ? waits[name] ?? 0 : 0 }
        while !Task.isCancelled {
            do {
                let (routed, queued) = try await store.routeOutbox(now: WallClock.now(), recipients: recipients, delay: delay)
                wake(Array(queued.keys))
                if routed < 500 { return }
            } catch {
                // At shutdown the routing task is cancelled mid-read: that is no failure.
                if !Task.isCancelled { logger.error("could not route the outbox", metadata: ["error": "\(error)"]) }
                return
            }
        }
    }

    private func queueReminders() async {
        let endpoints = state.withLock { state in
            state.configuration.endpoints.filter { $0.enabled && $0.repeatInterval > 0 && state.disabled[$0.name] == nil }
        }
        for endpoint in endpoints {
            do {
                let queued = try await store.queueReminders(endpoint: endpoint.name, interval: endpoint.repeatInterval, now: WallClock.now()) {
                    endpoint.accepts(.repeated, about: $0)
                }
                if queued > 0 { wake([endpoint.name]) }
            } catch {
                logger.error("could not queue reminders", metadata: ["endpoint": "\(endpoint.name)", "error": "\(error)"])
            }
        }
    }

    private func refreshGauges() async {
        guard let queues = try? await store.deliveryQueues() else { return }
        let names = Set(state.withLock { $0.configuration.endpoints.map(\.name) }).union(queues.keys)
        let now = WallClock.now()
        for name in names {
            let queue = queues[name] ?? WebhookQueueSummary()
            let age = queue.oldestPendingAt.map { Double(max(0, now - $0)) / 1e9 } ?? 0
            metrics.queue(name, depth: queue.pending, oldestAge: age)
        }
    }

    private func wake(_ names: [String]) {
        let workers = state.withLock { state in names.compactMap { state.workers[$0] } }
        for worker in workers { worker.bell.ring() }
    }

    /// Wakes `endpoint`'s worker (a delivery was put back by hand), or every worker.
    public func deliveriesRequeued(endpoint: String?) {
        let workers = state.withLock { state in endpoint.map { state.workers[$0].map { [$0] } ?? [] } ?? Array(state.workers.values) }
        for worker in workers { worker.bell.ring() }
    }

    // MARK: - Delivering

    private func work(_ worker: Worker) async {
        let endpoint = worker.endpoint
        let policy = DeliveryPolicy(endpoint: endpoint)
        let signer = WebhookSigner(secrets: endpoint.secrets)
        var breaker = CircuitBreaker()
        while !Task.isCancelled {
            let now = WallClock.now()
            let circuit = breaker.state(at: now)
            publish(circuit, for: endpoint.name)
            if circuit == .open {
                await worker.bell.wait(until: instant(breaker.reopensAt ?? now))
                continue
            }
            let due: [DueDelivery]
            do {
                due = try await dueDeliveries(endpoint, now: now, limit: circuit == .halfOpen ? 1 : endpoint.concurrency * 4)
            } catch {
                logger.error("could not read the webhook queue", metadata: ["endpoint": "\(endpoint.name)", "error": "\(error)"])
                await worker.bell.wait(until: .now + .seconds(5))
                continue
            }
            if due.isEmpty {
                let next = try? await store.nextDue(endpoint: endpoint.name)
                await worker.bell.wait(until: next.map(instant))
                continue
            }
            let batches = Self.messages(due, endpoint: endpoint)
            let results = await send(batches, to: endpoint, signer: signer)
            if Task.isCancelled { return }
            var attempts: [WebhookAttempt] = []
            var gone = false
            for (batch, result) in zip(batches, results) {
                for item in batch {
                    let decision = policy.decide(
                        status: result.status, retryAfter: result.retryAfter, error: result.error,
                        attempt: item.delivery.attempts + 1, now: WallClock.now(), retrySince: item.retrySince)
                    attempts.append(attempt(item, result, decision, endpoint: endpoint.name))
                }
                if DeliveryPolicy.isTransient(status: result.status) {
                    breaker.failed(at: WallClock.now())
                } else {
                    breaker.succeeded()
                }
                if result.status == 410 { gone = true }
            }
            do {
                try await store.record(attempts)
            } catch {
                logger.error("could not record webhook attempts", metadata: ["endpoint": "\(endpoint.name)", "error": "\(error)"])
            }
            if gone {
                await disable(endpoint, reason: "410 Gone")
                return
            }
        }
    }

    /// The due deliveries, with the `opened` ones of the next `group_wait` pulled forward to go
    /// in the same message when the endpoint groups.
    private func dueDeliveries(_ endpoint: WebhookEndpoint, now: Int64, limit: Int) async throws -> [DueDelivery] {
        // A shared store hands these to this vigild for the lease: long enough for every batch
        // to time out once, after which another vigild may take what this one did not record.
        let lease = max(60_000_000_000, 4 * endpoint.timeout)
        var due = try await store.dueDeliveries(endpoint: endpoint.name, now: now, limit: limit, lease: lease, openedOnly: false)
        guard endpoint.groupWait > 0, WebhookFormatter.groups(endpoint.format), due.contains(where: { $0.delivery.event == .opened }) else {
            return due
        }
        let taken = Set(due.map(\.delivery.sequence))
        let ahead = try await store.dueDeliveries(
            endpoint: endpoint.name, now: now + endpoint.groupWait, limit: Self.maximumGroup, lease: lease, openedOnly: true)
        due += ahead.filter { !taken.contains($0.delivery.sequence) }
        return due
    }

    /// One message per delivery, except that an endpoint with `group_wait` gets its `opened`
    /// deliveries in one message (the first one's `webhook-id` is the message's).
    static func messages(_ due: [DueDelivery], endpoint: WebhookEndpoint) -> [[DueDelivery]] {
        guard endpoint.groupWait > 0, WebhookFormatter.groups(endpoint.format) else { return due.map { [$0] } }
        let opened = due.filter { $0.delivery.event == .opened }
        var batches = due.filter { $0.delivery.event != .opened }.map { [$0] }
        var start = 0
        while start < opened.count {
            batches.append(Array(opened[start..<min(start + maximumGroup, opened.count)]))
            start += maximumGroup
        }
        return batches
    }

    private func attempt(_ item: DueDelivery, _ result: AttemptResult, _ decision: DeliveryPolicy.Decision, endpoint: String) -> WebhookAttempt {
        let verdict: WebhookAttempt.Verdict
        var error = result.error
        switch decision {
        case .delivered:
            verdict = .delivered
            metrics.attempt(endpoint, outcome: .delivered, latency: result.latency)
        case .retry(let at, let reason):
            verdict = .retry(at: at)
            error = reason
            metrics.attempt(endpoint, outcome: .retried, latency: result.latency)
        case .dead(let reason):
            verdict = .dead
            error = reason
            metrics.attempt(endpoint, outcome: .dead, latency: result.latency)
            logger.warning(
                "webhook delivery failed for good",
                metadata: ["endpoint": "\(endpoint)", "delivery": "\(item.delivery.id)", "reason": "\(reason)"])
        case .gone:
            // Kept queued: the endpoint is disabled, not the delivery.
            verdict = .retry(at: WallClock.now())
            error = "HTTP 410 Gone: endpoint disabled"
            metrics.attempt(endpoint, outcome: .gone, latency: result.latency)
        }
        return WebhookAttempt(
            delivery: item.delivery.sequence, startedAt: result.startedAt, latency: result.latency, status: result.status, error: error,
            response: result.status.map { (200..<300).contains($0) } == true ? nil : result.body, verdict: verdict)
    }

    private func disable(_ endpoint: WebhookEndpoint, reason: String) async {
        let now = WallClock.now()
        try? await store.disableEndpoint(endpoint.name, url: endpoint.url, reason: reason, now: now)
        state.withLock { state in
            state.disabled[endpoint.name] = (endpoint.url, reason, now)
            state.workers[endpoint.name] = nil
        }
        logger.error(
            "webhook disabled: the receiver answered 410 Gone; its deliveries stay queued until its url changes",
            metadata: ["endpoint": "\(endpoint.name)", "url": "\(endpoint.displayURL)"])
    }

    private func publish(_ circuit: CircuitBreaker.State, for name: String) {
        let changed = state.withLock { state -> Bool in
            defer { state.circuits[name] = circuit }
            return state.circuits[name] != circuit
        }
        metrics.circuit(name, circuit)
        if changed, circuit != .closed {
            logger.warning("webhook circuit \(circuit == .open ? "open: pausing deliveries" : "half-open: trying one delivery")", metadata: ["endpoint": "\(name)"])
        }
    }

    private func instant(_ wall: Int64) -> ContinuousClock.Instant {
        .now + .nanoseconds(max(0, wall - WallClock.now()))
    }

    // MARK: - HTTP

    /// What came of one request.
    struct AttemptResult: Sendable {
        var startedAt: Int64
        var latency: Int64
        var status: Int?
        var retryAfter: String?
        var error: String?
        /// The first KiB of the answer's body.
        var body: String?
    }

    /// Sends `batches`, at most `concurrency` at once; results in the same order.
    private func send(_ batches: [[DueDelivery]], to endpoint: WebhookEndpoint, signer: WebhookSigner) async -> [AttemptResult] {
        await withTaskGroup(of: (Int, AttemptResult).self) { group in
            var results = [AttemptResult?](repeating: nil, count: batches.count)
            var next = 0
            func launch() {
                let index = next
                next += 1
                let batch = batches[index]
                group.addTask {
                    let message = WebhookFormatter.message(batch.map(NotificationItem.init), for: endpoint, context: self.context)
                    return (index, await self.post(message, id: batch[0].delivery.id, to: endpoint, signer: signer))
                }
            }
            while next < min(endpoint.concurrency, batches.count) { launch() }
            for await (index, result) in group {
                results[index] = result
                if next < batches.count { launch() }
            }
            return results.map { $0! }
        }
    }

    /// POSTs one signed message.
    func post(_ message: WebhookMessage, id: String, to endpoint: WebhookEndpoint, signer: WebhookSigner) async -> AttemptResult {
        let startedAt = WallClock.now()
        let clock = ContinuousClock.now
        var request = HTTPClientRequest(url: endpoint.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: message.contentType)
        request.headers.add(name: "User-Agent", value: "Vigil-Webhooks/1")
        for header in endpoint.headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        let timestamp = startedAt / 1_000_000_000
        request.headers.replaceOrAdd(name: "webhook-id", value: id)
        request.headers.replaceOrAdd(name: "webhook-timestamp", value: "\(timestamp)")
        if signer.signs {
            request.headers.replaceOrAdd(name: "webhook-signature", value: signer.signature(id: id, timestamp: timestamp, body: message.body))
        }
        request.body = .bytes(ByteBuffer(bytes: message.body))
        var result = AttemptResult(startedAt: startedAt, latency: 0)
        do {
            let response = try await client.execute(request, deadline: .now() + .nanoseconds(endpoint.timeout))
            result.status = Int(response.status.code)
            result.retryAfter = response.headers.first(name: "Retry-After")
            var kept: [UInt8] = []
            for try await chunk in response.body {
                if kept.count < 1024 { kept += chunk.readableBytesView.prefix(1024 - kept.count) }
            }
            result.body = String(decoding: kept, as: UTF8.self)
        } catch {
            if result.status == nil { result.error = Self.describe(error, timeout: endpoint.timeout) }
        }
        let elapsed = ContinuousClock.now - clock
        result.latency = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        return result
    }

    static func describe(_ error: any Error, timeout: Int64) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return "timed out after \(DurationParser.format(timeout))"
            case .connectTimeout:
                return "connection timed out"
            case .remoteConnectionClosed:
                return "the receiver closed the connection"
            default:
                return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("Connection refused") || text.contains("connection refused") { return "connection refused" }
        return text
    }

    // MARK: - Reports

    /// The test result of `vigil webhooks test`.
    public struct TestResult: Sendable {
        /// The `webhook-id` sent.
        public var id: String
        /// The answer's status, if one came.
        public var status: Int?
        /// The first KiB of its body.
        public var body: String?
        /// Why it failed, when no answer came.
        public var error: String?
        /// How long it took, ns.
        public var latency: Int64
    }

    /// Sends a signed sample notification (an `info` incident `INC-0`, event `test`) to the
    /// endpoint named `name` once, bypassing the queue; `nil` when there is no such endpoint.
    public func test(_ name: String) async -> TestResult? {
        guard let endpoint = state.withLock({ $0.configuration[name] }) else { return nil }
        let now = WallClock.now()
        let id = "msg_test_\(now)"
        let item = NotificationItem(
            deliveryID: id, eventID: nil, event: .test, incident: WebhookFormatter.sampleIncident(hostname: context.hostname, now: now),
            time: now, actor: "vigil webhooks test")
        let result = await post(
            WebhookFormatter.message([item], for: endpoint, context: context), id: id, to: endpoint,
            signer: WebhookSigner(secrets: endpoint.secrets))
        return TestResult(id: id, status: result.status, body: result.body, error: result.error, latency: result.latency)
    }

    /// Every configured endpoint and every name with queued deliveries, with its state.
    public func endpoints() async throws(IncidentStoreError) -> [WebhookEndpointStatus] {
        let queues = try await store.deliveryQueues()
        let (configured, disabled, circuits) = state.withLock { ($0.configuration.endpoints, $0.disabled, $0.circuits) }
        var result: [WebhookEndpointStatus] = configured.map { endpoint in
            let queue = queues[endpoint.name] ?? WebhookQueueSummary()
            let gone = disabled[endpoint.name]
            let circuit = circuits[endpoint.name] ?? .closed
            let status =
                if !endpoint.enabled { "disabled" } else if let gone { "disabled (\(gone.reason))" } else if circuit == .closed { "active" } else {
                    "circuit \(circuit.rawValue)"
                }
            return WebhookEndpointStatus(
                name: endpoint.name, url: endpoint.displayURL, format: endpoint.format.rawValue, state: status, pending: queue.pending, dead: queue.dead,
                oldestPendingAt: queue.oldestPendingAt)
        }
        for (name, queue) in queues.sorted(by: { $0.key < $1.key }) where !configured.contains(where: { $0.name == name }) {
            result.append(
                WebhookEndpointStatus(
                    name: name, url: nil, format: nil, state: "removed", pending: queue.pending, dead: queue.dead,
                    oldestPendingAt: queue.oldestPendingAt))
        }
        return result
    }
}
