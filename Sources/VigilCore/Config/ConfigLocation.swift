/// A place in a configuration file: its path and a 1-based line number.
///
/// Every TOML value and key carries one, so that configuration errors can say where they come from.
public struct ConfigLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file's path as it was given to the parser or loader.
    public var file: String
    /// The 1-based line number.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// `FILE:LINE`, the form compilers use.
    public var description: String { "\(file):\(line)" }
}
