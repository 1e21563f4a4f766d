import Testing
@testable import VigilIngest

@Suite struct ListenAddressTests {
    @Test func parsesHostsAndPorts() {
        #expect(ListenAddress("127.0.0.1:5514") == ListenAddress(host: "127.0.0.1", port: 5514))
        #expect(ListenAddress("[::1]:514") == ListenAddress(host: "::1", port: 514))
        #expect(ListenAddress("localhost:0") == ListenAddress(host: "localhost", port: 0))
        #expect(ListenAddress("[::1]:514")?.description == "[::1]:514")
        for bad in ["5514", "host:", ":514", "host:70000", "::1:514", "[::1]514", "host:port"] {
            #expect(ListenAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func kernelDropsAreSummedForTheListenPorts() {
        let table = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
             1: 0100007F:158A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1234 2 0000000000000000 17
             2: 0100007F:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 999 2 0000000000000000 5
            """
        #expect(UDPSocketDrops.sum(table: table, ports: [5514]) == 17)
        #expect(UDPSocketDrops.sum(table: table, ports: [5514, 53]) == 22)
        #expect(UDPSocketDrops.sum(table: table, ports: [1]) == 0)
    }
}
