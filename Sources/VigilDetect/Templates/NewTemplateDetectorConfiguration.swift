import VigilCore

/// `[detectors.new_template]`: mines message templates and fires when a never-seen template appears
/// `min_count` times within `window` (after the warm-up), or when a rare template bursts.
///
///     [detectors.new_template]
///     enabled = true
///     similarity = 0.4          # Drain sim_th
///     depth = 4                 # Drain3 depth (routing tokens = depth - 3)
///     max_children = 100
///     word_variants = 4         # templates differing in one word merge once there are this many
///     max_templates = 10000
///     masks = ["number", "hex", "uuid", "ip", "path", "quoted"]
///     min_count = 3             # a new template must appear this often…
///     window = "10m"            # …within this long of its first message
///     warm_up = "1h"            # templates first seen this soon after start are learnt silently
///     burst_count = 20          # a rare template seen this often within burst_window: a burst (0: off)
///     burst_window = "5m"
///     rare_count = 5            # "rare": seen fewer times than this before the burst
///     severity = "warning"
///     [detectors.new_template.extra_masks]
///     session = "^sess-[0-9a-f]+$"
public struct NewTemplateDetectorConfiguration: Sendable, Hashable, ConfigDecodable {
    /// Whether the detector (and the miner) runs; default true.
    public var enabled = true
    /// The miner's parameters.
    public var miner = TemplateMinerConfiguration()
    /// Occurrences of a new template, within `window`, that fire; default 3.
    public var minimumCount = 3
    /// How long after its first message a new template is watched, ns; default 10 min.
    public var window: Int64 = 600_000_000_000
    /// How long after the first record templates are learnt without firing, ns; default 1 h. Skipped
    /// when templates were restored from a snapshot.
    public var warmUp: Int64 = 3_600_000_000_000
    /// Occurrences within `burstWindow` that make a burst of a rare template; 0 disables; default 20.
    public var burstCount = 20
    /// The burst window, ns; default 5 min.
    public var burstWindow: Int64 = 300_000_000_000
    /// A template seen fewer times than this before the burst window is rare; default 5.
    public var rareCount = 5
    /// The incident severity; default `warning`.
    public var severity: Severity = .warning

    /// The defaults.
    public init() {}

    /// Reads `[detectors.new_template]`.
    public init(table: ConfigTable) throws(ConfigError) {
        enabled = try table.bool("enabled") ?? enabled
        miner.similarity = try table.double("similarity", in: 0...1) ?? miner.similarity
        miner.depth = try table.int("depth", in: 3...16) ?? miner.depth
        miner.maxChildren = try table.int("max_children", in: 2...100_000) ?? miner.maxChildren
        miner.maxTemplates = try table.int("max_templates", in: 1...10_000_000) ?? miner.maxTemplates
        miner.wordVariants = try table.int("word_variants", in: 0...1_000) ?? miner.wordVariants
        if let names = try table.stringArray("masks") {
            var masks: Set<TokenMask> = []
            for name in names {
                guard let mask = TokenMask(rawValue: name) else {
                    let known = TokenMask.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
                    throw table.invalid("masks", "unknown mask \"\(name)\"; known: \(known)")
                }
                masks.insert(mask)
            }
            miner.masks = masks
        }
        for entry in try table.stringTable("extra_masks") {
            guard let pattern = try entry.table.regex(entry.key) else { continue }
            miner.extraMasks.append(ExtraMask(name: entry.key, pattern: pattern))
        }
        minimumCount = try table.int("min_count", in: 1...1_000_000) ?? minimumCount
        window = try table.duration("window", atLeast: 1) ?? window
        warmUp = try table.duration("warm_up") ?? warmUp
        burstCount = try table.int("burst_count", in: 0...1_000_000) ?? burstCount
        burstWindow = try table.duration("burst_window", atLeast: 1) ?? burstWindow
        rareCount = try table.int("rare_count", in: 1...1_000_000) ?? rareCount
        severity = try table.severity("severity") ?? severity
    }
}
