import Foundation
import NIOSSL
import Testing
import VigilTestSupport
@testable import VigilNATS

/// The client against a real `nats-server` with JetStream, started by each test on loopback.
@Suite struct NATSServerTests {
    func client(_ server: NATSServerProcess, url: String? = nil) throws -> NATSClient {
        var options = NATSOptions(servers: [try NATSServerAddress(url: url ?? server.url)])
        options.connectTimeout = .seconds(2)
        options.reconnectWait = .milliseconds(50)
        options.maxReconnectWait = .milliseconds(200)
        return NATSClient(options: options)
    }

    /// A fresh nats-server and a client of it for `body`; the client is closed and the server
    /// stopped afterwards.
    func withServer(_ body: (NATSServerProcess, NATSClient) async throws -> Void) async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let server = try NATSServerProcess(scratch: scratch)
        let client = try client(server)
        do {
            try await body(server, client)
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }

    @Test func publishedMessagesReachASubscriberWithTheirHeaders() async throws {
        try await withServer { server, client in
            let connection = try await client.connection()
            #expect(connection.info.headers && connection.info.maxPayload > 0)
            let messages = try await connection.subscribe("test.>")
            var headers = NATSHeaders()
            headers.append("Trace", "1")
            for index in 0..<100 { try await client.publish("test.\(index % 3)", payload: Array("m\(index)".utf8), headers: index == 0 ? headers : nil) }
            var received: [NATSMessage] = []
            for try await message in messages {
                received.append(message)
                if received.count == 100 { break }
            }
            #expect(received.map { String(decoding: $0.payload, as: UTF8.self) } == (0..<100).map { "m\($0)" })
            #expect(received[0].headers?["trace"] == "1" && received[1].headers == nil && received[4].subject == "test.1")
        }
    }

    @Test func requestsGetAnswersTimeoutsAndNoResponders() async throws {
        try await withServer { server, client in
            let connection = try await client.connection()
            let service = try await connection.subscribe("echo")
            let responder = Task {
                for try await message in service {
                    if let reply = message.replyTo { try await connection.publish(reply, payload: message.payload.reversed()) }
                }
            }
            defer { responder.cancel() }
            let answer = try await client.request("echo", payload: Array("abc".utf8))
            #expect(answer.payload == Array("cba".utf8))
            await #expect(throws: NATSError.noResponders(subject: "nobody.home")) {
                try await client.request("nobody.home", payload: [])
            }
            let silent = try await connection.subscribe("silent")
            _ = silent
            await #expect(throws: NATSError.timeout(operation: "request on silent")) {
                try await client.request("silent", payload: [], timeout: .milliseconds(200))
            }
            let tooBig = [UInt8](repeating: 0, count: connection.info.maxPayload + 1)
            await #expect(throws: NATSError.payloadTooLarge(size: tooBig.count, maximum: connection.info.maxPayload)) {
                try await client.publish("echo", payload: tooBig)
            }
        }
    }

    @Test func wrongCredentialsAreTheServersError() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let server = try NATSServerProcess(scratch: scratch, arguments: ["--user", "edge", "--pass", "right"])
        let wrong = try client(server, url: "nats://edge:wrong@127.0.0.1:\(server.port)")
        await #expect(throws: NATSError.server("Authorization Violation")) { try await wrong.connection() }
        let right = try client(server, url: "nats://edge:right@127.0.0.1:\(server.port)")
        _ = try await right.connection()
        await right.close()
        await wrong.close()
    }

    @Test func anNKeyUserSignsTheNonce() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let key = NATSNKey.random()
        let config = scratch.file("nats.conf", "authorization { users = [ { nkey: \"\(key.publicKey)\" } ] }\n")
        let server = try NATSServerProcess(scratch: scratch, arguments: ["-c", config])
        var options = NATSOptions(servers: [try NATSServerAddress(url: server.url)])
        options.nkey = key
        let client = NATSClient(options: options)
        _ = try await client.connection().ping()
        await client.close()
        var stranger = NATSOptions(servers: [try NATSServerAddress(url: server.url)])
        stranger.nkey = NATSNKey.random()
        let refused = NATSClient(options: stranger)
        await #expect(throws: NATSError.server("Authorization Violation")) { try await refused.connection() }
        await refused.close()
    }

    @Test func aServerThatRequiresTLSIsReachedWithTrustedRootsOnly() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let files = try await TestCertificates.make(in: scratch)
        let server = try NATSServerProcess(scratch: scratch, arguments: ["--tls", "--tlscert", files.certificate, "--tlskey", files.key])
        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.ca))
        for url in [server.url, "tls://127.0.0.1:\(server.port)", "nats://localhost:\(server.port)"] {
            var options = NATSOptions(servers: [try NATSServerAddress(url: url)])
            options.tls = trusting
            let client = NATSClient(options: options)
            let connection = try await client.connection()
            #expect(connection.info.tlsRequired)
            let messages = try await connection.subscribe("secure")
            try await client.publish("secure", payload: Array("over TLS".utf8))
            for try await message in messages {
                #expect(message.payload == Array("over TLS".utf8))
                break
            }
            await client.close()
        }
        // The system's roots do not know this CA: the handshake fails, and says it is TLS.
        let stranger = NATSClient(options: NATSOptions(servers: [try NATSServerAddress(url: server.url)]))
        do {
            _ = try await stranger.connection()
            Issue.record("connected without trusting the CA")
        } catch {
            guard case .tls = error else {
                Issue.record("expected a TLS error, got \(error)")
                return
            }
        }
        await stranger.close()
    }

    @Test func theClientReconnectsWhenTheServerComesBack() async throws {
        try await withServer { server, client in
            _ = try await client.connection()
            server.stop()
            await #expect(throws: NATSError.self) { try await client.connection().ping() }
            await #expect(throws: NATSError.self) { try await client.connection() }
            try server.start()
            let back = try await eventually(timeout: .seconds(10)) { (try? await client.connection().ping()) != nil }
            #expect(back)
        }
    }

    @Test func jetStreamStoresOnceAndDeliversToADurablePullConsumer() async throws {
        try await withServer { server, client in
            let jetStream = JetStream(client: client)
            var config = JetStreamStreamConfig(name: "LOGS", subjects: ["logs.>"])
            config.maxBytes = 1 << 26
            #expect(try await jetStream.ensureStream(config))
            #expect(try await !jetStream.ensureStream(config))
            var first: JetStreamPubAck?
            for index in 0..<10 {
                var headers = NATSHeaders()
                headers.append("Nats-Msg-Id", "edge-\(index)")
                let ack = try await jetStream.publish("logs.web", payload: Array("r\(index)".utf8), headers: headers)
                #expect(ack.stream == "LOGS" && ack.sequence == UInt64(index + 1) && !ack.duplicate)
                if index == 0 { first = ack }
            }
            var again = NATSHeaders()
            again.append("Nats-Msg-Id", "edge-0")
            let duplicate = try await jetStream.publish("logs.web", payload: Array("r0".utf8), headers: again)
            #expect(duplicate.duplicate && duplicate.sequence == first?.sequence)
            await #expect(throws: NATSError.noResponders(subject: "elsewhere")) {
                try await jetStream.publish("elsewhere", payload: [])
            }

            // Many in flight, sent in one write: stored in the order given.
            let batch = (10..<110).map { index in
                var headers = NATSHeaders()
                headers.append("Nats-Msg-Id", "edge-\(index)")
                return NATSConnection.Request(subject: "logs.web", payload: Array("r\(index)".utf8), headers: headers)
            }
            let acks = try await jetStream.publishAll(batch, on: try await client.connection())
            #expect(acks.map(\.sequence) == Array(11...110) && acks.allSatisfy { !$0.duplicate })
            try await jetStream.deleteStream("LOGS")
            #expect(try await jetStream.ensureStream(config))
            for index in 0..<10 {
                var headers = NATSHeaders()
                headers.append("Nats-Msg-Id", "edge-\(index)")
                _ = try await jetStream.publish("logs.web", payload: Array("r\(index)".utf8), headers: headers)
            }

            var consumer = JetStreamConsumerConfig(durableName: "central")
            // Long enough that an ack sent under a loaded test run still beats it (at 1 s, message 4
            // was once delivered again before its ack arrived).
            consumer.ackWait = 3_000_000_000
            try await jetStream.ensureConsumer(stream: "LOGS", consumer)
            try await jetStream.ensureConsumer(stream: "LOGS", consumer)
            let connection = try await client.connection()
            var seen: [String] = []
            for try await message in jetStream.fetch(stream: "LOGS", consumer: "central", batch: 4, expires: .seconds(2), on: connection) {
                seen.append(String(decoding: message.message.payload, as: UTF8.self))
                #expect(message.deliveries == 1)
                try await jetStream.ack(message, on: connection)
            }
            #expect(seen == ["r0", "r1", "r2", "r3"])
            // Not acknowledged: delivered again after ack_wait.
            var unacked: [UInt64] = []
            for try await message in jetStream.fetch(stream: "LOGS", consumer: "central", batch: 10, expires: .milliseconds(500), on: connection) {
                unacked.append(message.streamSequence)
            }
            #expect(unacked == Array(5...10))
            try await Task.sleep(for: .milliseconds(3500))
            var redelivered: [Int] = []
            for try await message in jetStream.fetch(stream: "LOGS", consumer: "central", batch: 10, expires: .milliseconds(500), on: connection) {
                redelivered.append(message.deliveries)
                try await jetStream.ack(message, on: connection)
            }
            #expect(redelivered == Array(repeating: 2, count: 6))
            // Nothing for it: the pull ends at its expiry with no message. (A consumer of new messages
            // only, so that a redelivery of the above under a slow machine cannot interfere.)
            var idle = JetStreamConsumerConfig(durableName: "idle")
            idle.deliverPolicy = "new"
            try await jetStream.ensureConsumer(stream: "LOGS", idle)
            let started = ContinuousClock.now
            var empty = 0
            for try await _ in jetStream.fetch(stream: "LOGS", consumer: "idle", batch: 10, expires: .milliseconds(300), on: connection) { empty += 1 }
            #expect(empty == 0 && ContinuousClock.now - started < .seconds(2))
        }
    }
}
