import Testing
import VigilCore
import VigilDetect
import VigilIncidents

@Suite struct SignalQueueTests {
    static func signal(_ name: String) -> Signal {
        Signal(detector: .rule, name: name, key: [], severity: .err, title: name, start: 0, end: 0, count: 6, score: 1, status: .firing)
    }

    @Test func aWaitingConsumerIsWokenWithEverythingQueued() async {
        let queue = SignalQueue()
        async let batch = queue.next()
        try? await Task.sleep(for: .milliseconds(50))
        queue.append([Self.signal("a"), Self.signal("b")])
        #expect(await batch?.map(\.signal.name) == ["a", "b"])
        queue.append([Self.signal("c")])
        queue.append([Self.signal("d")])
        #expect(await queue.next()?.map(\.signal.name) == ["c", "d"])
    }

    @Test func finishingHandsOverWhatIsLeftThenNil() async {
        let queue = SignalQueue()
        queue.append([Self.signal("a")])
        queue.finish()
        #expect(await queue.next()?.count == 1)
        #expect(await queue.next() == nil)
    }

    @Test func aFinishWakesAWaitingConsumer() async {
        let queue = SignalQueue()
        async let batch = queue.next()
        try? await Task.sleep(for: .milliseconds(50))
        queue.finish()
        #expect(await batch == nil)
    }

    @Test func pastCapacitySignalsAreDroppedAndReportedOnceAMinute() async {
        let queue = SignalQueue(capacity: 3)
        #expect(queue.append([Self.signal("a"), Self.signal("b")]) == .init(dropped: 0, shouldWarn: false))
        #expect(queue.append([Self.signal("c"), Self.signal("d"), Self.signal("e")]) == .init(dropped: 2, shouldWarn: true))
        #expect(queue.append([Self.signal("f")]) == .init(dropped: 1, shouldWarn: false))
        #expect(queue.dropped == 3)
        #expect(await queue.next()?.map(\.signal.name) == ["a", "b", "c"])
    }
}
