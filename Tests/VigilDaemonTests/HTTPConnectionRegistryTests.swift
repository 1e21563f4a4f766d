import Synchronization
import Testing
import VigilIngest
@testable import VigilDaemon

@Suite struct HTTPConnectionRegistryTests {
    /// Which connections a registry closed, by the names the test gave them.
    final class Closed: Sendable {
        private let names = Mutex<[Int]>([])
        func append(_ name: Int) { names.withLock { $0.append(name) } }
        func withLock<T>(_ body: ([Int]) -> T) -> T { names.withLock { body($0) } }
    }

    /// A registry of `maximum` and a record of which connections it closed.
    func registry(_ maximum: Int) -> (HTTPConnectionRegistry, Closed) {
        (HTTPConnectionRegistry(maximum: maximum, listener: "test"), Closed())
    }

    @Test func atTheCapTheOldestFreshConnectionGoesFirstThenTheOldestIdleOne() {
        let (registry, closed) = registry(3)
        func admit(_ name: Int) -> UInt64? { registry.admit { closed.append(name) } }
        let a = admit(1)!, b = admit(2)!
        _ = admit(3)
        registry.update(a, to: .busy)
        registry.update(b, to: .busy)
        registry.update(b, to: .idle)
        // c is the only fresh one: it goes.
        let d = admit(4)!
        #expect(closed.withLock { $0 } == [3])
        registry.update(d, to: .busy)
        // No fresh one left: the idle b goes.
        _ = admit(5)
        #expect(closed.withLock { $0 } == [3, 2])
        registry.update(a, to: .idle)
        registry.update(d, to: .idle)
        // e (5) is fresh now: it goes before the idle ones.
        _ = admit(6)
        #expect(closed.withLock { $0 } == [3, 2, 5])
        #expect(registry.count == 3)
    }

    @Test func whenEveryConnectionIsBusyANewOneIsRefused() {
        let (registry, closed) = registry(2)
        for _ in 0..<2 {
            let id = registry.admit { closed.append(0) }!
            registry.update(id, to: .busy)
        }
        #expect(registry.admit {} == nil)
        #expect(closed.withLock { $0 }.isEmpty)
        #expect(registry.count == 2)
    }

    @Test func aClosedConnectionFreesItsPlaceAndIsNeverEvicted() {
        let (registry, closed) = registry(2)
        let a = registry.admit { closed.append(1) }!
        _ = registry.admit { closed.append(2) }
        registry.closed(a)
        _ = registry.admit { closed.append(3) }
        #expect(closed.withLock { $0 }.isEmpty)
        _ = registry.admit { closed.append(4) }
        #expect(closed.withLock { $0 } == [2])
    }

    @Test func candidatesStayBoundedBelowTheCap() {
        let (registry, _) = registry(100)
        let kept = registry.admit {}!
        // A keep-alive client answered 10,000 times, and 10,000 short connections.
        for _ in 0..<10_000 {
            registry.update(kept, to: .busy)
            registry.update(kept, to: .idle)
            registry.closed(registry.admit {}!)
        }
        // Each queue holds at most twice the open connections (two at the most here) plus 1,024,
        // where 20,000 candidates would have piled up.
        #expect(registry.candidates <= 2 * (2 * 2 + 1024 + 1))
        #expect(registry.count == 1)
    }

    @Test func theDefaultCapLeavesTheReserveAndSharesTheRest() {
        #expect(HTTPConnectionLimits.defaultMaximumConnections(descriptorLimit: 1024) == 256)
        #expect(HTTPConnectionLimits.defaultMaximumConnections(descriptorLimit: 65536) == 32512)
        #expect(HTTPConnectionLimits.defaultMaximumConnections(descriptorLimit: 100) == 16)
    }
}
