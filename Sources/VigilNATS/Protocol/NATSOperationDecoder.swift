import Foundation
import NIOCore

/// Splits the server's byte stream into operations: a control line ending in CRLF, followed for
/// `MSG` and `HMSG` by a payload of the announced size and CRLF. A control line longer than
/// `maxControlLine` or a payload larger than `maxPayload` (with slack for headers) is a protocol
/// violation, so a broken or hostile server cannot make the client buffer without bound.
struct NATSOperationDecoder: ByteToMessageDecoder {
    typealias InboundOut = NATSServerOperation

    static let maxControlLine = 64 * 1024
    var maxPayload = 64 << 20

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let operation = try Self.decode(&buffer, maxPayload: maxPayload) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(operation))
        return .continue
    }

    /// Decodes one operation from the front of `buffer`, consuming it; nil (and nothing consumed)
    /// when the buffer does not hold a whole one yet.
    static func decode(_ buffer: inout ByteBuffer, maxPayload: Int) throws(NATSError) -> NATSServerOperation? {
        let view = buffer.readableBytesView
        guard let lineEnd = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > maxControlLine { throw .protocolViolation("control line longer than \(maxControlLine) bytes") }
            return nil
        }
        var lineBytes = view[view.startIndex..<lineEnd]
        if lineBytes.last == UInt8(ascii: "\r") { lineBytes = lineBytes.dropLast() }
        let line = String(decoding: lineBytes, as: UTF8.self)
        let lineLength = lineEnd - view.startIndex + 1
        let verbEnd = line.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? line.endIndex
        let verb = line[..<verbEnd].uppercased()
        let rest = line[verbEnd...].drop { $0 == " " || $0 == "\t" }
        switch verb {
        case "PING":
            buffer.moveReaderIndex(forwardBy: lineLength)
            return .ping
        case "PONG":
            buffer.moveReaderIndex(forwardBy: lineLength)
            return .pong
        case "+OK":
            buffer.moveReaderIndex(forwardBy: lineLength)
            return .ok
        case "-ERR":
            buffer.moveReaderIndex(forwardBy: lineLength)
            let text = rest.trimmingCharacters(in: .whitespaces)
            return .error(text.hasPrefix("'") && text.hasSuffix("'") && text.count >= 2 ? String(text.dropFirst().dropLast()) : text)
        case "INFO":
            buffer.moveReaderIndex(forwardBy: lineLength)
            do {
                return .info(try JSONDecoder().decode(NATSServerInfo.self, from: Data(rest.utf8)))
            } catch {
                throw .protocolViolation("INFO is not valid JSON")
            }
        case "MSG", "HMSG":
            let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            let withHeaders = verb == "HMSG"
            // MSG subject sid [reply] size; HMSG subject sid [reply] header-size total-size
            let counts = withHeaders ? 2 : 1
            guard fields.count == 2 + counts || fields.count == 3 + counts else {
                throw .protocolViolation("\(verb) with \(fields.count) fields")
            }
            guard let sid = Int(fields[1]), let total = Int(fields[fields.count - 1]), total >= 0, total <= maxPayload else {
                throw .protocolViolation("\(verb) with a bad sid or size")
            }
            let headerSize = withHeaders ? Int(fields[fields.count - 2]) ?? -1 : 0
            guard headerSize >= 0, headerSize <= total else { throw .protocolViolation("HMSG with a bad header size") }
            let reply = fields.count == 3 + counts ? fields[2] : nil
            guard buffer.readableBytes >= lineLength + total + 2 else { return nil }
            buffer.moveReaderIndex(forwardBy: lineLength)
            let headerBytes = buffer.readBytes(length: headerSize)!
            let payload = buffer.readBytes(length: total - headerSize)!
            guard buffer.readBytes(length: 2) == [13, 10] else { throw .protocolViolation("\(verb) payload not followed by CRLF") }
            let headers = withHeaders ? try NATSHeaders.parse(headerBytes) : nil
            return .message(sid: sid, NATSMessage(subject: fields[0], replyTo: reply, headers: headers, payload: payload))
        default:
            throw .protocolViolation("unknown operation \"\(verb.prefix(16))\"")
        }
    }
}
