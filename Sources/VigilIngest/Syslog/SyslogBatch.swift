import VigilCore
import VigilFormats

/// Syslog messages parsed into records and gathered until the end of a read burst, when they are
/// offered to the pipeline in one batch: the part the UDP and TCP inputs share.
///
/// Each record gets the sender's address as the field `source_ip`, and `truncated = "true"` when
/// its message was cut. A message that is not syslog is kept raw and counted as a parse failure.
public struct SyslogBatch {
    private var parser: SyslogParser
    private let input: IngestInput
    private let pipeline: IngestPipeline
    private let metrics: IngestMetrics
    private var records: [LogRecord] = []
    private var sizes: [Int] = []
    private var bytes = 0
    private var rawBefore = 0
    /// The gathered records were offered and refused (the pipeline was full): later offers retry.
    private var refused = false

    public init(parser: SyslogParser, input: IngestInput, pipeline: IngestPipeline) {
        self.parser = parser
        self.parser.reservedFieldCapacity = 1  // source_ip
        self.input = input
        self.pipeline = pipeline
        metrics = pipeline.metrics(for: input)
    }

    /// Records gathered and not yet handed over.
    public var count: Int { records.count }

    /// Counts `count` bytes received from the network.
    public mutating func received(_ count: Int) { bytes += count }

    /// Parses one message and adds its record.
    public mutating func add(_ message: UnsafeBufferPointer<UInt8>, receivedAt: Int64, sender: String, truncated: Bool) {
        var record = parser.parse(message, receivedAt: receivedAt)
        record.fields["source_ip"] = sender
        if truncated { record.fields["truncated"] = "true" }
        records.append(consume record)
        sizes.append(message.count)
    }

    /// Offers the gathered records to the pipeline. When it is full they are dropped and counted
    /// (`whenFull: .drop`), or kept for the next call (`.keep`, which then returns `false`).
    @discardableResult
    public mutating func flush(whenFull: IngestPipeline.WhenFull) -> Bool {
        guard !records.isEmpty else { return true }
        let accepted = pipeline.offer(records, sourceSizes: sizes, from: input, whenFull: whenFull, retrying: refused)
        if !accepted, whenFull == .keep {
            refused = true
            return false
        }
        refused = false
        metrics.bytes.increment(by: bytes)
        let raw = parser.rawCount - rawBefore
        if raw > 0 { metrics.parseFailures.increment(by: raw) }
        rawBefore = parser.rawCount
        // The next burst is likely as large as this one: allocate once rather than grow.
        let expected = records.count
        records = []
        records.reserveCapacity(expected)
        sizes = []
        sizes.reserveCapacity(expected)
        bytes = 0
        return accepted
    }
}
