import Foundation

/// A small HTTP/1.1 client for vigild's management API over plain TCP: one request per
/// connection (`Connection: close`), bodies by `Content-Length` or chunked. `vigil` keeps to this
/// rather than linking NIO or libcurl, because its start-up time decides its short commands.
struct APIClient {
    /// `http://HOST:PORT` (no path).
    let server: URL
    /// Sent as `Authorization: Bearer …` when set.
    let token: String?
    /// Seconds to wait for a connection or an answer.
    var timeout = 30

    /// An answer: status, headers (lower-case names) and body.
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: Data

        /// The `error` of a JSON error body, or the body as text.
        var reason: String {
            if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let error = object["error"] as? String {
                return error
            }
            return String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// Why a request failed before an answer came.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends `method path` with an optional JSON body; returns the answer whatever its status.
    func send(_ method: String, _ path: String, json: Any? = nil) throws -> Response {
        guard server.scheme == "http", let host = server.host else {
            throw Failure(description: "\(server) is not an http://HOST:PORT address (the management API speaks plain HTTP)")
        }
        let port = server.port ?? 80
        var body = Data()
        if let json { body = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\nUser-Agent: vigil\r\nAccept: application/json\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        if json != nil { head += "Content-Type: application/json\r\n" }
        if json != nil || method != "GET" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let socket = try connect(host: host, port: port)
        defer { close(socket) }
        try write(socket, Data(head.utf8) + body)
        return try Self.parse(try readAll(socket))
    }

    private func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(description: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError: Int32 = 0
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            if fd >= 0 {
                var limit = timeval(tv_sec: timeout, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return fd }
                lastError = errno
                close(fd)
            }
            entry = address.pointee.ai_next
        }
        throw Failure(
            description: "cannot reach vigild's management API at \(server.absoluteString): \(String(cString: strerror(lastError))) "
                + "(is vigild running with [api] enabled? --server or $VIGIL_SERVER name another address)")
    }

    private func write(_ socket: Int32, _ data: Data) throws {
        var sent = 0
        try data.withUnsafeBytes { raw in
            while sent < raw.count {
                let n = Glibc.send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw Failure(description: "sending to \(server.absoluteString) failed: \(String(cString: strerror(errno)))")
                }
                sent += n
            }
        }
    }

    private func readAll(_ socket: Int32) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(socket, &buffer, buffer.count, 0)
            if n == 0 { return data }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "reading from \(server.absoluteString) failed: \(String(cString: strerror(errno)))")
            }
            data.append(contentsOf: buffer[0..<n])
        }
    }

    /// Splits an HTTP/1.1 answer into status, headers and body (de-chunked).
    static func parse(_ data: Data) throws -> Response {
        let bytes = [UInt8](data)
        guard let end = bytes.firstRange(of: [13, 10, 13, 10]) else { throw Failure(description: "the answer has no complete header") }
        let lines = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw Failure(description: "not an HTTP answer: \(lines[0])")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[end.upperBound...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(body)
        } else if let length = headers["content-length"].flatMap(Int.init), length <= body.count {
            body = Array(body.prefix(length))
        }
        return Response(status: status, headers: headers, body: Data(body))
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = bytes[index...].firstRange(of: [13, 10]) else { break }
            let sizeText = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw Failure(description: "a malformed chunk in the answer")
            }
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard start + size <= bytes.count else { throw Failure(description: "the answer ended inside a chunk") }
            output += bytes[start..<start + size]
            index = start + size + 2
        }
        return output
    }
}
