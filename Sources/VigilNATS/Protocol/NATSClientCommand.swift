import NIOCore

/// Writes the client's operations (`CONNECT`, `PUB`, `HPUB`, `SUB`, `UNSUB`, `PING`, `PONG`).
enum NATSClientCommand {
    static func connect(_ json: String, into buffer: inout ByteBuffer) {
        buffer.writeString("CONNECT \(json)\r\n")
    }

    static func publish(subject: String, replyTo: String?, headers: NATSHeaders?, payload: [UInt8], into buffer: inout ByteBuffer) {
        let reply = replyTo.map { " " + $0 } ?? ""
        if let headers, !headers.isEmpty {
            let block = headers.encoded()
            buffer.writeString("HPUB \(subject)\(reply) \(block.count) \(block.count + payload.count)\r\n")
            buffer.writeBytes(block)
        } else {
            buffer.writeString("PUB \(subject)\(reply) \(payload.count)\r\n")
        }
        buffer.writeBytes(payload)
        buffer.writeString("\r\n")
    }

    static func subscribe(subject: String, sid: Int, into buffer: inout ByteBuffer) {
        buffer.writeString("SUB \(subject) \(sid)\r\n")
    }

    static func unsubscribe(sid: Int, into buffer: inout ByteBuffer) {
        buffer.writeString("UNSUB \(sid)\r\n")
    }

    static func ping(into buffer: inout ByteBuffer) { buffer.writeString("PING\r\n") }
    static func pong(into buffer: inout ByteBuffer) { buffer.writeString("PONG\r\n") }

    /// Whether `subject` can be published to: tokens separated by dots, none empty, no whitespace.
    static func isValidSubject(_ subject: String) -> Bool {
        !subject.isEmpty && !subject.hasPrefix(".") && !subject.hasSuffix(".") && !subject.contains("..")
            && !subject.contains(where: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
    }
}
