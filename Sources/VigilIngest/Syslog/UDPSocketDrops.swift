import Foundation

/// Reads the kernel's per-socket UDP drop counters (the `drops` column of `/proc/net/udp` and
/// `/proc/net/udp6`): datagrams the kernel discarded because the socket's receive buffer was full,
/// which the process itself never sees.
public enum UDPSocketDrops {
    /// The sum of the drop counters of the UDP sockets bound to any of `ports`.
    public static func total(ports: Set<Int>) -> Int {
        var total = 0
        for table in ["/proc/net/udp", "/proc/net/udp6"] {
            guard let text = try? String(contentsOfFile: table, encoding: .utf8) else { continue }
            total += sum(table: text, ports: ports)
        }
        return total
    }

    /// Sums the `drops` column (the last) of the rows of one table whose local port is in `ports`.
    static func sum(table: String, ports: Set<Int>) -> Int {
        var total = 0
        for line in table.split(separator: "\n").dropFirst() {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ref pointer drops
            guard columns.count >= 13, let colon = columns[1].lastIndex(of: ":"),
                let port = Int(columns[1][columns[1].index(after: colon)...], radix: 16), ports.contains(port),
                let drops = Int(columns[columns.count - 1])
            else { continue }
            total += drops
        }
        return total
    }
}
