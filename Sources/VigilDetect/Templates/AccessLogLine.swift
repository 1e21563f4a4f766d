/// Recognises HTTP access-log lines and gives their template directly: the method, the route with
/// its id segments and query values masked, and the protocol are the template; the client, user,
/// time, status, size and every other field are variables. The Common and Combined Log Formats
/// (nginx, Apache) are recognised by their layout; any other line holding a quoted request
/// (`"GET /x HTTP/1.1"`, as HAProxy and most proxies log it) by the request, every other
/// whitespace-separated field counting as one variable.
///
/// A token-similarity miner cannot group these lines by route: routes differ in one token out of
/// ten while user agents make the line length vary, so Drain merges routes and splits agents.
enum AccessLogLine {
    /// The template of `b`, if it is an access-log line or the part of one from the quoted request
    /// on (`"GET /x HTTP/1.1" 200 512 …`); `nil` otherwise.
    static func template(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        commonLogFormat(b) ?? anyLine(b)
    }

    /// A line with a quoted request somewhere: the request, and `<*>` for every other field.
    private static func anyLine(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        // Most lines have no request: look for one before building anything.
        var first = 0
        var found: (String, Int)?
        while first < b.count, found == nil {
            if b[first] == quote, startsRequest(b, at: first) { found = request(b, from: first) }
            if found == nil { first += 1 }
        }
        guard let (firstRequest, afterFirst) = found else { return nil }
        var i = 0
        var fields: [String] = []
        var hasRequest = false
        while i < b.count {
            while i < b.count, b[i] == space { i += 1 }
            guard i < b.count else { break }
            if i == first {
                fields.append(firstRequest)
                hasRequest = true
                i = afterFirst
                continue
            }
            if b[i] == quote {
                if let (request, end) = request(b, from: i) {
                    fields.append(request)
                    hasRequest = true
                    i = end
                    continue
                }
                i = MessageTokenizer.closingQuote(b, from: i, to: b.count).map { $0 + 1 } ?? b.count
                fields.append("\"<*>\"")
            } else {
                while i < b.count, b[i] != space { i += 1 }
                fields.append("<*>")
            }
        }
        // A quoted field that swallowed the request's opening quote leaves no request.
        return hasRequest ? fields.joined(separator: " ") : nil
    }

    /// Whether `"METHOD ` (3 to 7 capitals and a space) follows at `start`: a cheap first look.
    private static func startsRequest(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var i = start + 1
        while i < b.count, b[i] &- 0x41 < 26 { i += 1 }
        return (3...7).contains(i - start - 1) && i < b.count && b[i] == space
    }

    /// `"METHOD target HTTP/x.y"` at `start` (its opening quote): the request's template text and
    /// the index after its closing quote.
    private static func request(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> (String, Int)? {
        var i = start + 1
        let methodStart = i
        while i < b.count, b[i] &- 0x41 < 26 { i += 1 }
        guard (3...7).contains(i - methodStart), i < b.count, b[i] == space else { return nil }
        let methodEnd = i
        i += 1
        let targetStart = i
        while i < b.count, b[i] != space, b[i] != quote { i += 1 }
        guard i > targetStart, i < b.count, b[i] == space else { return nil }
        let target = targetStart..<i
        i += 1
        let protocolStart = i
        while i < b.count, b[i] != quote, b[i] != space { i += 1 }
        guard i < b.count, b[i] == quote, i - protocolStart >= 6,
            UnsafeBufferPointer(rebasing: b[protocolStart..<protocolStart + 5]).elementsEqual("HTTP/".utf8)
        else { return nil }
        // Strings only now that the request is known to be one.
        let method = String(decoding: UnsafeBufferPointer(rebasing: b[methodStart..<methodEnd]), as: UTF8.self)
        let proto = String(decoding: UnsafeBufferPointer(rebasing: b[protocolStart..<i]), as: UTF8.self)
        return ("\"\(method) \(route(b, target)) \(proto)\"", i + 1)
    }

    /// `client ident user [time] "request" status …`, or the part from the request on.
    private static func commonLogFormat(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        let end = b.count
        var i = 0
        var prefix = ""
        if i < end, b[i] != quote {
            // client ident user [time]; nothing is allocated until the line is known to be one.
            var identIsDash = false
            for field in 0..<3 {
                let start = i
                while i < end, b[i] != space { i += 1 }
                guard i > start, i < end else { return nil }
                if field == 1 { identIsDash = i - start == 1 && b[start] == 0x2D }
                i += 1
            }
            guard i < end, b[i] == 0x5B else { return nil }
            while i < end, b[i] != 0x5D { i += 1 }
            guard i + 1 < end, b[i + 1] == space else { return nil }
            i += 2
            prefix = identIsDash ? "<*> - <*> [<*>] " : "<*> <*> <*> [<*>] "
        }
        guard i < end, b[i] == quote, let (request, afterRequest) = request(b, from: i) else { return nil }
        i = afterRequest
        // status and size
        guard i + 4 <= end, b[i] == space, (1...3).allSatisfy({ b[i + $0] &- 0x30 < 10 }) else { return nil }
        i += 4
        guard i == end || b[i] == space else { return nil }
        var text = prefix + request + " <*>"
        // Every later field (size, referer, agent, timings) is a variable; quoted ones stay quoted.
        while i < end {
            while i < end, b[i] == space { i += 1 }
            guard i < end else { break }
            if b[i] == quote {
                i = MessageTokenizer.closingQuote(b, from: i, to: end).map { $0 + 1 } ?? end
                text += " \"<*>\""
            } else {
                while i < end, b[i] != space { i += 1 }
                text += " <*>"
            }
        }
        return text
    }

    private static let quote: UInt8 = 0x22
    private static let space: UInt8 = 0x20

    /// The route of a request target: path segments that are ids (digits in a segment longer than
    /// three bytes, or only digits) and query values become `<*>`; a file below a directory
    /// (`/static/img/logo.svg`) is its top directory's (`/static/<*>`).
    static func route(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let pathEnd = b[range].firstIndex(of: 0x3F) ?? range.upperBound
        if let lastSlash = b[range.lowerBound..<pathEnd].lastIndex(of: 0x2F), lastSlash > range.lowerBound,
            let dot = b[lastSlash..<pathEnd].lastIndex(of: 0x2E), dot + 1 < pathEnd,
            b[dot + 1..<pathEnd].allSatisfy({ ($0 | 0x20) &- 0x61 < 26 }),
            let second = b[range.lowerBound + 1..<pathEnd].firstIndex(of: 0x2F)
        {
            return String(decoding: UnsafeBufferPointer(rebasing: b[range.lowerBound...second]), as: UTF8.self) + "<*>"
        }
        var out: [UInt8] = []
        var i = range.lowerBound
        var inQuery = false
        while i < range.upperBound {
            let c = b[i]
            if c == 0x2F || c == 0x3F || c == 0x26 || (inQuery && c == 0x3D) {
                out.append(c)
                if c == 0x3F { inQuery = true }
                i += 1
                continue
            }
            var j = i
            while j < range.upperBound, b[j] != 0x2F, b[j] != 0x3F, b[j] != 0x26, !(inQuery && b[j] == 0x3D) { j += 1 }
            let isQueryValue = inQuery && i > range.lowerBound && b[i - 1] == 0x3D
            var digits = 0
            for k in i..<j where b[k] &- 0x30 < 10 { digits += 1 }
            if isQueryValue || digits == j - i || (digits > 0 && j - i > 3) {
                out.append(contentsOf: "<*>".utf8)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<j]))
            }
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }
}
