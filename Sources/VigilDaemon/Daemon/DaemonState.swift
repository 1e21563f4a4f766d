import Synchronization

/// What the daemon is doing, readable from any thread (the health endpoint, the status loop).
///
/// Readiness waits for every enabled input to report that it listens; then `READY=1` goes to
/// systemd and `/healthz` answers 200 until shutdown starts.
final class DaemonState: Sendable {
    private struct Phase {
        var waitingFor: Set<String>
        var ready = false
        var stopping = false
    }

    private let phase: Mutex<Phase>
    private let notifier: SystemdNotifier

    /// A state that becomes ready once each of `components` has called `listening(_:)`.
    init(components: Set<String>, notifier: SystemdNotifier) {
        phase = Mutex(Phase(waitingFor: components))
        self.notifier = notifier
        if components.isEmpty { markReadyIfDone() }
    }

    /// Ready and not stopping.
    var isHealthy: Bool { phase.withLock { $0.ready && !$0.stopping } }

    /// `component` listens.
    func listening(_ component: String) {
        phase.withLock { _ = $0.waitingFor.remove(component) }
        markReadyIfDone()
    }

    /// Shutdown has begun. Only the first call notifies systemd (the inputs service and the
    /// daemon's own shutdown path both report it).
    func stopping() {
        let first = phase.withLock { phase -> Bool in
            defer { phase.stopping = true }
            return !phase.stopping
        }
        if first { notifier.stopping(status: "stopping: draining the inputs and sealing the store") }
    }

    private func markReadyIfDone() {
        let becameReady = phase.withLock { phase -> Bool in
            guard phase.waitingFor.isEmpty, !phase.ready else { return false }
            phase.ready = true
            return true
        }
        if becameReady { notifier.ready(status: "ready") }
    }
}
