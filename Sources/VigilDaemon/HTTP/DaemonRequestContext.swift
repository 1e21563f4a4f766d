import Hummingbird
import NIOCore
import VigilIngest

/// The request context of vigild's HTTP listeners: Hummingbird's core storage plus the peer's
/// address, which decides whether an anonymous API read is allowed (loopback only) and is a posted
/// record's `source_ip`.
struct DaemonRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client's address.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address as text ("" when unknown); an IPv4 address mapped into IPv6
    /// (`::ffff:192.0.2.7`) is given in its IPv4 form.
    var peerAddress: String {
        guard let text = remoteAddress?.ipAddress else { return "" }
        return text.hasPrefix("::ffff:") && text.contains(".") ? String(text.dropFirst(7)) : text
    }

    /// Whether the client connected from this machine (127.0.0.0/8 or ::1, or a Unix socket).
    var isLoopback: Bool {
        if case .unixDomainSocket? = remoteAddress { return true }
        return AddressRange.isLoopback(peerAddress)
    }
}
