/// A note someone added to an incident.
public struct IncidentNote: Sendable, Hashable, Codable {
    /// Who wrote it: a token's name.
    public var author: String
    /// The text.
    public var text: String
    /// When, wall time (ns).
    public var time: Int64

    /// Creates a note.
    public init(author: String, text: String, time: Int64) {
        self.author = author
        self.text = text
        self.time = time
    }

    enum CodingKeys: String, CodingKey { case author, text, time }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            author: try c.decode(String.self, forKey: .author), text: try c.decode(String.self, forKey: .text),
            time: try c.decodeTime(.time))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(author, forKey: .author)
        try c.encode(text, forKey: .text)
        try c.encodeTime(time, .time)
    }
}
