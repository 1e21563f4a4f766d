/// One component of a signal's group key: a group-by name and the record's value for it
/// (`service = "api"`). A signal's key is the ordered list of these.
public struct GroupValue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The group-by name: `service`, `host`, `severity`, or a key of `LogRecord.fields`.
    public var name: String
    /// The value; empty when the record has none.
    public var value: String

    /// Creates a key component.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// `name=value`.
    public var description: String { "\(name)=\(value)" }
}
