import Hummingbird
import NIOCore

/// The request context of the management API: Hummingbird's core storage plus the peer's address,
/// which decides whether an anonymous read is allowed (loopback only).
struct ManagementRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's address.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Whether the client connected from this machine (127.0.0.0/8 or ::1).
    var isLoopback: Bool {
        switch remoteAddress {
        case .v4(let address)?:
            return address.address.sin_addr.s_addr.bigEndian >> 24 == 127
        case .v6?:
            return remoteAddress?.ipAddress == "::1" || remoteAddress?.ipAddress?.hasPrefix("::ffff:127.") == true
        case .unixDomainSocket?:
            return true
        default:
            return false
        }
    }
}
