/// The compression codec of a segment block.
public enum CompressionCodec: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// zstd: the default, small files at a good speed.
    case zstd = 1
    /// lz4: faster to write and read, larger files.
    case lz4 = 2

    public var description: String { self == .zstd ? "zstd" : "lz4" }

    public init?(name: String) {
        switch name.lowercased() {
        case "zstd": self = .zstd
        case "lz4": self = .lz4
        default: return nil
        }
    }
}

/// When the store calls `fsync`.
public enum FsyncPolicy: Sendable, Equatable, CustomStringConvertible {
    /// After every group commit: an append returns once its records are on stable storage. Records
    /// whose sender does not wait (syslog over UDP) are fsynced right after they are written, off
    /// the writer's path, so a slow disk does not stall them; a machine crash may lose that instant.
    case batch
    /// At most once per interval (nanoseconds): an append returns once its records are written to the
    /// kernel; a crash of the machine (not of the process) may lose the last interval.
    case interval(Int64)
    /// Never: the kernel writes back when it likes.
    case never

    public var description: String {
        switch self {
        case .batch: "batch"
        case .interval(let nanos): "interval(\(DurationParser.format(nanos)))"
        case .never: "never"
        }
    }
}

/// The `[store]` table of the configuration, with Vigil's defaults.
public struct StoreConfiguration: Sendable, Equatable {
    /// Block codec; `zstd` by default.
    public var codec: CompressionCodec = .zstd
    /// zstd level (1–19) of the blocks written live; 3 by default, as the `zstd` command.
    public var zstdLevel: Int = 3
    /// zstd level (1–19) of the blocks written where time allows: by `vigil import`, and by the
    /// background rewriter when it recompresses catch-up blocks or compacts small ones; 7 by
    /// default (smaller than `zstd -3` of the raw logs, at about twice the CPU of level 3).
    public var zstdBulkLevel: Int = 7
    /// A segment is sealed and a new one started past this size; 128 MiB by default.
    public var segmentMaxBytes: Int64 = 128 * 1024 * 1024
    /// … or past this age (nanoseconds); 1 h by default.
    public var segmentMaxAge: Int64 = 3_600_000_000_000
    /// When to fsync; `batch` by default.
    public var fsync: FsyncPolicy = .batch
    /// How long (nanoseconds) records whose sender does not wait for them (syslog over UDP) may
    /// wait for more to share their group commit; 50 ms by default, 0 commits at once. Fewer,
    /// fuller commits mean fewer fsyncs and larger blocks, which compress better. Appends whose
    /// caller waits (HTTP, journald, import) commit at once, and take the waiting records along.
    public var commitDelay: Int64 = 50_000_000
    /// The codec of blocks written while the writer is behind, so a flood costs compression ratio
    /// for a while rather than records; `lz4` by default, `nil` (`"none"`) always uses `codec`.
    /// Sealed segments holding such blocks are recompressed with `codec` once the writer keeps up.
    public var catchUpCodec: CompressionCodec? = .lz4
    /// `catchUpCodec` when it differs from `codec`: the codec catch-up blocks are written with, if any.
    public var distinctCatchUpCodec: CompressionCodec? { catchUpCodec == codec ? nil : catchUpCodec }
    /// The writer is behind when the records of a commit have waited longer than `commitDelay`
    /// plus this (nanoseconds); 10 ms by default (a commit normally starts within a few milliseconds
    /// of its delay, unless the writer is still busy with the previous one).
    public var catchUpAfter: Int64 = 10_000_000
    /// Sealed segments holding catch-up blocks are recompressed once the writer has not been behind
    /// for this long (nanoseconds); 30 s by default, so a rewrite does not take the CPU a storm
    /// still needs.
    public var recompressAfter: Int64 = 30_000_000_000
    /// Sealed segments holding runs of small blocks (live ingestion commits a block per request)
    /// are compacted into full-size blocks in the background, after the same quiet period; true by
    /// default.
    public var compact = true
    /// Sealed segments are deleted, oldest first, while the store is larger than this; `nil` keeps all.
    public var retentionMaxBytes: Int64?
    /// Sealed segments sealed longer ago than this (nanoseconds) are deleted; `nil` keeps all.
    public var retentionMaxAge: Int64?

    public init() {}
}
