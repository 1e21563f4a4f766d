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
/// Three departures from Drain, each because Drain groups real logs wrongly without them:
/// - **Words are constants.** A message does not join a template that has a different word
///   (letters only, see `MessageTokenizer.Shape`) at the same place: `entered blocking state` and
///   `entered forwarding state` are two templates, where Drain merges them (one token in five).
///   When `wordVariants` templates differ only in a word at one place (`Invalid user alice`,
///   `… bob`, `… carol`, `… dave`), the place is a variable after all: they merge into the oldest,
///   which keeps its id; the others' ids become aliases of it (`canonicalID(_:)`).
/// - **Names do not route.** The prefix tree routes on words and punctuation only; a token such as
///   `nginx.service:` or `eth0` takes the wildcard branch, so `<unit>: Deactivated successfully.`
///   is one template rather than one per unit.
/// - **Known shapes get their template directly**: HTTP access-log lines by method and route
///   (`AccessLogLine`), JSON and `key=value` messages by keys and message (`StructuredLine`), Java
///   stack frames and exception lines (`JavaTraceLine`). Their templates are found by key, not
///   by the tree, and never merge.
///
/// `snapshot()` and `restore(_:)` carry the templates (and their ids and aliases) across restarts.
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
        /// Per token: whether it is a word (a constant the message must share).
        var words: [Bool]
        /// For a keyed template (a known shape, found by the hash of its text rather than by the
        /// tree): that hash.
        var shapeKey: UInt64?
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
    /// Keyed templates (known shapes): the hash of their text → slot.
    private var keyed: [UInt64: Int32] = [:]
    /// Ids of templates merged into another → the id they joined (oldest first, at most
    /// `maxTemplates` kept).
    private var aliases: [Int: Int] = [:]
    private var aliasOrder: [Int] = []
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
            if let text = structuredTemplate(bytes) {
                return keyed[FNV1a.hash(text)].map { clusters[Int($0)].id }
            }
            tokenizer.tokenize(bytes)
            guard let leaf = searchLeaf(), let slot = bestCluster(in: leaf).match else { return nil }
            return clusters[slot].id
        }
    }

    /// The id a template id stands for now: itself, or the template it was merged into.
    public func canonicalID(_ id: Int) -> Int {
        var id = id
        while let joined = aliases[id] { id = joined }
        return id
    }

    private mutating func learn(bytes: UnsafeBufferPointer<UInt8>, service: String, time: Int64) -> Match {
        if let text = structuredTemplate(bytes) { return learnKeyed(text, service: service, time: time) }
        tokenizer.tokenize(bytes)
        if let leaf = searchLeaf() {
            let found = bestCluster(in: leaf)
            if var slot = found.match ?? mergeSiblings(of: found.sibling) {
                let tokens = tokenizer.tokens
                for index in tokens.indices where clusters[slot].tokens[index] != tokens[index].hash {
                    guard clusters[slot].tokens[index] != Self.wildcardHash else { continue }
                    if clusters[slot].words[index] {
                        // A word place became a variable: templates that differ only in its word are
                        // this template too.
                        slot = absorbSiblings(of: slot, at: index)
                    } else {
                        makeVariable(slot: slot, at: index)
                    }
                }
                return touch(slot: slot, time: time)
            }
        }
        makeRoom()
        let (nodeKeys, pathTexts) = insertPath(bytes: bytes)
        let cluster = Cluster(
            id: nextID, tokens: tokenizer.tokens.map(\.hash), texts: tokenizer.tokens.map { tokenizer.text(of: $0, in: bytes) },
            nodeKeys: nodeKeys, pathTexts: pathTexts, words: tokenizer.tokens.map(\.isWord), shapeKey: nil, count: 1,
            firstSeen: time, lastSeen: time, service: service, isLive: true)
        nextID += 1
        let slot = add(cluster)
        return Match(id: cluster.id, isNew: true, slot: slot)
    }

    /// The template of an access-log line, a structured (JSON, key=value) message or a Java stack
    /// trace line.
    private mutating func structuredTemplate(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        AccessLogLine.template(bytes) ?? StructuredLine.template(bytes, maskMessage: { maskMessage($0) })
            ?? JavaTraceLine.template(bytes)
    }

    /// `text` masked as a message is: its tokens' masked texts, and `\"…\"` (a quoted value inside a
    /// quoted message) as `\"<*>\"`.
    /// Uses the miner's tokenizer (its tokens are replaced; the message's own are taken after).
    private mutating func maskMessage(_ text: String) -> String {
        var masked: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0, open = -1
        while i < bytes.count {
            if bytes[i] == 0x5C, i + 1 < bytes.count, bytes[i + 1] == 0x22 {
                if open < 0 {
                    open = i
                } else {
                    masked.append(contentsOf: Array("\\\"<*>\\\"".utf8))
                    open = -1
                }
                i += 2
                continue
            }
            if open < 0 { masked.append(bytes[i]) }
            i += 1
        }
        if open >= 0 { masked.append(contentsOf: bytes[open...]) }
        return masked.withUnsafeBufferPointer { bytes in
            tokenizer.tokenize(bytes)
            return tokenizer.tokens.map { tokenizer.text(of: $0, in: bytes) }.joined(separator: " ")
        }
    }

    private mutating func learnKeyed(_ text: String, service: String, time: Int64) -> Match {
        let key = FNV1a.hash(text)
        if let slot = keyed[key] { return touch(slot: Int(slot), time: time) }
        makeRoom()
        let texts = text.split(separator: " ").map(String.init)
        let cluster = Cluster(
            id: nextID, tokens: texts.map(MessageTokenizer.hash(ofMaskedText:)), texts: texts, nodeKeys: [], pathTexts: [],
            words: texts.map { _ in false }, shapeKey: key, count: 1, firstSeen: time, lastSeen: time, service: service,
            isLive: true)
        nextID += 1
        let slot = add(cluster)
        return Match(id: cluster.id, isNew: true, slot: slot)
    }

    private mutating func touch(slot: Int, time: Int64) -> Match {
        clusters[slot].count += 1
        clusters[slot].lastSeen = max(clusters[slot].lastSeen, time)
        recency.touch(slot)
        return Match(id: clusters[slot].id, isNew: false, slot: slot)
    }

    /// Evicts the least recently seen template when the miner is full.
    private mutating func makeRoom() {
        if count >= max(1, configuration.maxTemplates), recency.oldest >= 0 {
            remove(slot: Int(recency.oldest))
            evictions += 1
        }
    }

    /// When the message differs from `sibling.slot` only in the word at `sibling.position`, and
    /// `wordVariants - 1` templates of the leaf differ from it at most there (or where one has
    /// `<*>`), they merge (`absorbSiblings`); returns the merged template's slot, or `nil` to start
    /// a template.
    private mutating func mergeSiblings(of sibling: (slot: Int, position: Int)?) -> Int? {
        guard let (slot, position) = sibling, configuration.wordVariants > 1 else { return nil }
        guard siblings(of: slot, at: position).count + 1 >= configuration.wordVariants else { return nil }
        return absorbSiblings(of: slot, at: position)
    }

    /// The templates in `slot`'s leaf (itself included) that have a word (or `<*>`) at `position`
    /// and agree with it everywhere else, a `<*>` agreeing with anything.
    private func siblings(of slot: Int, at position: Int) -> [Int] {
        guard let leaf = clusters[slot].nodeKeys.last, let candidates = leaves[leaf] else { return [slot] }
        let pattern = clusters[slot].tokens
        var family: [Int] = []
        for candidate in candidates {
            let other = Int(candidate)
            let tokens = clusters[other].tokens
            guard tokens.count == pattern.count,
                other == slot || clusters[other].words[position] || tokens[position] == Self.wildcardHash
            else { continue }
            let agrees = (0..<tokens.count).allSatisfy {
                $0 == position || tokens[$0] == pattern[$0] || tokens[$0] == Self.wildcardHash || pattern[$0] == Self.wildcardHash
            }
            if agrees { family.append(other) }
        }
        return family
    }

    /// Merges `slot` and its siblings at `position` into the oldest of them, whose `position` (and
    /// any place where they disagree) becomes `<*>`; the others' ids become aliases of its id.
    /// Returns the survivor's slot.
    private mutating func absorbSiblings(of slot: Int, at position: Int) -> Int {
        let family = siblings(of: slot, at: position)
        let survivor = family.min { clusters[$0].id < clusters[$1].id } ?? slot
        makeVariable(slot: survivor, at: position)
        for other in family where other != survivor {
            for index in clusters[survivor].tokens.indices where clusters[other].tokens[index] != clusters[survivor].tokens[index] {
                makeVariable(slot: survivor, at: index)
            }
            clusters[survivor].count += clusters[other].count
            clusters[survivor].firstSeen = min(clusters[survivor].firstSeen, clusters[other].firstSeen)
            clusters[survivor].lastSeen = max(clusters[survivor].lastSeen, clusters[other].lastSeen)
            addAlias(clusters[other].id, joined: clusters[survivor].id)
            remove(slot: other)
        }
        return survivor
    }

    /// Makes the place `index` of the template in `slot` a variable (`<*>`, not a word).
    private mutating func makeVariable(slot: Int, at index: Int) {
        clusters[slot].tokens[index] = Self.wildcardHash
        clusters[slot].texts[index] = Self.wildcard
        clusters[slot].words[index] = false
    }

    private mutating func addAlias(_ id: Int, joined: Int) {
        aliases[id] = joined
        aliasOrder.append(id)
        if aliasOrder.count > max(1, configuration.maxTemplates) {
            let dropped = aliasOrder.count - configuration.maxTemplates
            for old in aliasOrder.prefix(dropped) { aliases[old] = nil }
            aliasOrder.removeFirst(dropped)
        }
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
        if let key = cluster.shapeKey {
            keyed[key] = Int32(slot)
        } else {
            leaves[cluster.nodeKeys.last!, default: []].append(Int32(slot))
        }
        recency.append(slot)
        count += 1
        return slot
    }

    private mutating func remove(slot: Int) {
        let cluster = clusters[slot]
        recency.remove(slot)
        clusters[slot] = Cluster(
            id: 0, tokens: [], texts: [], nodeKeys: [], pathTexts: [], words: [], shapeKey: nil, count: 0, firstSeen: 0,
            lastSeen: 0, service: "", isLive: false)
        freeSlots.append(slot)
        count -= 1
        if let key = cluster.shapeKey {
            keyed[key] = nil
            return
        }
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

    /// The routing key of prefix token `index`: its hash, or the wildcard's when it is masked, has
    /// digits or is a name.
    @inline(__always)
    private func routingHash(_ index: Int) -> UInt64 {
        let token = tokenizer.tokens[index]
        return token.routes ? token.hash : Self.wildcardHash
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

    /// The most similar template in `leaf` that has no other word where the message has a word, if
    /// it reaches the similarity threshold (Drain: the share of equal tokens, wildcards not counted;
    /// ties go to the template with more wildcards). Otherwise, the most similar template that
    /// differs from the message in exactly one word and reaches the threshold without it: a
    /// candidate for `mergeSiblings`.
    private func bestCluster(in leaf: UInt64) -> (match: Int?, sibling: (slot: Int, position: Int)?) {
        guard let candidates = leaves[leaf] else { return (nil, nil) }
        let tokens = tokenizer.tokens
        let length = tokens.count
        var best = -1, bestSimilar = -1, bestWild = -1
        var sibling: (slot: Int, position: Int)?, siblingSimilar = -1
        for candidate in candidates {
            let slot = Int(candidate)
            var similar = 0, wild = 0, conflicts = 0, conflict = -1
            clusters[slot].tokens.withUnsafeBufferPointer { template in
                clusters[slot].words.withUnsafeBufferPointer { words in
                    for index in 0..<length {
                        let token = template[index]
                        if token == Self.wildcardHash {
                            wild += 1
                        } else if token == tokens[index].hash {
                            similar += 1
                        } else if words[index], tokens[index].isWord {
                            conflicts += 1
                            conflict = index
                        }
                    }
                }
            }
            if conflicts == 1, similar > siblingSimilar {
                sibling = (slot, conflict)
                siblingSimilar = similar
            }
            guard conflicts == 0 else { continue }
            if similar > bestSimilar || (similar == bestSimilar && wild > bestWild) {
                best = slot
                bestSimilar = similar
                bestWild = wild
            }
        }
        let threshold = configuration.similarity * Double(length)
        let match = best >= 0 && (length == 0 || Double(bestSimilar) >= threshold) ? best : nil
        return (match, sibling.flatMap { Double(siblingSimilar) >= threshold ? $0 : nil })
    }

    // MARK: - Inspection and persistence

    /// The template with `id` (or the one it merged into), if held.
    public func template(id: Int) -> TemplateInfo? {
        let id = canonicalID(id)
        return clusters.first { $0.isLive && $0.id == id }.map(Self.info)
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

    /// The templates, the next id and the aliases, least recently seen first.
    public func snapshot() -> TemplateSnapshot {
        var snapshot = TemplateSnapshot(
            nextID: nextID,
            templates: recency.slotsInOrder.map { slot in
                let cluster = clusters[slot]
                var entry = TemplateSnapshot.Entry(
                    id: cluster.id, tokens: cluster.texts, path: cluster.pathTexts, count: cluster.count,
                    firstSeen: cluster.firstSeen, lastSeen: cluster.lastSeen, service: cluster.service)
                if cluster.shapeKey != nil { entry.keyed = true }
                return entry
            })
        if !aliasOrder.isEmpty { snapshot.aliases = aliasOrder.compactMap { id in aliases[id].map { [id, $0] } } }
        return snapshot
    }

    /// Replaces the templates with those of `snapshot` (the most recently seen ones when it holds
    /// more than `maxTemplates`). Every template is routed by its own tokens under this version's
    /// rules, so a snapshot from an older version (which routed names) keeps its ids.
    public mutating func restore(_ snapshot: TemplateSnapshot) {
        clusters = []
        freeSlots = []
        recency = LRUList()
        nodes = [:]
        leaves = [:]
        keyed = [:]
        aliases = [:]
        aliasOrder = []
        count = 0
        let kept = snapshot.templates.suffix(max(1, configuration.maxTemplates))
        nextID = max(snapshot.nextID, (snapshot.templates.map(\.id).max() ?? 0) + 1)
        for entry in kept {
            let tokens = entry.tokens.map { $0 == Self.wildcard ? Self.wildcardHash : MessageTokenizer.hash(ofMaskedText: $0) }
            let words = entry.tokens.map { $0 != Self.wildcard && tokenizer.isWord(maskedText: $0) }
            if entry.keyed == true {
                let text = entry.tokens.joined(separator: " ")
                _ = add(
                    Cluster(
                        id: entry.id, tokens: tokens, texts: entry.tokens, nodeKeys: [], pathTexts: [],
                        words: words.map { _ in false }, shapeKey: FNV1a.hash(text), count: entry.count,
                        firstSeen: entry.firstSeen, lastSeen: entry.lastSeen, service: entry.service, isLive: true))
                continue
            }
            let levels = routingLevels(length: tokens.count)
            let pathTexts = entry.tokens.prefix(levels).map {
                $0 != Self.wildcard && tokenizer.routes(maskedText: $0) ? $0 : Self.wildcard
            }
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
                    id: entry.id, tokens: tokens, texts: entry.tokens, nodeKeys: keys, pathTexts: pathTexts, words: words,
                    shapeKey: nil, count: entry.count, firstSeen: entry.firstSeen, lastSeen: entry.lastSeen,
                    service: entry.service, isLive: true))
        }
        for pair in snapshot.aliases ?? [] where pair.count == 2 { addAlias(pair[0], joined: pair[1]) }
    }
}
