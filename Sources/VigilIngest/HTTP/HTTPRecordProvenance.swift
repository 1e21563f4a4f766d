import Foundation
import VigilCore

/// Where records posted over HTTP came from: the client's address as the field `source_ip`, and
/// defaults for records that do not say their host or service.
///
/// The client is the peer of the connection, or, when the peer is one of `trusted_proxies`, the
/// right-most address of `X-Forwarded-For` that is not itself a trusted proxy (a client can put
/// anything on the left). A record without a host gets `?host=` if given, else the client's address,
/// or this machine's name when the client is on this machine; one without a service gets
/// `?service=`. `source_ip` is always the server's own finding, whatever the body said.
public struct HTTPRecordProvenance: Sendable {
    /// Proxies whose `X-Forwarded-For` is believed.
    public let trustedProxies: [AddressRange]
    /// This machine's name, the host of records posted from loopback.
    public let localHostName: String

    /// Provenance with the given trusted proxies and this machine's host name.
    public init(trustedProxies: [AddressRange], localHostName: String = LocalHostName.current()) {
        self.trustedProxies = trustedProxies
        self.localHostName = localHostName
    }

    /// The client's address: `peer`, or what `forwardedFor` says when `peer` is a trusted proxy.
    public func client(peer: String, forwardedFor: String?) -> String {
        guard let forwardedFor, isTrusted(peer) else { return peer }
        var client = peer
        for hop in forwardedFor.split(separator: ",").reversed() {
            let address = hop.trimmingCharacters(in: .whitespaces)
            guard AddressRange.bytes(address) != nil else { break }
            client = address
            if !isTrusted(address) { break }
        }
        return client
    }

    /// Stamps `records` with `source_ip` and the defaults.
    public func apply(
        to records: inout [LogRecord], peer: String, forwardedFor: String?, defaultHost: String?, defaultService: String?
    ) {
        let client = client(peer: peer, forwardedFor: forwardedFor)
        let host = defaultHost ?? (AddressRange.isLoopback(client) ? localHostName : client)
        for index in records.indices {
            records[index].fields["source_ip"] = client
            if records[index].host.isEmpty { records[index].host = host }
            if records[index].service.isEmpty, let defaultService { records[index].service = defaultService }
        }
    }

    private func isTrusted(_ address: String) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }
}
