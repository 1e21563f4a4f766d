/// The engine's counters, for the daemon's metrics.
public struct DetectionCounters: Sendable, Hashable {
    /// Records handed to `process` (including late ones, excluding warm-up).
    public var records = 0
    /// Records refused because they were older than the watermark (not counted in any window).
    public var lateRecords = 0
    /// Records released before the watermark reached them because the reorder buffer was full.
    public var forcedReleases = 0
    /// Records waiting in the reorder buffer.
    public var buffered = 0
    /// Live streams, summed over rules and detectors.
    public var streams = 0
    /// Streams evicted to stay within `max_streams`, summed over rules and detectors.
    public var evictedStreams = 0
    /// Templates held by the miner.
    public var templates = 0
    /// Templates evicted to stay within `max_templates`.
    public var evictedTemplates = 0
    /// The watermark (event time, ns) up to which input is complete; `nil` before any record.
    public var watermark: Int64?

    /// All zero.
    public init() {}
}
