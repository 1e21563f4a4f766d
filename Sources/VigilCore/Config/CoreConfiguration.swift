/// The core of the configuration: `data_dir` and `[store]`, which everything that touches the
/// store needs (vigild, and `vigil`'s store commands). The whole configuration vigild reads is
/// `DaemonConfiguration` (VigilSettings), which holds this as `core`.
///
/// Each TOML table maps to a section type with an `init(table:)` (see `ConfigDecodable`); a key no
/// section reads is an error, so typos do not pass silently.
///
///     data_dir = "/var/lib/vigil"
///
///     [store]
///     codec = "zstd"            # or "lz4"
///     zstd_level = 3            # 1–19, live blocks
///     zstd_bulk_level = 7       # 1–19, vigil import and background rewrites
///     segment_max_bytes = "128MiB"
///     segment_max_age = "1h"
///     fsync = "batch"           # "batch", "interval" or "never"
///     fsync_interval = "1s"     # used when fsync = "interval"
///     commit_delay = "50ms"     # how long UDP records may wait to share a group commit
///     catch_up_codec = "lz4"    # codec while the writer is behind ("none": always codec)
///     catch_up_after = "10ms"   # behind: records waited this much longer than commit_delay
///     recompress_after = "30s"  # rewrite catch-up blocks once the writer kept up this long
///     retention_max_bytes = "50GiB"
///     retention_max_age = "30d"
public struct CoreConfiguration: Sendable, Equatable, ConfigDecodable {
    /// The directory the daemon reads its configuration from by default.
    public static let defaultDirectory = "/etc/vigil"

    /// Where segments and state files live (`data_dir`); `/var/lib/vigil` by default.
    public var dataDir: String = "/var/lib/vigil"
    /// The `[store]` table.
    public var store = StoreConfiguration()

    /// The defaults.
    public init() {}

    /// Reads a loaded document, reporting any key nothing reads.
    public init(document: ConfigurationDocument) throws(ConfigError) {
        let root = ConfigTable(document: document)
        try self.init(table: root)
        try root.finish()
    }

    /// Reads the root table. Unknown keys are left for the caller's `finish()`.
    public init(table: ConfigTable) throws(ConfigError) {
        if let dataDir = try table.string("data_dir") {
            guard !dataDir.isEmpty else { throw table.invalid("data_dir", "expected a directory path, got \"\"") }
            self.dataDir = dataDir
        }
        store = try table.decode(StoreConfiguration.self, "store") ?? store
    }

    /// Loads and reads `DIR/vigil.toml` and `DIR/conf.d/*.toml` (see `ConfigurationLoader`).
    public static func load(directory: String = defaultDirectory) throws(ConfigError) -> CoreConfiguration {
        try CoreConfiguration(document: ConfigurationLoader.load(directory: directory))
    }

    /// Loads and reads the given files, merged in order.
    public static func load(files: [String]) throws(ConfigError) -> CoreConfiguration {
        try CoreConfiguration(document: ConfigurationLoader.load(files: files))
    }
}
