/// A Drain-style log template miner (He et al., "Drain: An Online Log Parsing Approach with Fixed
/// Depth Tree", ICWS 2017; the same algorithm as Drain3).
///
/// A message is tokenized and masked (`MessageTokenizer`), routed down a fixed-depth prefix tree by
/// its token count and first `depth - 3` tokens, never its last one, as Drain3 does (tokens with
/// digits take the wildcard branch), and
/// compared with the templates in the leaf it reaches: it joins the most similar one if at least
/// `similarity` of its tokens equal the template's (positions that differ become `<*>`), else it
/// starts a new template. At most `maxTemplates` templates are kept (the least recently seen is
/// evicted), and tree nodes are pruned with them, so memory is bounded.
///
/// `snapshot()` and `restore(_:)` carry the templates (and their ids) across restarts.
public struct TemplateMiner {
    /// The template a message was assigned to.
    public struct Match: Sendable, Hashable {
        /// The template id.
        public var id: Int
        /// Whether this message created the template.
        public var isNew: Bool
        /// The template's slot (internal index, reused after eviction).
        var slot: Int
    }

    private struct Cluster {
        var id: Int
        var tokens: [UInt64]
        var texts: [String]
        /// Tree node keys from the length node down to the leaf.
        var nodeKeys: [UInt64]
        /// The routing token of each prefix level, as text (`<*>` for the wildcard branch).
        var pathTexts: [String]
        var count: Int
        var firstSeen: Int64
        var lastSeen: Int64
        var service: String
        var isLive: Bool
    }

    /// The parameters.
    public let configuration: TemplateMinerConfiguration
    private var tokenizer: MessageTokenizer
    private var clusters: [Cluster] = []
    private var freeSlots: [Int] = []
    private var recency = LRUList()
    /// Tree node key → number of child nodes.
    private var nodes: [UInt64: Int32] = [:]
    /// Leaf node key → template slots.
    private var leaves: [UInt64: [Int32]] = [:]
    private var nextID = 1
    /// Templates evicted to stay within `maxTemplates`.
    public private(set) var evictions = 0
    /// The number of templates held.
    public private(set) var count = 0

    private static let wildcard = "<*>"
    private static let wildcardHash = FNV1a.hash("<*>")

    /// An empty miner.
    public init(configuration: TemplateMinerConfiguration = TemplateMinerConfiguration()) {
        self.configuration = configuration
        tokenizer = MessageTokenizer(masks: configuration.masks, extraMasks: configuration.extraMasks)
    }

    /// The number of leading tokens that route a message of `length` tokens (Drain3's
    /// `max_node_depth = depth - 2`, counting the length level, and never the last token).
    private func routingLevels(length: Int) -> Int { max(0, min(configuration.depth - 3, length - 1)) }

    // MARK: - Learning and matching

    /// Assigns `message` to a template, creating or generalising one as needed. `service` and
    /// `time` (event time, ns) are kept for `templates`.
    public mutating func learn(_ message: String, service: String = "", time: Int64 = 0) -> Match {
        var message = message
        return message.withUTF8 { learn(bytes: $0, service: service, time: time) }
    }

    /// The id of the template `message` would join, without learning from it; `nil` when it would
    /// start a new one.
    public mutating func templateID(for message: String) -> Int? {
        var message = message
        return message.withUTF8 { bytes in
            tokenizer.tokenize(bytes)
            guard let leaf = searchLeaf(), let slot = bestCluster(in: leaf) else { return nil }
            return clusters[slot].id
        }
    }

    private mutating func learn(bytes: UnsafeBufferPointer<UInt8>, service: String, time: Int64) -> Match {
        tokenizer.tokenize(bytes)
        if let leaf = searchLeaf(), let slot = bestCluster(in: leaf) {
            let tokens = tokenizer.tokens
            for index in tokens.indices where clusters[slot].tokens[index] != tokens[index].hash {
                guard clusters[slot].tokens[index] != Self.wildcardHash else { continue }
                clusters[slot].tokens[index] = Self.wildcardHash
                clusters[slot].texts[index] = Self.wildcard
            }
            clusters[slot].count += 1
            clusters[slot].lastSeen = max(clusters[slot].lastSeen, time)
            recency.touch(slot)
            return Match(id: clusters[slot].id, isNew: false, slot: slot)
        }
        if count >= max(1, configuration.maxTemplates), recency.oldest >= 0 {
            remove(slot: Int(recency.oldest))
            evictions += 1
        }
        let (nodeKeys, pathTexts) = insertPath(bytes: bytes)
        let cluster = Cluster(
            id: nextID, tokens: tokenizer.tokens.map(\.hash), texts: tokenizer.tokens.map { tokenizer.text(of: $0, in: bytes) },
            nodeKeys: nodeKeys, pathTexts: pathTexts, count: 1, firstSeen: time, lastSeen: time, service: service,
            isLive: true)
        nextID += 1
        let slot = add(cluster)
        return Match(id: cluster.id, isNew: true, slot: slot)
    }

    private mutating func add(_ cluster: Cluster) -> Int {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            clusters[slot] = cluster
        } else {
            slot = clusters.count
            clusters.append(cluster)
        }
        leaves[cluster.nodeKeys.last!, default: []].append(Int32(slot))
        recency.append(slot)
        count += 1
        return slot
    }

    private mutating func remove(slot: Int) {
        let cluster = clusters[slot]
        recency.remove(slot)
        clusters[slot] = Cluster(
            id: 0, tokens: [], texts: [], nodeKeys: [], pathTexts: [], count: 0, firstSeen: 0, lastSeen: 0, service: "",
            isLive: false)
        freeSlots.append(slot)
        count -= 1
        let leaf = cluster.nodeKeys.last!
        leaves[leaf]?.removeAll { $0 == Int32(slot) }
        guard leaves[leaf]?.isEmpty ?? true else { return }
        leaves[leaf] = nil
        // Prune the branch upwards while nodes have neither children nor templates.
        var level = cluster.nodeKeys.count - 1
        while level >= 0 {
            let key = cluster.nodeKeys[level]
            guard nodes[key] == 0, leaves[key] == nil else { break }
            nodes[key] = nil
            if level > 0 { nodes[cluster.nodeKeys[level - 1], default: 1] -= 1 }
            level -= 1
        }
    }

    // MARK: - Prefix tree

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var h = (a ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        h ^= b
        h = (h ^ (h >> 31)) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 29)
    }

    @inline(__always)
    private static func rootKey(length: Int) -> UInt64 { mix(0x5649_4749_4C00, UInt64(length)) }

    /// The routing key of prefix token `index`: its hash, or the wildcard's when it has digits.
    @inline(__always)
    private func routingHash(_ index: Int) -> UInt64 {
        let token = tokenizer.tokens[index]
        return token.hasDigit ? Self.wildcardHash : token.hash
    }

    /// The leaf the current tokens route to, if the tree has one.
    private func searchLeaf() -> UInt64? {
        let tokens = tokenizer.tokens
        var key = Self.rootKey(length: tokens.count)
        guard nodes[key] != nil else { return nil }
        for index in 0..<routingLevels(length: tokens.count) {
            let child = Self.mix(key, routingHash(index))
            if nodes[child] != nil {
                key = child
            } else {
                let wild = Self.mix(key, Self.wildcardHash)
                guard nodes[wild] != nil else { return nil }
                key = wild
            }
        }
        return key
    }

    /// Adds the current tokens' branch and returns its node keys and routing texts. As in Drain3, a
    /// node with a wildcard child takes new tokens until it has `maxChildren` children; without one,
    /// its last free place goes to the wildcard child; further tokens go to the wildcard child.
    private mutating func insertPath(bytes: UnsafeBufferPointer<UInt8>) -> ([UInt64], [String]) {
        let tokens = tokenizer.tokens
        var key = Self.rootKey(length: tokens.count)
        if nodes[key] == nil { nodes[key] = 0 }
        var keys = [key], texts: [String] = []
        for index in 0..<routingLevels(length: tokens.count) {
            var hash = routingHash(index)
            var child = Self.mix(key, hash)
            if nodes[child] == nil, hash != Self.wildcardHash {
                let children = Int(nodes[key]!)
                let hasWildcard = nodes[Self.mix(key, Self.wildcardHash)] != nil
                if hasWildcard ? children >= configuration.maxChildren : children + 1 >= configuration.maxChildren {
                    hash = Self.wildcardHash
                    child = Self.mix(key, hash)
                }
            }
            if nodes[child] == nil {
                nodes[child] = 0
                nodes[key]! += 1
            }
            texts.append(hash == Self.wildcardHash ? Self.wildcard : tokenizer.text(of: tokens[index], in: bytes))
            key = child
            keys.append(key)
        }
        return (keys, texts)
    }

    /// The most similar template in `leaf`, if it reaches the similarity threshold (Drain: the share
    /// of equal tokens, wildcards not counted; ties go to the template with more wildcards).
    private func bestCluster(in leaf: UInt64) -> Int? {
        guard let candidates = leaves[leaf] else { return nil }
        let tokens = tokenizer.tokens
        let length = tokens.count
        var best = -1, bestSimilar = -1, bestWild = -1
        for candidate in candidates {
            let slot = Int(candidate)
            var similar = 0, wild = 0
            clusters[slot].tokens.withUnsafeBufferPointer { template in
                for index in 0..<length {
                    let token = template[index]
                    if token == Self.wildcardHash {
                        wild += 1
                    } else if token == tokens[index].hash {
                        similar += 1
                    }
                }
            }
            if similar > bestSimilar || (similar == bestSimilar && wild > bestWild) {
                best = slot
                bestSimilar = similar
                bestWild = wild
            }
        }
        guard best >= 0 else { return nil }
        if length == 0 { return best }
        return Double(bestSimilar) >= configuration.similarity * Double(length) ? best : nil
    }

    // MARK: - Inspection and persistence

    /// The template with `id`, if held.
    public func template(id: Int) -> TemplateInfo? {
        clusters.first { $0.isLive && $0.id == id }.map(Self.info)
    }

    /// The template in `slot`.
    func info(slot: Int) -> TemplateInfo { Self.info(clusters[slot]) }

    /// Messages matched by the template in `slot`.
    @inline(__always)
    func occurrences(slot: Int) -> Int { clusters[slot].count }

    /// Every template, by id.
    public var templates: [TemplateInfo] {
        clusters.filter(\.isLive).map(Self.info).sorted { $0.id < $1.id }
    }

    private static func info(_ cluster: Cluster) -> TemplateInfo {
        TemplateInfo(
            id: cluster.id, template: cluster.texts.joined(separator: " "), count: cluster.count,
            firstSeen: cluster.firstSeen, lastSeen: cluster.lastSeen, service: cluster.service)
    }

    /// The templates and the next id, least recently seen first.
    public func snapshot() -> TemplateSnapshot {
        TemplateSnapshot(
            nextID: nextID,
            templates: recency.slotsInOrder.map { slot in
                let cluster = clusters[slot]
                return TemplateSnapshot.Entry(
                    id: cluster.id, tokens: cluster.texts, path: cluster.pathTexts, count: cluster.count,
                    firstSeen: cluster.firstSeen, lastSeen: cluster.lastSeen, service: cluster.service)
            })
    }

    /// Replaces the templates with those of `snapshot` (the most recently seen ones when it holds
    /// more than `maxTemplates`). A template whose recorded branch does not fit this tree depth is
    /// re-routed by its own tokens.
    public mutating func restore(_ snapshot: TemplateSnapshot) {
        clusters = []
        freeSlots = []
        recency = LRUList()
        nodes = [:]
        leaves = [:]
        count = 0
        let kept = snapshot.templates.suffix(max(1, configuration.maxTemplates))
        nextID = max(snapshot.nextID, (snapshot.templates.map(\.id).max() ?? 0) + 1)
        for entry in kept {
            let tokens = entry.tokens.map { $0 == Self.wildcard ? Self.wildcardHash : MessageTokenizer.hash(ofMaskedText: $0) }
            let levels = routingLevels(length: tokens.count)
            let pathTexts = entry.path.count == levels
                ? entry.path
                : entry.tokens.prefix(levels).map { MessageTokenizer.hasDigit($0) ? Self.wildcard : $0 }
            var key = Self.rootKey(length: tokens.count)
            if nodes[key] == nil { nodes[key] = 0 }
            var keys = [key]
            for text in pathTexts {
                let child = Self.mix(key, text == Self.wildcard ? Self.wildcardHash : MessageTokenizer.hash(ofMaskedText: text))
                if nodes[child] == nil {
                    nodes[child] = 0
                    nodes[key]! += 1
                }
                key = child
                keys.append(key)
            }
            _ = add(
                Cluster(
                    id: entry.id, tokens: tokens, texts: entry.tokens, nodeKeys: keys, pathTexts: pathTexts,
                    count: entry.count, firstSeen: entry.firstSeen, lastSeen: entry.lastSeen, service: entry.service,
                    isLive: true))
        }
    }
}
