import ServiceLifecycle
import VigilFleet

/// Runs fleet mode's forwarder (`[outputs.nats]`) until the graceful shutdown, which reaches it
/// last: the inputs stop first, and what they committed is sent before it stops, or at the next
/// start.
struct ForwarderService: Service {
    let forwarder: NATSForwarder

    func run() async throws {
        forwarder.start()
        try? await gracefulShutdown()
        await forwarder.stop()
    }
}
