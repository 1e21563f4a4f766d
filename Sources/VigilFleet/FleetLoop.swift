import VigilNATS

/// What the forwarder's and the NATS input's loops share around their lifetime.
enum FleetLoop {
    /// Stops `loop`: it finishes what is in flight (a window being acknowledged, a commit); if
    /// NATS is away it would wait for a connection round, so after `grace` the client is closed
    /// under it.
    static func stop(_ loop: Task<Void, Never>?, client: NATSClient, grace: Duration = .seconds(2)) async {
        loop?.cancel()
        let closer = Task {
            guard (try? await Task.sleep(for: grace)) != nil else { return }
            await client.close()
        }
        await loop?.value
        closer.cancel()
        await client.close()
    }
}
