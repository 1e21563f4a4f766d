import NIOCore
import Testing
@testable import VigilNATS

/// The protocol on plain bytes: what the server sends, split at every possible point.
@Suite struct NATSProtocolTests {
    func decodeAll(_ text: String, splitAt split: Int? = nil) throws -> [NATSServerOperation] {
        let bytes = Array(text.utf8)
        var buffer = ByteBuffer()
        var operations: [NATSServerOperation] = []
        let chunks = split.map { [Array(bytes[..<$0]), Array(bytes[$0...])] } ?? [bytes]
        for chunk in chunks {
            buffer.writeBytes(chunk)
            while let operation = try NATSOperationDecoder.decode(&buffer, maxPayload: 1 << 20) { operations.append(operation) }
        }
        #expect(buffer.readableBytes == 0)
        return operations
    }

    @Test func messagesWithAndWithoutHeadersSurviveEverySplit() throws {
        let text =
            "INFO {\"server_id\":\"X\",\"version\":\"2.9.10\",\"max_payload\":1048576,\"headers\":true}\r\n"
            + "PING\r\nMSG a.b 7 5\r\nhello\r\nMSG a.b 7 _INBOX.x.1 3\r\n\r\n!\r\n"
            + "HMSG c 9 _INBOX.y 29 32\r\nNATS/1.0\r\nNats-Msg-Id: 42\r\n\r\nabc\r\n"
            + "HMSG _INBOX.z.1 1 32 32\r\nNATS/1.0 408 Request Timeout\r\n\r\n\r\n+OK\r\n-ERR 'Authorization Violation'\r\nPONG\r\n"
        for split in [nil] + Array(1..<text.utf8.count) {
            let operations = try decodeAll(text, splitAt: split)
            #expect(operations.count == 9)
            guard operations.count == 9 else { return }
            if case .info(let info) = operations[0] {
                #expect(info.maxPayload == 1_048_576 && info.headers)
            } else { Issue.record("not INFO") }
            if case .message(let sid, let message) = operations[2] {
                #expect(sid == 7 && message.subject == "a.b" && message.payload == Array("hello".utf8) && message.replyTo == nil)
            } else { Issue.record("not MSG") }
            if case .message(_, let message) = operations[3] {
                #expect(message.replyTo == "_INBOX.x.1" && message.payload == Array("\r\n!".utf8))
            } else { Issue.record("not MSG with reply") }
            if case .message(_, let message) = operations[4] {
                #expect(message.headers?["nats-msg-id"] == "42" && message.payload == Array("abc".utf8) && message.status == nil)
            } else { Issue.record("not HMSG") }
            if case .message(_, let message) = operations[5] {
                #expect(message.status == 408 && message.headers?.statusDescription == "Request Timeout" && message.payload.isEmpty)
            } else { Issue.record("not a status HMSG") }
            if case .error(let text) = operations[7] { #expect(text == "Authorization Violation") } else { Issue.record("not -ERR") }
        }
    }

    @Test func hostileFramesAreProtocolViolationsNotTraps() {
        for text in [
            "MSG a 1 -5\r\n", "MSG a x 5\r\n", "HMSG a 1 10 5\r\nxxxxx\r\n", "MSG a 1 99999999999\r\n", "BOGUS\r\n",
            "INFO {not json\r\n", "MSG a 1 1\r\nxyz", "HMSG a 1 3 3\r\nabc\r\n",
        ] {
            #expect(throws: NATSError.self) { try decodeAll(text) }
        }
        var endless = ByteBuffer(bytes: Array(repeating: UInt8(ascii: "A"), count: NATSOperationDecoder.maxControlLine + 1))
        #expect(throws: NATSError.self) { try NATSOperationDecoder.decode(&endless, maxPayload: 1024) }
    }

    @Test func headersEncodeWithoutInjectionAndParseBack() throws {
        var headers = NATSHeaders()
        headers.append("Nats-Msg-Id", "edge-1")
        headers.append("Vigil-Edge", "web\r\nEvil: 1")
        let encoded = headers.encoded()
        #expect(String(decoding: encoded, as: UTF8.self) == "NATS/1.0\r\nNats-Msg-Id: edge-1\r\nVigil-Edge: web  Evil: 1\r\n\r\n")
        let parsed = try NATSHeaders.parse(encoded)
        #expect(parsed["NATS-MSG-ID"] == "edge-1" && parsed["Evil"] == nil)
    }

    @Test func publishCommandsAreFramedBySize() {
        var buffer = ByteBuffer()
        NATSClientCommand.publish(subject: "a.b", replyTo: "_INBOX.1", headers: nil, payload: Array("hi".utf8), into: &buffer)
        #expect(buffer.readString(length: buffer.readableBytes) == "PUB a.b _INBOX.1 2\r\nhi\r\n")
        var headers = NATSHeaders()
        headers.append("K", "v")
        NATSClientCommand.publish(subject: "a", replyTo: nil, headers: headers, payload: Array("xyz".utf8), into: &buffer)
        #expect(buffer.readString(length: buffer.readableBytes) == "HPUB a 18 21\r\nNATS/1.0\r\nK: v\r\n\r\nxyz\r\n")
        #expect(!NATSClientCommand.isValidSubject("a b") && !NATSClientCommand.isValidSubject("a..b") && NATSClientCommand.isValidSubject("vigil.logs.web-1"))
    }

    @Test func serverURLs() throws {
        #expect(try NATSServerAddress(url: "nats://127.0.0.1:4223") == NATSServerAddress(host: "127.0.0.1", port: 4223))
        #expect(try NATSServerAddress(url: "nats://u:p%40ss@host") == NATSServerAddress(host: "host", user: "u", password: "p@ss"))
        #expect(try NATSServerAddress(url: "nats://s3cret@host:1") == NATSServerAddress(host: "host", port: 1, token: "s3cret"))
        #expect(try NATSServerAddress(url: "nats://[::1]:4222").host == "::1")
        #expect(try NATSServerAddress(url: "localhost") == NATSServerAddress(host: "localhost"))
        #expect(try NATSServerAddress(url: "tls://h:4222").tls && !NATSServerAddress(url: "nats://h:4222").tls)
        for bad in ["http://x", "nats://", "nats://h:0", "nats://h:x", "tcp://h:4222", "nats://[::1"] {
            #expect(throws: NATSError.self) { try NATSServerAddress(url: bad) }
        }
    }

    @Test func ackSubjectsGiveTheDeliveryMetadata() {
        let message = NATSMessage(subject: "vigil.logs.a", replyTo: "$JS.ACK.VIGIL_LOGS.vigil.2.17.5.1765000000000000000.3", payload: [])
        let delivered = JetStreamMessage(message)
        #expect(delivered?.deliveries == 2 && delivered?.streamSequence == 17 && delivered?.pending == 3)
        #expect(delivered?.timestamp == 1_765_000_000_000_000_000)
        #expect(JetStreamMessage(NATSMessage(subject: "x", replyTo: "_INBOX.1", payload: [])) == nil)
    }
}

/// NKeys on plain values: the pair from NATS's documentation, round trips, bad seeds.
@Suite struct NATSNKeyTests {
    @Test func theDocumentedSeedGivesItsPublicKey() throws {
        let key = try NATSNKey(seed: "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY")
        #expect(key.publicKey == "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4")
        #expect(key.seed == "SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY")
        let signature = try key.sign(nonce: "PXoWU7zWAMt75FY")
        #expect(signature.count == 86 && !signature.contains("=") && !signature.contains("+") && !signature.contains("/"))
    }

    @Test func randomKeysRoundTripAndBadSeedsAreRefused() throws {
        let key = NATSNKey.random()
        #expect(try NATSNKey(seed: key.seed).publicKey == key.publicKey && key.publicKey.hasPrefix("U") && key.seed.hasPrefix("SU"))
        var flipped = Array(key.seed)
        flipped[10] = flipped[10] == "A" ? "B" : "A"
        for bad in ["", "SU", String(flipped), "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4", "SAAGNJOZTRPYYXG2NJX3ZNGXYUSDYX2BWO447W3SHG6XQ7U66RWHQ3JUXM"] {
            #expect(throws: NATSError.self) { try NATSNKey(seed: bad) }
        }
    }

    @Test func credentialsFilesAreReadBetweenTheirMarkers() throws {
        let key = NATSNKey.random()
        let text = """
            -----BEGIN NATS USER JWT-----
            eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln
            ------END NATS USER JWT------

            ************************* IMPORTANT *************************
            NKEY Seed printed below can be used to sign and prove identity.

            -----BEGIN USER NKEY SEED-----
            \(key.seed)
            ------END USER NKEY SEED------
            """
        let credentials = try NATSCredentials(text: text)
        #expect(credentials.jwt == "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.e30.c2ln" && credentials.key.publicKey == key.publicKey)
        #expect(throws: NATSError.self) { try NATSCredentials(text: "-----BEGIN USER NKEY SEED-----\n\(key.seed)\n") }
    }
}
