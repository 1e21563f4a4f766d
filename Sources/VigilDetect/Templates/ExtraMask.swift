/// A configured mask (`[detectors.new_template.extra_masks]`, `name = "regex"`): a token (or the
/// value after `=` in a `key=value` token) in which the regular expression matches is replaced by
/// `<NAME>` (the name in upper case). Extra masks are tried before the built-in ones; anchor the
/// pattern (`^sess-[0-9a-z]+$`) to mask only whole tokens.
public struct ExtraMask: Sendable, Hashable {
    /// The mask's name.
    public var name: String
    /// The pattern tested against each token.
    public var pattern: RegexPattern

    /// Creates a mask.
    public init(name: String, pattern: RegexPattern) {
        self.name = name
        self.pattern = pattern
    }

    /// `<NAME>`.
    public var placeholder: String { "<\(name.uppercased())>" }
}
