import Synchronization
import VigilDetect

/// The most recent signals, newest last, for `GET /v1/signals` (until incidents take over), bounded
/// so memory does not grow with the signal rate.
final class SignalLog: Sendable {
    private let capacity: Int
    private let entries = Mutex<[Signal]>([])

    init(capacity: Int = 1000) {
        self.capacity = capacity
    }

    func append(_ signals: [Signal]) {
        guard !signals.isEmpty else { return }
        entries.withLock { entries in
            entries.append(contentsOf: signals)
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        }
    }

    var all: [Signal] { entries.withLock { $0 } }
}
