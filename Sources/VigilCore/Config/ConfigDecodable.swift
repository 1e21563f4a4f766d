/// A configuration section that reads itself from a table.
///
/// A new section is one small initializer; `ConfigTable.decode(_:_:)`, `decodeArray(_:_:)` and
/// `namedTables(_:)` hand it its table, and the document's `finish()` reports the keys it did not
/// read:
///
///     public struct RuleConfiguration: Sendable, ConfigDecodable {
///         public var name: String
///         public var window: Int64 = 60_000_000_000
///
///         public init(table: ConfigTable) throws(ConfigError) {
///             name = try table.required("name", table.string("name"))
///             window = try table.duration("window", atLeast: 1) ?? window
///         }
///     }
///
///     // in CoreConfiguration.init(table:)
///     rules = try table.decodeArray(RuleConfiguration.self, "rules")
public protocol ConfigDecodable {
    /// Reads the section from `table`, throwing a `ConfigError` for a bad value or a missing key.
    /// Unknown keys are reported by `finish()` on the root table, so this need not call it.
    init(table: ConfigTable) throws(ConfigError)
}
