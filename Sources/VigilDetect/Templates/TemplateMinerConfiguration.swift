/// The Drain parameters of the template miner (read from `[detectors.new_template]`).
public struct TemplateMinerConfiguration: Sendable, Hashable {
    /// A message joins a template when at least this share of its tokens equal the template's
    /// (wildcards not counted), as Drain's `sim_th`; default 0.4.
    public var similarity = 0.4
    /// Depth of the prefix tree as Drain3 counts it (root, length level, token levels, leaf): the
    /// first `depth - 3` tokens route a message; at least 3; default 4.
    public var depth = 4
    /// The most children of a tree node; further tokens share a wildcard child; default 100.
    public var maxChildren = 100
    /// Templates that differ only in the word at one place merge (the place becomes `<*>`) once
    /// there are this many of them; 0 or 1 never merges; default 4.
    public var wordVariants = 4
    /// The most templates kept; the least recently seen is evicted; default 10 000.
    public var maxTemplates = 10_000
    /// The built-in masks applied; default all.
    public var masks: Set<TokenMask> = Set(TokenMask.allCases)
    /// Extra masks, tried first, in order.
    public var extraMasks: [ExtraMask] = []

    /// The defaults.
    public init() {}
}
