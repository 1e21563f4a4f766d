/// What `vigild`'s `main` sets up for the whole process before the daemon runs, and hands to it:
/// the metrics registry behind swift-metrics, and the allocator (described in the start-up log,
/// and asked every second to return freed pages to the kernel). A library does neither itself, so
/// a test or another program that links `VigilDaemon` keeps its own metrics backend and malloc.
public struct ProcessSetup: Sendable {
    /// The bootstrapped registry that `GET /metrics` renders.
    public var metrics: PrometheusEndpoint
    /// The allocator and its options, for the start-up log.
    public var allocator: String
    /// Returns the heap pages whose decay time has passed to the kernel.
    public var returnFreedMemory: @Sendable () -> Void

    public init(metrics: PrometheusEndpoint, allocator: String, returnFreedMemory: @escaping @Sendable () -> Void) {
        self.metrics = metrics
        self.allocator = allocator
        self.returnFreedMemory = returnFreedMemory
    }
}
