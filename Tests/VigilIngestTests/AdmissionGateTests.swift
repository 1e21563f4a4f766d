import Synchronization
import Testing
@testable import VigilIngest

/// The HTTP input's admission gate: a bounded number inside, waiters served in order, waits that
/// run out.
@Suite struct AdmissionGateTests {
    @Test func atMostTheLimitAreInsideAndALeaveAdmitsTheLongestWaiter() async throws {
        let gate = AdmissionGate(limit: 2)
        #expect(await gate.enter(waitingAtMost: .seconds(1)))
        #expect(await gate.enter(waitingAtMost: .seconds(1)))
        #expect(gate.inside == 2)
        let order = AdmissionOrder()
        let first = Task {
            let admitted = await gate.enter(waitingAtMost: .seconds(30))
            order.record(1)
            return admitted
        }
        try await Task.sleep(for: .milliseconds(50))
        let second = Task {
            let admitted = await gate.enter(waitingAtMost: .seconds(30))
            order.record(2)
            return admitted
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(order.values.isEmpty)
        gate.leave()
        #expect(await first.value)
        #expect(order.values == [1])
        gate.leave()
        #expect(await second.value)
        #expect(order.values == [1, 2])
        #expect(gate.inside == 2)
        gate.leave()
        gate.leave()
        #expect(gate.inside == 0)
    }

    @Test func aWaitThatRunsOutIsRefusedAndTakesNoPlace() async throws {
        let gate = AdmissionGate(limit: 1)
        #expect(await gate.enter(waitingAtMost: .seconds(1)))
        let start = ContinuousClock.now
        #expect(await !gate.enter(waitingAtMost: .milliseconds(50)))
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        gate.leave()
        #expect(gate.inside == 0)
        // The expired waiter is gone: the next one gets in at once.
        #expect(await gate.enter(waitingAtMost: .zero))
        gate.leave()
    }
}

/// The order in which waiters got in.
private final class AdmissionOrder: Sendable {
    private let entries = Mutex<[Int]>([])
    func record(_ value: Int) { entries.withLock { $0.append(value) } }
    var values: [Int] { entries.withLock { $0 } }
}
