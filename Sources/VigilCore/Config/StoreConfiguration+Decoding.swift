extension StoreConfiguration: ConfigDecodable {
    /// Reads the `[store]` table; absent keys keep their defaults.
    ///
    /// Keys: `codec` (`"zstd"` | `"lz4"`), `zstd_level` and `zstd_bulk_level` (1–19), `segment_max_bytes` (size, at least
    /// 64 KiB), `segment_max_age` (duration > 0), `fsync` (`"batch"` | `"interval"` | `"never"`),
    /// `fsync_interval` (duration > 0, 1 s by default; used when `fsync = "interval"`), `commit_delay`
    /// (duration ≥ 0, 50 ms by default), `catch_up_codec` (`"lz4"` | `"zstd"` | `"none"`), `catch_up_after`
    /// (duration ≥ 0, 10 ms by default), `recompress_after` (duration ≥ 0, 30 s by default),
    /// `compact` (boolean, true by default), `retention_max_bytes` (size > 0) and `retention_max_age` (duration > 0).
    public init(table: ConfigTable) throws(ConfigError) {
        self.init()
        codec = try table.choice("codec", ["zstd": .zstd, "lz4": .lz4]) ?? codec
        zstdLevel = try table.int("zstd_level", in: 1...19) ?? zstdLevel
        zstdBulkLevel = try table.int("zstd_bulk_level", in: 1...19) ?? zstdBulkLevel
        segmentMaxBytes = try table.byteSize("segment_max_bytes", atLeast: Self.minimumSegmentBytes) ?? segmentMaxBytes
        segmentMaxAge = try table.duration("segment_max_age", atLeast: 1) ?? segmentMaxAge
        let interval = try table.duration("fsync_interval", atLeast: 1) ?? 1_000_000_000
        fsync = try table.choice("fsync", ["batch": .batch, "interval": .interval(interval), "never": .never]) ?? fsync
        commitDelay = try table.duration("commit_delay") ?? commitDelay
        let catchUpChoices: KeyValuePairs<String, CompressionCodec?> = ["lz4": .lz4, "zstd": .zstd, "none": nil]
        if let choice = try table.choice("catch_up_codec", catchUpChoices) { catchUpCodec = choice }
        catchUpAfter = try table.duration("catch_up_after") ?? catchUpAfter
        recompressAfter = try table.duration("recompress_after") ?? recompressAfter
        compact = try table.bool("compact") ?? compact
        retentionMaxBytes = try table.byteSize("retention_max_bytes", atLeast: 1)
        retentionMaxAge = try table.duration("retention_max_age", atLeast: 1)
    }

    /// The smallest `segment_max_bytes` the configuration accepts: 64 KiB.
    public static let minimumSegmentBytes: Int64 = 64 << 10
}
