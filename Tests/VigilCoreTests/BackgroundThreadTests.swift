import Foundation
import Synchronization
import Testing
import VigilCore

#if canImport(Glibc)
import Glibc
#endif

@Suite struct BackgroundThreadTests {
    @Test func jobsRunInOrderOnALoweredThreadAndDelayedOnesAfterTheirDelay() async throws {
        let thread = BackgroundThread(name: "vigil.test.background", niceness: 7)
        let log = Mutex<[String]>([])
        let started = ContinuousClock.now
        thread.asyncAfter(.milliseconds(200)) { log.withLock { $0.append("delayed") } }
        for index in 0..<5 { thread.async { log.withLock { $0.append("job \(index)") } } }
        thread.async {
            let nice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            log.withLock { $0.append("nice \(nice) \(comm.trimmingCharacters(in: .newlines))") }
        }
        await thread.finishQueuedWork()
        // The immediate jobs ran in order, on the lowered thread; the delayed one, whenever it ran
        // (a loaded machine may take longer than its delay to get here), ran after them.
        #expect(Array(log.withLock { $0 }.prefix(6)) == (0..<5).map { "job \($0)" } + ["nice 7 vigil.test.back"])
        let deadline = ContinuousClock.now + .seconds(30)
        while log.withLock({ $0.count }) < 7, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(log.withLock { $0.last } == "delayed")
        #expect(ContinuousClock.now - started >= .milliseconds(200))
        // This process's other threads keep their priority.
        #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == 0)
        // Idle, it starts again on the next job.
        await thread.finishQueuedWork()
    }
}
