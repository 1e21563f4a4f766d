/// What the new-template detector tracks for one template slot.
struct TemplateWatch {
    /// Event time of the template's first message.
    var createdAt: Int64 = 0
    /// Whether the template is new and still within its window, not yet fired.
    var isWatched = false
    /// Occurrences since creation while watched.
    var occurrences = 0
    /// Whether a burst was reported (once per template until it stops being rare).
    var burstReported = false
    /// The first occurrences while watched (new template), or the latest (rare template).
    var evidence: [Evidence] = []
    /// The latest `burst_count` occurrence times while the template is rare.
    var recentTimes: [Int64] = []
    var nextRecent = 0
}
