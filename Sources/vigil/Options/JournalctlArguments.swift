/// Rewrites a command line so two journalctl habits parse: time options take relative values that
/// start with a dash (`--since -5m`, `-S -1h`, `-U -15m`: swift-argument-parser would read `-5m` as an
/// option, so such a value is joined to its option, `--since=-5m`), and `-n` / `--lines` without a
/// number means 10.
enum JournalctlArguments {
    /// The options whose values are time expressions, and the long form each is joined as.
    static let options = ["--since": "--since", "-S": "--since", "--until": "--until", "-U": "--until"]

    /// The options whose value may be left out, and what it then is.
    static let defaultedOptions = ["-n": "10", "--lines": "10"]

    /// `arguments` with every `OPTION -DIGIT…` pair of a time option joined into `--option=-DIGIT…`,
    /// and a value put after a bare `-n` or `--lines`.
    static func rewritten(_ arguments: [String]) -> [String] {
        var result: [String] = []
        result.reserveCapacity(arguments.count)
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                result += arguments[index...]
                break
            }
            if let long = options[argument], index + 1 < arguments.count, isNegativeTime(arguments[index + 1]) {
                result.append(long + "=" + arguments[index + 1])
                index += 2
                continue
            }
            if let value = defaultedOptions[argument], index + 1 == arguments.count || arguments[index + 1].hasPrefix("-") {
                result += [argument, value]
                index += 1
                continue
            }
            result.append(argument)
            index += 1
        }
        return result
    }

    /// `-5m`, `-1h`, `-2d`, `-30s ago`…: a dash and then a digit.
    static func isNegativeTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8.prefix(2))
        return bytes.count == 2 && bytes[0] == UInt8(ascii: "-") && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[1])
    }
}
