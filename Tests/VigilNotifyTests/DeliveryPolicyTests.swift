import Testing
import VigilSettings
@testable import VigilNotify

@Suite struct DeliveryPolicyTests {
    let second: Int64 = 1_000_000_000
    let now: Int64 = 1_800_000_000 * 1_000_000_000
    /// The policy with the default schedule and the jitter's upper bound drawn every time.
    var policy: DeliveryPolicy { DeliveryPolicy(endpoint: WebhookEndpoint(name: "a", url: "http://x/"), random: { $0.upperBound }) }

    func decide(_ status: Int?, retryAfter: String? = nil, attempt: Int = 1, since: Int64? = nil) -> DeliveryPolicy.Decision {
        policy.decide(status: status, retryAfter: retryAfter, error: status == nil ? "connection refused" : nil, attempt: attempt, now: now, retrySince: since ?? now)
    }

    @Test func twoHundredsAreDelivered() {
        for status in [200, 201, 202, 204, 299] { #expect(decide(status) == .delivered) }
    }

    @Test func transientFailuresFollowTheScheduleWithFullJitter() {
        #expect(decide(500) == .retry(at: now + 5 * second, reason: "HTTP 500"))
        #expect(decide(503, attempt: 2) == .retry(at: now + 30 * second, reason: "HTTP 503"))
        #expect(decide(408, attempt: 3) == .retry(at: now + 120 * second, reason: "HTTP 408"))
        #expect(decide(nil, attempt: 6) == .retry(at: now + 3600 * second, reason: "connection refused"))
        // Past the schedule's end its last wait repeats: hourly.
        #expect(decide(502, attempt: 12, since: now - 10 * 3600 * second) == .retry(at: now + 3600 * second, reason: "HTTP 502"))
        // The jitter is drawn from (0, wait]: never more than the wait, never less than 100 ms.
        let drawn = DeliveryPolicy(endpoint: WebhookEndpoint(name: "a", url: "http://x/"))
        for _ in 0..<200 {
            guard case .retry(let at, _) = drawn.decide(status: 500, retryAfter: nil, error: nil, attempt: 2, now: now, retrySince: now) else {
                Issue.record("not a retry")
                return
            }
            #expect(at > now + second / 10 - 1 && at <= now + 30 * second)
        }
    }

    @Test func retryAfterIsHonouredOn429And503() {
        #expect(decide(429, retryAfter: "7") == .retry(at: now + 7 * second, reason: "HTTP 429"))
        let date = "Fri, 15 Jan 2027 08:01:30 GMT"
        let base = DeliveryPolicy.retryAfterSeconds(date, now: 0)!
        #expect(DeliveryPolicy.retryAfterSeconds(date, now: (base - 90) * second) == 90)
        #expect(decide(503, retryAfter: "nonsense") == .retry(at: now + 5 * second, reason: "HTTP 503"))
        // Only 429 and 503 carry it.
        #expect(decide(500, retryAfter: "60") == .retry(at: now + 5 * second, reason: "HTTP 500"))
    }

    @Test func goneDisablesAndOtherRefusalsAreDead() {
        #expect(decide(410) == .gone)
        #expect(decide(400) == .dead(reason: "HTTP 400"))
        #expect(decide(401) == .dead(reason: "HTTP 401"))
        #expect(decide(404) == .dead(reason: "HTTP 404"))
        #expect(decide(301) == .dead(reason: "HTTP 301 (redirects are not followed)"))
    }

    @Test func aRetryPastRetryForIsDead() {
        let decision = decide(500, attempt: 9, since: now - 86_400 * second + 10 * second)
        #expect(decision == .dead(reason: "HTTP 500; gave up after 9 attempts (retry_for ran out)"))
    }

    @Test func theCircuitOpensAfterFailuresInARowAndHalfOpensAfterTheCoolDown() {
        var breaker = CircuitBreaker(threshold: 3)
        breaker.failed(at: now)
        breaker.failed(at: now)
        #expect(breaker.state(at: now) == .closed)
        breaker.failed(at: now)
        #expect(breaker.state(at: now) == .open)
        #expect(breaker.state(at: now + 30 * second) == .halfOpen)
        // The half-open attempt fails: open again, for twice as long.
        breaker.failed(at: now + 30 * second)
        #expect(breaker.state(at: now + 89 * second) == .open)
        #expect(breaker.state(at: now + 90 * second) == .halfOpen)
        breaker.succeeded()
        #expect(breaker.state(at: now + 90 * second) == .closed)
    }
}
