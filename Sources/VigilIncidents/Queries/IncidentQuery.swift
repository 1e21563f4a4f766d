/// Which incidents `IncidentStore.incidents(_:)` lists: every condition given must hold; newest
/// (highest number) first, a page at a time.
public struct IncidentQuery: Sendable, Hashable {
    /// Any of these statuses; empty for all.
    public var statuses: [IncidentStatus] = []
    /// Any of these severities; empty for all.
    public var severities: [IncidentSeverity] = []
    /// Opened at or after (wall time, ns).
    public var since: Int64?
    /// Text the title contains, case-insensitively (ASCII).
    public var text: String?
    /// The value of the `service` label.
    public var service: String?
    /// Incidents per page, 1–1000.
    public var limit = 50
    /// Continue after this cursor (the `next_cursor` of the previous page: a number).
    public var cursor: Int?

    /// Everything, first page.
    public init() {}
}

/// A page of incidents and the cursor of the next page (`nil` on the last).
public struct IncidentPage: Sendable, Hashable {
    /// The incidents, newest first.
    public var incidents: [Incident]
    /// Pass as `IncidentQuery.cursor` for the next page.
    public var nextCursor: Int?

    /// Creates a page.
    public init(incidents: [Incident], nextCursor: Int?) {
        self.incidents = incidents
        self.nextCursor = nextCursor
    }
}
