import Glibc
import VigilCore

/// How every HTTP listener of vigild treats its connections (`[inputs.http]` and `[api]`), so a
/// client that connects and sends nothing, sends a header or a body a byte at a time, or opens
/// thousands of sockets, cannot take the listener or the daemon's descriptors.
///
///     header_timeout = "10s"   # a new connection's first request header must be complete by then
///     idle_timeout = "60s"     # between keep-alive requests
///     body_timeout = "30s"     # a request body that stops arriving
///     max_connections = 0      # 0: from the descriptor limit (see `defaultMaximumConnections`)
///
/// At the cap, a new connection evicts the oldest one that has sent no request yet, else the oldest
/// idle keep-alive one (as nginx reuses idle connections); only when every connection is busy with a
/// request is the new one refused.
public struct HTTPConnectionLimits: Sendable, Equatable {
    /// `header_timeout`, ns.
    public var headerTimeout: Int64 = 10_000_000_000
    /// `idle_timeout`, ns.
    public var idleTimeout: Int64 = 60_000_000_000
    /// `body_timeout`, ns.
    public var bodyTimeout: Int64 = 30_000_000_000
    /// `max_connections`; 0 means `defaultMaximumConnections()`.
    public var maxConnections = 0

    /// The defaults.
    public init() {}

    /// Reads the four keys from a listener's table.
    public init(table: ConfigTable) throws(ConfigError) {
        headerTimeout = try table.duration("header_timeout", atLeast: 100_000_000) ?? headerTimeout
        idleTimeout = try table.duration("idle_timeout", atLeast: 100_000_000) ?? idleTimeout
        bodyTimeout = try table.duration("body_timeout", atLeast: 100_000_000) ?? bodyTimeout
        maxConnections = try table.int("max_connections", in: 0...1_000_000) ?? maxConnections
    }

    /// Descriptors kept for everything but HTTP clients: segments, the journal, SQLite, outbound
    /// webhooks, syslog over TCP.
    public static let reservedDescriptors = 512

    /// The connections one HTTP listener takes at most: what the process's descriptor limit leaves
    /// after the reserve, shared by the two HTTP listeners, and at least 16:
    /// `max(16, (RLIMIT_NOFILE - 512) / 2)`.
    public static func defaultMaximumConnections(descriptorLimit: Int = currentDescriptorLimit()) -> Int {
        max(16, (descriptorLimit - reservedDescriptors) / 2)
    }

    /// The process's soft `RLIMIT_NOFILE`.
    public static func currentDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return Int(min(limit.rlim_cur, 1 << 20))
    }

    /// `maxConnections`, or the default from the descriptor limit when it is 0.
    public var effectiveMaximumConnections: Int {
        maxConnections > 0 ? maxConnections : Self.defaultMaximumConnections()
    }
}
