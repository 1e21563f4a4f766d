import Testing
import VigilCore
import VigilIngest

@Suite struct HTTPRecordProvenanceTests {
    @Test func addressRangesMatchV4V6AndMappedAddresses() {
        let private10 = AddressRange("10.0.0.0/8")!
        #expect(private10.contains("10.1.2.3"))
        #expect(private10.contains("::ffff:10.9.9.9"))
        #expect(!private10.contains("11.0.0.1"))
        #expect(AddressRange("192.0.2.7")!.contains("192.0.2.7"))
        #expect(!AddressRange("192.0.2.7")!.contains("192.0.2.8"))
        #expect(AddressRange("2001:db8::/32")!.contains("2001:db8:1::5"))
        #expect(!AddressRange("2001:db8::/32")!.contains("2001:db9::1"))
        #expect(AddressRange("0.0.0.0/0")!.contains("203.0.113.1"))
        for bad in ["", "10.0.0.0/33", "fe80::/129", "host.example", "10.0.0/8", "1.2.3.4/x"] {
            #expect(AddressRange(bad) == nil, "\(bad)")
        }
        #expect(AddressRange.isLoopback("127.0.0.1") && AddressRange.isLoopback("::1") && AddressRange.isLoopback("127.8.0.1"))
        #expect(!AddressRange.isLoopback("192.0.2.1"))
    }

    @Test func forwardedForCountsOnlyFromTrustedProxies() {
        let provenance = HTTPRecordProvenance(trustedProxies: [AddressRange("10.0.0.0/8")!], localHostName: "here")
        // Not a proxy: its header is ignored.
        #expect(provenance.client(peer: "198.51.100.9", forwardedFor: "203.0.113.7") == "198.51.100.9")
        // A proxy: the right-most address that is not a trusted proxy.
        #expect(provenance.client(peer: "10.0.0.2", forwardedFor: "203.0.113.7") == "203.0.113.7")
        #expect(provenance.client(peer: "10.0.0.2", forwardedFor: "1.2.3.4, 203.0.113.7, 10.0.0.5") == "203.0.113.7")
        #expect(provenance.client(peer: "10.0.0.2", forwardedFor: "10.0.0.9") == "10.0.0.9")
        #expect(provenance.client(peer: "10.0.0.2", forwardedFor: "garbage, 10.0.0.9") == "10.0.0.9")
        #expect(provenance.client(peer: "10.0.0.2", forwardedFor: nil) == "10.0.0.2")
    }

    @Test func recordsGetTheirSourceAndDefaultsOnlyWhereTheyHaveNone() {
        let provenance = HTTPRecordProvenance(trustedProxies: [], localHostName: "here")
        var records = [
            LogRecord(time: 0, host: "web-1", service: "api", message: "own", fields: ["source_ip": "spoofed"]),
            LogRecord(time: 0, message: "bare"),
        ]
        provenance.apply(to: &records, peer: "127.0.0.1", forwardedFor: nil, defaultHost: nil, defaultService: nil)
        #expect(records.map(\.host) == ["web-1", "here"])
        #expect(records.map(\.service) == ["api", ""])
        #expect(records.map { $0.fields["source_ip"] } == ["127.0.0.1", "127.0.0.1"])
        var remote = [LogRecord(time: 0, message: "bare")]
        provenance.apply(to: &remote, peer: "192.0.2.4", forwardedFor: nil, defaultHost: nil, defaultService: "cron")
        #expect(remote[0].host == "192.0.2.4" && remote[0].service == "cron")
        var named = [LogRecord(time: 0, message: "bare")]
        provenance.apply(to: &named, peer: "192.0.2.4", forwardedFor: nil, defaultHost: "db-1", defaultService: nil)
        #expect(named[0].host == "db-1")
    }
}
