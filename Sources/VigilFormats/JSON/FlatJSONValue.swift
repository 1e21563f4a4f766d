/// One JSON value as ``FlatJSONParser`` returns it: objects flattened, arrays as compact text,
/// scalars as their text.
public enum FlatJSONValue: Sendable, Hashable {
    /// An object flattened to `key → value` (see ``FlatJSONParser`` for the rules).
    case object([String: String])
    /// An array as compact JSON text (insignificant whitespace removed, strings as written).
    case array(String)
    /// A string, unescaped.
    case string(String)
    /// A number exactly as written in the source (`1e3`, `-0.50`).
    case number(String)
    case bool(Bool)
    case null
}
