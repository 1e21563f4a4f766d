import VigilCore
import VigilDetect

/// The incident state machine, on plain values: what a signal does to the incident its
/// fingerprint routes to, and which manual actions each state allows. It does no I/O; the store
/// runs it inside the transaction that writes its result.
public enum IncidentLifecycle {
    /// What a signal does.
    public enum SignalDecision: Sendable, Hashable {
        /// Open a new incident for the fingerprint (`open(_:id:number:policy:now:)`).
        case open
        /// The incident as changed, and the events to record.
        case change(Incident, [IncidentEventType])
        /// Nothing to do (a resolved signal with nothing open, or resolution not by signal).
        case ignore
    }

    /// What `signal` does to `incident`, the one its fingerprint routes to (`nil` when none).
    ///
    /// A firing signal opens an incident, updates an open one (count, last seen, evidence; the
    /// severity only rises), reopens a resolved one within `reopenWindow` of its resolution (a
    /// flap), or opens a new one after that. A resolved signal resolves an open incident when
    /// `resolve_on = "signal"`.
    public static func decide(
        _ signal: IncidentSignal, for incident: Incident?, policy: IncidentsConfiguration, now: Int64
    ) -> SignalDecision {
        guard var incident else { return signal.status == .firing ? .open : .ignore }
        switch (signal.status, incident.status) {
        case (.firing, .firing), (.firing, .acknowledged):
            let raised = absorb(signal, into: &incident, policy: policy, now: now)
            return .change(incident, [raised ? .severityChanged : .updated])
        case (.firing, .resolved):
            guard let resolvedAt = incident.resolvedAt, now &- resolvedAt <= policy.reopenWindow else { return .open }
            _ = absorb(signal, into: &incident, policy: policy, now: now)
            incident.status = .firing
            incident.flapCount += 1
            incident.resolvedAt = nil
            incident.resolvedBy = nil
            return .change(incident, [.reopened])
        case (.resolved, .firing), (.resolved, .acknowledged):
            guard policy.resolveOn == .signal else { return .ignore }
            incident.lastSeen = max(incident.lastSeen, signal.evidence.until)
            incident.evidence.until = max(incident.evidence.until, signal.evidence.until)
            markResolved(&incident, by: "auto", now: now)
            return .change(incident, [.resolved])
        case (_, .merged), (.resolved, .resolved):
            return .ignore
        }
    }

    /// A new incident for `signal`, firing.
    public static func open(
        _ signal: IncidentSignal, id: String, number: Int, policy: IncidentsConfiguration, now: Int64
    ) -> Incident {
        var evidence = signal.evidence
        evidence.records = IncidentEvidence.newest(evidence.records, limit: policy.evidenceLimit)
        return Incident(
            id: id, number: number, title: signal.title, severity: signal.severity, status: .firing,
            fingerprint: signal.fingerprint, detector: signal.detector, name: signal.name, labels: signal.labels,
            firstSeen: evidence.since, lastSeen: evidence.until, openedAt: now, signalCount: 1, evidence: evidence,
            updatedAt: now)
    }

    /// Acknowledges a firing incident: it stays open and its repeats no longer notify.
    public static func acknowledge(_ incident: Incident, by actor: String, now: Int64) throws(IncidentTransitionError) -> Incident {
        try check(.acknowledge, incident)
        var incident = incident
        incident.status = .acknowledged
        if incident.acknowledgedAt == nil {
            incident.acknowledgedAt = now
            incident.acknowledgedBy = actor
        }
        incident.updatedAt = now
        return incident
    }

    /// Resolves an open incident by hand.
    public static func resolve(_ incident: Incident, by actor: String, now: Int64) throws(IncidentTransitionError) -> Incident {
        try check(.resolve, incident)
        var incident = incident
        markResolved(&incident, by: actor, now: now)
        return incident
    }

    /// Reopens a resolved incident by hand (not counted as a flap).
    public static func reopen(_ incident: Incident, now: Int64) throws(IncidentTransitionError) -> Incident {
        try check(.reopen, incident)
        var incident = incident
        incident.status = .firing
        incident.resolvedAt = nil
        incident.resolvedBy = nil
        incident.updatedAt = now
        return incident
    }

    /// Merges `source` into `target`: the source becomes `merged`, and its signal count, time range,
    /// evidence and (if higher) severity move to the target. The caller routes the source's
    /// fingerprints to the target. Returns both, and the target's event (`updated`, or
    /// `severity_changed` when the merge raised it).
    public static func merge(
        _ source: Incident, into target: Incident, policy: IncidentsConfiguration, now: Int64
    ) throws(IncidentTransitionError) -> (source: Incident, target: Incident, targetEvent: IncidentEventType) {
        guard source.id != target.id else { throw .mergeIntoItself(incident: source.reference) }
        try check(.merge, source)
        guard target.status != .merged else {
            throw .mergeIntoMerged(incident: source.reference, target: target.reference, finalTarget: nil)
        }
        var source = source, target = target
        source.status = .merged
        source.mergedInto = target.id
        source.updatedAt = now
        target.signalCount += source.signalCount
        target.firstSeen = min(target.firstSeen, source.firstSeen)
        target.lastSeen = max(target.lastSeen, source.lastSeen)
        target.evidence = target.evidence.merging(source.evidence, limit: policy.evidenceLimit)
        let raised = source.severity < target.severity
        if raised { target.severity = source.severity }
        target.updatedAt = now
        return (source, target, raised ? .severityChanged : .updated)
    }

    /// Sets or clears the assignee.
    public static func assign(_ incident: Incident, to assignee: String?, now: Int64) -> Incident {
        var incident = incident
        incident.assignee = assignee
        incident.updatedAt = now
        return incident
    }

    /// The incident resolved by the quiet period, when `resolve_on = "quiet"` and it has had no
    /// signal for `resolve_after` of event time (`now` being the current event time); else `nil`.
    public static func quietResolution(of incident: Incident, policy: IncidentsConfiguration, now: Int64) -> Incident? {
        guard policy.resolveOn == .quiet, incident.status.isOpen, incident.lastSeen &+ policy.resolveAfter <= now else {
            return nil
        }
        var incident = incident
        markResolved(&incident, by: "auto", now: now)
        return incident
    }

    /// Adds a repeat signal to an open or reopening incident; returns whether it raised the severity.
    private static func absorb(
        _ signal: IncidentSignal, into incident: inout Incident, policy: IncidentsConfiguration, now: Int64
    ) -> Bool {
        incident.signalCount += 1
        incident.firstSeen = min(incident.firstSeen, signal.evidence.since)
        incident.lastSeen = max(incident.lastSeen, signal.evidence.until)
        incident.evidence = incident.evidence.merging(signal.evidence, limit: policy.evidenceLimit)
        incident.updatedAt = now
        guard signal.severity < incident.severity else { return false }
        incident.severity = signal.severity
        return true
    }

    private static func markResolved(_ incident: inout Incident, by actor: String, now: Int64) {
        incident.status = .resolved
        incident.resolvedAt = now
        incident.resolvedBy = actor
        incident.updatedAt = now
    }

    private static func check(_ action: IncidentAction, _ incident: Incident) throws(IncidentTransitionError) {
        guard action.allowedFrom.contains(incident.status) else {
            throw .notAllowed(action: action, incident: incident.reference, status: incident.status)
        }
    }
}
