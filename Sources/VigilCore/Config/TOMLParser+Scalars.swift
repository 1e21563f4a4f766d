extension TOMLParser {
    /// Booleans, numbers and date-times: a run of `A-Z a-z 0-9 _ + - . :` (plus the space between a
    /// date and a time), then classified.
    mutating func parseScalar() throws(ConfigError) -> TOMLValue.Kind {
        let start = index
        while let c = peek(), Self.isScalarByte(c) { index += 1 }
        // `1979-05-27 07:32:00`: a space may separate a date from a time.
        if index - start == 10, Self.isDateShaped(bytes[start..<index]), peek() == UInt8(ascii: " "),
            let h0 = peek(1), let h1 = peek(2), Self.isDigit(h0), Self.isDigit(h1), peek(3) == UInt8(ascii: ":")
        {
            index += 1
            while let c = peek(), Self.isScalarByte(c) { index += 1 }
        }
        guard index > start else { throw fail("expected a value, found \(found())") }
        let token = bytes[start..<index]
        let text = String(decoding: token, as: UTF8.self)
        switch text {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan": return .float(.nan)
        case "-nan": return .float(-.nan)
        default: break
        }
        if Self.isDateShaped(token) || Self.isTimeShaped(token) {
            guard Self.isValidDateTime(token) else { throw fail("invalid date-time \(text)", line: line) }
            return .string(text)
        }
        guard let first = token.first, Self.isDigit(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        else {
            throw fail("invalid value \(text) (a string must be quoted: \(TOMLValue.quote(text)))")
        }
        return try parseNumber(token, text: text)
    }

    func parseNumber(_ token: ArraySlice<UInt8>, text: String) throws(ConfigError) -> TOMLValue.Kind {
        // 0x, 0o, 0b: unsigned, digits with underscores between them.
        if token.count > 2, token.first == UInt8(ascii: "0") {
            let marker = token[token.startIndex + 1]
            let radix: Int? =
                switch marker {
                case UInt8(ascii: "x"): 16
                case UInt8(ascii: "o"): 8
                case UInt8(ascii: "b"): 2
                default: nil
                }
            if let radix {
                let body = token.dropFirst(2)
                guard Self.hasValidUnderscores(body, digit: { Self.isDigit($0, radix: radix) }) else {
                    throw fail("invalid number \(text)")
                }
                guard let value = Int64(Self.withoutUnderscores(body), radix: radix) else {
                    throw fail("integer \(text) is out of range (64-bit signed)")
                }
                return .integer(value)
            }
        }
        var unsigned = token
        if let sign = unsigned.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            unsigned = unsigned.dropFirst()
        }
        let isFloat = unsigned.contains { [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains($0) }
        if !isFloat {
            try checkDecimalInteger(unsigned, text: text)
            guard let value = Int64(Self.withoutUnderscores(token)) else {
                throw fail("integer \(text) is out of range (64-bit signed)")
            }
            return .integer(value)
        }
        // [int part] [. fraction] [e|E [sign] exponent], with a fraction or an exponent or both.
        let exponentStart = unsigned.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = unsigned[..<(exponentStart ?? unsigned.endIndex)]
        let dot = mantissa.firstIndex(of: UInt8(ascii: "."))
        try checkDecimalInteger(mantissa[..<(dot ?? mantissa.endIndex)], text: text)
        if let dot {
            guard Self.hasValidUnderscores(mantissa[(dot + 1)...], digit: { Self.isDigit($0) }) else {
                throw fail("invalid number \(text): a decimal point needs digits on both sides")
            }
        }
        if let exponentStart {
            var exponent = unsigned[(exponentStart + 1)...]
            if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                exponent = exponent.dropFirst()
            }
            guard Self.hasValidUnderscores(exponent, digit: { Self.isDigit($0) }) else {
                throw fail("invalid number \(text): bad exponent")
            }
        }
        guard let value = Double(Self.withoutUnderscores(token)) else {
            throw fail("invalid number \(text)")
        }
        return .float(value)
    }

    /// Decimal digits with underscores between them and no leading zero (except `0` itself).
    func checkDecimalInteger(_ digits: ArraySlice<UInt8>, text: String) throws(ConfigError) {
        guard Self.hasValidUnderscores(digits, digit: { Self.isDigit($0) }) else { throw fail("invalid number \(text)") }
        if digits.count > 1, digits.first == UInt8(ascii: "0") {
            throw fail("invalid number \(text): leading zeros are not allowed")
        }
    }

    static func withoutUnderscores(_ token: ArraySlice<UInt8>) -> String {
        String(decoding: token.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
    }

    /// Not empty, only digits and underscores, each underscore between two digits.
    static func hasValidUnderscores(_ digits: ArraySlice<UInt8>, digit: (UInt8) -> Bool) -> Bool {
        guard let first = digits.first, let last = digits.last, digit(first), digit(last) else { return false }
        var previousWasUnderscore = false
        for c in digits {
            if c == UInt8(ascii: "_") {
                if previousWasUnderscore { return false }
                previousWasUnderscore = true
            } else if digit(c) {
                previousWasUnderscore = false
            } else {
                return false
            }
        }
        return true
    }

    // MARK: - Date-times

    /// `YYYY-MM-DD…`
    static func isDateShaped(_ t: ArraySlice<UInt8>) -> Bool {
        t.count >= 10 && t.prefix(4).allSatisfy { isDigit($0) } && t[t.startIndex + 4] == UInt8(ascii: "-")
    }

    /// `HH:…`
    static func isTimeShaped(_ t: ArraySlice<UInt8>) -> Bool {
        t.count >= 3 && isDigit(t[t.startIndex]) && isDigit(t[t.startIndex + 1]) && t[t.startIndex + 2] == UInt8(ascii: ":")
    }

    /// RFC 3339 as TOML restricts it: a local date, a local time, a local date-time, or an offset
    /// date-time (`Z` or `±HH:MM`); seconds are required, a fraction is optional.
    static func isValidDateTime(_ token: ArraySlice<UInt8>) -> Bool {
        let t = Array(token)
        func number(_ at: Int, _ width: Int) -> Int? {
            guard at + width <= t.count else { return nil }
            var value = 0
            for k in at..<(at + width) {
                guard isDigit(t[k]) else { return nil }
                value = value * 10 + Int(t[k] - UInt8(ascii: "0"))
            }
            return value
        }
        var i = 0
        var hasDate = false
        if isDateShaped(token) {
            guard let year = number(0, 4), t[4] == UInt8(ascii: "-"), let month = number(5, 2),
                t.count >= 8, t[7] == UInt8(ascii: "-"), let day = number(8, 2), (1...12).contains(month)
            else { return false }
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
            guard (1...days).contains(day) else { return false }
            hasDate = true
            i = 10
            if i == t.count { return true }
            guard t[i] == UInt8(ascii: "T") || t[i] == UInt8(ascii: "t") || t[i] == UInt8(ascii: " ") else { return false }
            i += 1
        }
        guard let hour = number(i, 2), i + 2 < t.count, t[i + 2] == UInt8(ascii: ":"), let minute = number(i + 3, 2),
            i + 5 < t.count, t[i + 5] == UInt8(ascii: ":"), let second = number(i + 6, 2),
            hour < 24, minute < 60, second <= 60
        else { return false }
        i += 8
        if i < t.count, t[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < t.count, isDigit(t[i]) { i += 1 }
            guard i > start else { return false }
        }
        if i == t.count { return true }
        guard hasDate else { return false }
        if t[i] == UInt8(ascii: "Z") || t[i] == UInt8(ascii: "z") { return i + 1 == t.count }
        guard t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-"), i + 6 == t.count, let oh = number(i + 1, 2),
            t[i + 3] == UInt8(ascii: ":"), let om = number(i + 4, 2), oh < 24, om < 60
        else { return false }
        return true
    }

    // MARK: - Character classes

    static func isScalarByte(_ c: UInt8) -> Bool {
        TOMLKey.isBareByte(c) || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") || c == UInt8(ascii: ":")
    }

    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    static func isDigit(_ c: UInt8, radix: Int) -> Bool {
        guard let value = hexValue(c) else { return false }
        return value < radix
    }
}
