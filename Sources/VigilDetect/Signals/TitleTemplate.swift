/// A signal title with `{name}` placeholders: `"{service}: {count} errors in {window}"`.
///
/// Placeholders are checked when the template is parsed against the names the rule or detector
/// provides, so a typo is a configuration error rather than a literal `{sevice}` in every incident.
public struct TitleTemplate: Sendable, Hashable, CustomStringConvertible {
    /// Why a title template was refused.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The reason, e.g. `unknown placeholder {sevice}; known: …`.
        public var reason: String
        public var description: String { reason }
    }

    enum Segment: Sendable, Hashable {
        case text(String)
        case placeholder(String)
    }

    /// The template as written.
    public let text: String
    let segments: [Segment]

    /// Parses `text`, allowing only placeholders in `names`.
    public init(_ text: String, names: Set<String>) throws(ParseError) {
        self.text = text
        var segments: [Segment] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { segments.append(.text(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw ParseError(reason: "unclosed \"{\" in title template")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard names.contains(name) else {
                let known = names.sorted().map { "{\($0)}" }.joined(separator: ", ")
                throw ParseError(reason: "unknown placeholder {\(name)} in title template; known: \(known)")
            }
            segments.append(.placeholder(name))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        self.segments = segments
    }

    /// The title with each placeholder replaced by `value(name)` (empty when it returns `nil`).
    func render(_ value: (String) -> String?) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text): out += text
            case .placeholder(let name): out += value(name) ?? ""
            }
        }
        return out
    }

    /// The template as written.
    public var description: String { text }
}
