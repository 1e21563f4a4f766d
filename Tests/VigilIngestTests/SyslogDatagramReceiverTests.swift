import Foundation
import Glibc
import Logging
import MetricsTestKit
import Testing
import VigilCore
import VigilFormats
import VigilStore
import VigilTestSupport
@testable import VigilIngest

/// The UDP input's receiving side on real sockets: binding, batched reads (`recvmmsg`), the
/// sender's address as text, and the receiving thread feeding a real store.
@Suite struct SyslogDatagramReceiverTests {
    static func loopback() throws -> UDPSocket {
        try UDPSocket.bind(to: InternetSocketAddress(host: "127.0.0.1", port: 0))
    }

    @Test func aBatchReadsEveryWaitingDatagramAndFlagsOnesLongerThanTheirSlot() throws {
        let socket = try Self.loopback()
        defer { socket.close() }
        let port = socket.localAddress.port
        #expect(port > 0)
        let batch = DatagramBatch(capacity: 4, slotBytes: 64)
        #expect(try batch.read(from: socket.descriptor) == 0)  // nothing waiting: no wait either
        Loopback.send([Array("one".utf8), [], Array(repeating: UInt8(ascii: "x"), count: 100)], to: port)
        #expect(try batch.read(from: socket.descriptor) == 3)
        #expect(Array(batch.bytes(0)) == Array("one".utf8))
        #expect(batch.bytes(1).isEmpty)
        #expect(batch.bytes(2).count == 64)
        #expect([0, 1, 2].map(batch.isTruncated) == [false, false, true])
        var senders = SenderAddressText()
        #expect(senders.text(for: batch.sender(0)) == "127.0.0.1")
        #expect(try batch.read(from: socket.descriptor) == 0)
    }

    @Test func anIPv6SocketReadsDatagramsAndNamesTheirSender() async throws {
        let socket = try UDPSocket.bind(to: InternetSocketAddress(host: "::1", port: 0))
        defer { socket.close() }
        let port = socket.localAddress.port
        let client = Glibc.socket(AF_INET6, CInt(SOCK_DGRAM.rawValue), 0)
        defer { close(client) }
        let sent = try InternetSocketAddress(host: "::1", port: port).withSockAddr { address, length in
            Array("<13>over IPv6".utf8).withUnsafeBytes { sendto(client, $0.baseAddress, $0.count, 0, address, socklen_t(length)) }
        }
        #expect(sent == 13)
        let batch = DatagramBatch(capacity: 4, slotBytes: 64)
        var count = 0
        for _ in 0..<100 where count == 0 {
            count = try batch.read(from: socket.descriptor)
            if count == 0 { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(count == 1)
        #expect(Array(batch.bytes(0)) == Array("<13>over IPv6".utf8))
        var senders = SenderAddressText()
        #expect(senders.text(for: batch.sender(0)) == "::1")
    }

    @Test func aPortAnotherSocketHoldsIsAnErrorWithTheReason() throws {
        let first = try Self.loopback()
        defer { first.close() }
        let port = first.localAddress.port
        #expect {
            try UDPSocket.bind(to: InternetSocketAddress(host: "127.0.0.1", port: port))
        } throws: { error in
            "\(error)".hasPrefix("bind: Address already in use (errno \(EADDRINUSE))")
        }
    }

    @Test func theSenderTextIsRenderedWhenTheAddressChangesWhateverThePort() throws {
        func storage(_ address: InternetSocketAddress) -> sockaddr_storage {
            var storage = sockaddr_storage()
            address.withSockAddr { pointer, length in
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: Int(length))) }
            }
            return storage
        }
        var senders = SenderAddressText()
        let addresses = [
            try InternetSocketAddress(host: "192.0.2.7", port: 514),
            try InternetSocketAddress(host: "192.0.2.7", port: 40_000),
            try InternetSocketAddress(host: "192.0.2.8", port: 514),
            try InternetSocketAddress(host: "2001:db8::1", port: 514),
            try InternetSocketAddress(host: "::ffff:192.0.2.7", port: 514),
        ]
        let texts = addresses.map { address in
            var sender = storage(address)
            return senders.text(for: &sender)
        }
        #expect(texts == ["192.0.2.7", "192.0.2.7", "192.0.2.8", "2001:db8::1", "::ffff:192.0.2.7"])
    }

    @Test func theWaitAfterAnEmptiedSocketIsBoundedByTheReceiveBuffer() {
        // The kernel's default buffer (212,992 bytes, accounted twice): too small to wait at all.
        #expect(SyslogDatagramReceiver.coalescingDelay(bufferBytes: 425_984) == nil)
        // An eighth of the buffer at 1 byte per nanosecond.
        #expect(SyslogDatagramReceiver.coalescingDelay(bufferBytes: 8 << 20) == .nanoseconds(1 << 20))
        // vigild's default 8 MiB (16 MiB accounted) and anything larger: the 2 ms cap.
        #expect(SyslogDatagramReceiver.coalescingDelay(bufferBytes: 16 << 20) == .milliseconds(2))
        #expect(SyslogDatagramReceiver.coalescingDelay(bufferBytes: 64 << 20) == .milliseconds(2))
    }

    /// With the kernel's default receive buffer (on a stock kernel 212,992 bytes: no waiting after a
    /// wake-up) and with a large one (the receiver waits after each wake-up that emptied the socket).
    @Test(arguments: [nil, 16 << 20])
    func theReceiverStoresEachMessageWithItsSenderPausingWhileTheQueueIsFull(receiveBuffer: Int?) async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let store = try StoreWriter(directory: scratch.path + "/data", configuration: StoreConfiguration())
        let metrics = TestMetrics()
        let pipeline = IngestPipeline(store: store, capacity: 10_000, metricsFactory: metrics)
        let socket = try Self.loopback()
        let port = socket.localAddress.port
        if let receiveBuffer {
            // Granted in full as root (SO_RCVBUFFORCE); otherwise capped at net.core.rmem_max,
            // which on a stock Debian (212,992 bytes) is too small to wait: then this case runs
            // like the other one.
            let granted = socket.setReceiveBuffer(Int64(receiveBuffer))
            if granted >= 2 * receiveBuffer {
                #expect(SyslogDatagramReceiver.coalescingDelay(bufferBytes: granted) == .milliseconds(2))
            }
        }
        // A one-message queue: every burst fills it, so reading pauses after each until the queue
        // has parsed it and says so.
        let receiver = try SyslogDatagramReceiver(
            socket: socket, parser: SyslogParser(), pipeline: pipeline, logger: Logger(label: "test"), parsingQueueLimit: 1)
        receiver.start()
        for index in 0..<20 {
            Loopback.send([Array("<13>1 2026-11-23T10:00:\(String(format: "%02d", index))Z web app - - - message \(index)".utf8)], to: port)
            if index.isMultiple(of: 5) { try await Task.sleep(for: .milliseconds(5)) }
        }
        Loopback.send([Array("<13>first of two\n<13>second of two\n".utf8)], to: port)
        // Generous: the whole suite runs in parallel on two CPUs.
        let deadline = ContinuousClock.now + .seconds(30)
        func received() -> Int64 {
            (try? metrics.expectCounter("vigil_input_records_total", [("input", "syslog_udp")]).totalValue) ?? 0
        }
        while received() < 22, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        await receiver.stop()
        await pipeline.drain()
        try await store.close()
        var records: [LogRecord] = []
        try StoreReader(directory: scratch.path + "/data").read(RecordFilter()) { records.append($0); return true }
        #expect(records.filter { $0.message.hasPrefix("message") }.map(\.message) == (0..<20).map { "message \($0)" })
        #expect(Set(records.map(\.message)).isSuperset(of: ["first of two", "second of two"]))
        #expect(records.count == 22)
        #expect(records.allSatisfy { $0.fields["source_ip"] == "127.0.0.1" })
        // The socket is closed: its port can be bound again.
        let again = try UDPSocket.bind(to: InternetSocketAddress(host: "127.0.0.1", port: port))
        again.close()
    }
}
