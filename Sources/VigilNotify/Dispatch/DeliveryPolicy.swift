import Foundation
import VigilIncidents
import VigilSettings

/// What an attempt's answer means for its delivery: the rules of the retry schedule, pure so
/// tests can state them.
///
/// - 2xx: delivered.
/// - 408, 429, 5xx, a timeout or a connection error: retried after the schedule's next wait,
///   drawn with full jitter (uniformly up to the wait); 429 and 503 wait what `Retry-After` says
///   (seconds or an HTTP date) instead.
/// - 410 Gone: the endpoint is disabled; its deliveries stay queued.
/// - Any other status (3xx are not followed; other 4xx): dead, with the answer kept.
/// - A retry that would start after `retry_for` has run out: dead.
public struct DeliveryPolicy: Sendable {
    /// What to do with a delivery after an attempt.
    public enum Decision: Sendable, Hashable {
        case delivered
        case retry(at: Int64, reason: String)
        case dead(reason: String)
        /// 410 Gone: stop sending to the endpoint.
        case gone
    }

    let schedule: [Int64]
    let retryFor: Int64
    let random: @Sendable (ClosedRange<Int64>) -> Int64

    /// The policy of `endpoint`; `random` draws the jitter (tests pass a fixed one).
    public init(
        endpoint: WebhookEndpoint, random: @escaping @Sendable (ClosedRange<Int64>) -> Int64 = { Int64.random(in: $0) }
    ) {
        schedule = endpoint.retrySchedule
        retryFor = endpoint.retryFor
        self.random = random
    }

    /// The decision for an answer with `status` (and its `Retry-After`), or for `error` when none
    /// came, on attempt number `attempt` (1 for the first), at `now`, for a delivery whose
    /// `retry_for` counts from `retrySince`.
    public func decide(status: Int?, retryAfter: String?, error: String?, attempt: Int, now: Int64, retrySince: Int64) -> Decision {
        let reason: String
        var wait: Int64?
        switch status {
        case let code? where (200..<300).contains(code):
            return .delivered
        case 410?:
            return .gone
        case let code? where Self.isTransient(status: code):
            reason = "HTTP \(code)"
            if code == 429 || code == 503, let retryAfter, let seconds = Self.retryAfterSeconds(retryAfter, now: now) {
                wait = seconds * 1_000_000_000
            }
        case let code?:
            return .dead(reason: (300..<400).contains(code) ? "HTTP \(code) (redirects are not followed)" : "HTTP \(code)")
        case nil:
            reason = error ?? "no answer"
        }
        let step = schedule[min(max(attempt - 1, 0), schedule.count - 1)]
        let delay = wait ?? random(min(step, 100_000_000)...step)
        let at = now + delay
        if at > retrySince + retryFor {
            return .dead(reason: "\(reason); gave up after \(attempt) attempts (retry_for ran out)")
        }
        return .retry(at: at, reason: reason)
    }

    /// Whether an answer (or none: `nil`) says the receiver could not take the request now — 408,
    /// 429, 5xx, a timeout or a connection error — so the delivery is retried and the circuit
    /// breaker counts a failure.
    public static func isTransient(status: Int?) -> Bool {
        guard let status else { return true }
        return status == 408 || status == 429 || status >= 500
    }

    /// Seconds to wait from a `Retry-After` value: delay-seconds or an HTTP date (RFC 9110).
    public static func retryAfterSeconds(_ value: String, now: Int64) -> Int64? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(text) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                return max(0, Int64(date.timeIntervalSince1970.rounded(.up)) - now / 1_000_000_000)
            }
        }
        return nil
    }
}

/// A circuit breaker per endpoint: after `threshold` failed attempts in a row it opens, and no
/// attempt is made for a cool-down (30 s, doubling to 10 min while it keeps failing); then one
/// attempt is let through (half-open) and its outcome closes or reopens it.
public struct CircuitBreaker: Sendable, Hashable {
    /// Where it stands.
    public enum State: String, Sendable, Hashable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    /// Failures in a row before it opens.
    public let threshold: Int
    private(set) var failures = 0
    private(set) var openUntil: Int64?
    private var coolDown: Int64 = 30_000_000_000
    static let maximumCoolDown: Int64 = 600_000_000_000

    /// A closed breaker.
    public init(threshold: Int = 5) {
        self.threshold = threshold
    }

    /// Its state at `now`.
    public func state(at now: Int64) -> State {
        guard let openUntil else { return .closed }
        return now < openUntil ? .open : .halfOpen
    }

    /// When an open breaker lets the next attempt through.
    public var reopensAt: Int64? { openUntil }

    /// Counts a successful attempt (or one the receiver refused for good: it answered).
    public mutating func succeeded() {
        failures = 0
        openUntil = nil
        coolDown = 30_000_000_000
    }

    /// Counts a failed attempt at `now`.
    public mutating func failed(at now: Int64) {
        failures += 1
        if openUntil != nil {
            coolDown = min(coolDown * 2, Self.maximumCoolDown)
            openUntil = now + coolDown
        } else if failures >= threshold {
            openUntil = now + coolDown
        }
    }
}
