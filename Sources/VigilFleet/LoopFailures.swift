/// How a fleet loop (the forwarder's, the NATS input's) takes failures: it counts them, says when
/// one differs from the last (so a long outage is logged once, not every few seconds), and waits a
/// growing while (100 ms doubling to 5 s) before the loop tries again. The NATS client waits between
/// reconnection rounds itself; this wait spaces out failures that are not about the connection (a
/// full stream, an API error, a full pipeline).
struct LoopFailures {
    private var count = 0
    private var last: String?

    /// Notes `error`; returns its text and whether it should be logged (the first of a run, or a
    /// different one).
    mutating func record(_ error: any Error) -> (text: String, isNew: Bool) {
        count += 1
        let text = "\(error)"
        defer { last = text }
        return (text, text != last)
    }

    /// The loop worked again.
    mutating func succeeded() {
        count = 0
        last = nil
    }

    /// Waits before the next try.
    func pause() async {
        try? await Task.sleep(for: .milliseconds(min(100 << min(count, 6), 5_000)))
    }
}
