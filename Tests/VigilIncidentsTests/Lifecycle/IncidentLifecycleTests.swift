import Testing
import VigilIncidentsTestSupport
import VigilCore
import VigilDetect
@testable import VigilIncidents

@Suite struct IncidentLifecycleTests {
    let policy = IncidentsConfiguration()
    let now = Signals.start
    let minute: Int64 = 60 * Signals.second

    @Test func aFiringSignalWithANewFingerprintOpensAnIncident() {
        #expect(IncidentLifecycle.decide(Signals.rule(), for: nil, policy: policy, now: now) == .open)
        let incident = IncidentLifecycle.open(Signals.rule(records: 3), id: "x", number: 7, policy: policy, now: now)
        #expect(incident.status == .firing)
        #expect(incident.reference == "INC-7")
        #expect(incident.signalCount == 1)
        #expect(incident.severity == .error)
        #expect(incident.firstSeen == now - 10 * Signals.second && incident.lastSeen == now)
        #expect(incident.evidence.records.count == 3)
        #expect(incident.openedAt == now)
    }

    @Test func aResolvedSignalWithNothingOpenIsIgnored() {
        #expect(IncidentLifecycle.decide(Signals.rule(status: .resolved), for: nil, policy: policy, now: now) == .ignore)
    }

    @Test func aRepeatUpdatesCountLastSeenAndEvidenceWithoutANewIncident() {
        let open = Signals.incident()
        let later = Signals.rule(at: now + minute, records: 2)
        guard case .change(let updated, let events) = IncidentLifecycle.decide(later, for: open, policy: policy, now: now + minute)
        else { Issue.record("not a change"); return }
        #expect(events == [.updated])
        #expect(updated.signalCount == 2)
        #expect(updated.lastSeen == now + minute)
        #expect(updated.firstSeen == open.firstSeen)
        #expect(updated.evidence.until == now + minute)
        #expect(updated.id == open.id && updated.status == .firing)
    }

    @Test func aRepeatOfHigherSeverityRaisesItAndSaysSo() {
        let open = Signals.incident()
        guard case .change(let raised, let events) = IncidentLifecycle.decide(
            Signals.rule(severity: .critical), for: open, policy: policy, now: now)
        else { Issue.record("not a change"); return }
        #expect(events == [.severityChanged])
        #expect(raised.severity == .critical)
        guard case .change(let kept, let lowerEvents) = IncidentLifecycle.decide(
            Signals.rule(severity: .warning), for: raised, policy: policy, now: now)
        else { Issue.record("not a change"); return }
        #expect(lowerEvents == [.updated])
        #expect(kept.severity == .critical)
    }

    @Test func anAcknowledgedIncidentTakesRepeatsQuietly() throws {
        let acknowledged = try IncidentLifecycle.acknowledge(Signals.incident(), by: "ops", now: now)
        guard case .change(let updated, let events) = IncidentLifecycle.decide(Signals.rule(), for: acknowledged, policy: policy, now: now)
        else { Issue.record("not a change"); return }
        #expect(events == [.updated])
        #expect(!events.contains { $0.notifies })
        #expect(updated.status == .acknowledged)
    }

    @Test func theDetectorsResolvedSignalResolvesAnOpenIncident() throws {
        for open in [Signals.incident(), try IncidentLifecycle.acknowledge(Signals.incident(), by: "ops", now: now)] {
            guard case .change(let resolved, let events) = IncidentLifecycle.decide(
                Signals.rule(status: .resolved, at: now + minute), for: open, policy: policy, now: now + 2 * minute)
            else { Issue.record("not a change"); return }
            #expect(events == [.resolved])
            #expect(resolved.status == .resolved)
            #expect(resolved.resolvedBy == "auto")
            #expect(resolved.resolvedAt == now + 2 * minute)
            #expect(resolved.signalCount == open.signalCount)
        }
    }

    @Test func resolutionByQuietOrByHandIgnoresTheResolvedSignal() {
        for mode in [IncidentsConfiguration.ResolveOn.quiet, .manual] {
            var policy = policy
            policy.resolveOn = mode
            #expect(IncidentLifecycle.decide(Signals.rule(status: .resolved), for: Signals.incident(), policy: policy, now: now) == .ignore)
        }
    }

    @Test func quietResolutionComesAfterResolveAfterWithoutSignals() {
        var policy = policy
        policy.resolveOn = .quiet
        let open = Signals.incident()
        #expect(IncidentLifecycle.quietResolution(of: open, policy: policy, now: open.lastSeen + policy.resolveAfter - 1) == nil)
        let resolved = IncidentLifecycle.quietResolution(of: open, policy: policy, now: open.lastSeen + policy.resolveAfter)
        #expect(resolved?.status == .resolved)
        #expect(resolved?.resolvedBy == "auto")
        #expect(IncidentLifecycle.quietResolution(of: open, policy: self.policy, now: now + 100 * minute) == nil)
    }

    @Test func firingAgainWithinTheReopenWindowReopensAndCountsAFlap() {
        let resolved = Signals.incident(status: .resolved)
        let within = resolved.resolvedAt! + policy.reopenWindow
        guard case .change(let reopened, let events) = IncidentLifecycle.decide(Signals.rule(), for: resolved, policy: policy, now: within)
        else { Issue.record("not a change"); return }
        #expect(events == [.reopened])
        #expect(reopened.status == .firing)
        #expect(reopened.flapCount == 1)
        #expect(reopened.signalCount == 2)
        #expect(reopened.resolvedAt == nil && reopened.resolvedBy == nil)
        #expect(reopened.id == resolved.id)
    }

    @Test func firingAfterTheReopenWindowOpensANewIncident() {
        let resolved = Signals.incident(status: .resolved)
        #expect(IncidentLifecycle.decide(Signals.rule(), for: resolved, policy: policy, now: resolved.resolvedAt! + policy.reopenWindow + 1) == .open)
    }

    @Test func aMergedIncidentTakesNoSignals() {
        #expect(IncidentLifecycle.decide(Signals.rule(), for: Signals.incident(status: .merged), policy: policy, now: now) == .ignore)
        #expect(IncidentLifecycle.decide(Signals.rule(status: .resolved), for: Signals.incident(status: .resolved), policy: policy, now: now) == .ignore)
    }

    // MARK: Actions: every state against every action

    @Test(arguments: IncidentStatus.allCases)
    func acknowledgeIsAllowedOnlyWhileFiring(_ status: IncidentStatus) throws {
        let incident = Signals.incident(status: status)
        if status == .firing {
            let acknowledged = try IncidentLifecycle.acknowledge(incident, by: "ops", now: now + minute)
            #expect(acknowledged.status == .acknowledged)
            #expect(acknowledged.acknowledgedBy == "ops" && acknowledged.acknowledgedAt == now + minute)
        } else {
            #expect(throws: IncidentTransitionError.notAllowed(action: .acknowledge, incident: "INC-1", status: status)) {
                try IncidentLifecycle.acknowledge(incident, by: "ops", now: now)
            }
        }
    }

    @Test(arguments: IncidentStatus.allCases)
    func resolveIsAllowedWhileOpen(_ status: IncidentStatus) throws {
        let incident = Signals.incident(status: status)
        if status.isOpen {
            let resolved = try IncidentLifecycle.resolve(incident, by: "ops", now: now + minute)
            #expect(resolved.status == .resolved && resolved.resolvedBy == "ops" && resolved.resolvedAt == now + minute)
        } else {
            #expect(throws: IncidentTransitionError.notAllowed(action: .resolve, incident: "INC-1", status: status)) {
                try IncidentLifecycle.resolve(incident, by: "ops", now: now)
            }
        }
    }

    @Test(arguments: IncidentStatus.allCases)
    func reopenIsAllowedOnlyWhenResolved(_ status: IncidentStatus) throws {
        let incident = Signals.incident(status: status)
        if status == .resolved {
            let reopened = try IncidentLifecycle.reopen(incident, now: now)
            #expect(reopened.status == .firing && reopened.resolvedAt == nil && reopened.flapCount == 0)
        } else {
            #expect(throws: IncidentTransitionError.notAllowed(action: .reopen, incident: "INC-1", status: status)) {
                try IncidentLifecycle.reopen(incident, now: now)
            }
        }
    }

    @Test(arguments: IncidentStatus.allCases, IncidentStatus.allCases)
    func mergeNeedsAnUnmergedSourceAndTarget(_ sourceStatus: IncidentStatus, _ targetStatus: IncidentStatus) throws {
        let source = Signals.incident("a", number: 1, status: sourceStatus)
        let target = Signals.incident("b", number: 2, status: targetStatus)
        if sourceStatus == .merged {
            #expect(throws: IncidentTransitionError.notAllowed(action: .merge, incident: "INC-1", status: .merged)) {
                try IncidentLifecycle.merge(source, into: target, policy: policy, now: now)
            }
        } else if targetStatus == .merged {
            #expect(throws: IncidentTransitionError.mergeIntoMerged(incident: "INC-1", target: "INC-2", finalTarget: nil)) {
                try IncidentLifecycle.merge(source, into: target, policy: policy, now: now)
            }
        } else {
            let merged = try IncidentLifecycle.merge(source, into: target, policy: policy, now: now)
            #expect(merged.source.status == .merged && merged.source.mergedInto == target.id)
            #expect(merged.target.status == targetStatus)
            #expect(merged.target.signalCount == 2)
        }
    }

    @Test func mergingIntoItselfIsRefused() {
        let incident = Signals.incident()
        #expect(throws: IncidentTransitionError.mergeIntoItself(incident: "INC-1")) {
            try IncidentLifecycle.merge(incident, into: incident, policy: policy, now: now)
        }
    }

    @Test func aMergeMovesCountRangeEvidenceAndSeverity() throws {
        var source = IncidentLifecycle.open(Signals.rule("a", severity: .critical, at: now - minute, records: 3), id: "s", number: 1, policy: policy, now: now)
        source.signalCount = 4
        let target = IncidentLifecycle.open(Signals.rule("b", at: now, records: 3), id: "t", number: 2, policy: policy, now: now)
        let merged = try IncidentLifecycle.merge(source, into: target, policy: policy, now: now)
        #expect(merged.target.signalCount == 5)
        #expect(merged.target.firstSeen == source.firstSeen)
        #expect(merged.target.lastSeen == target.lastSeen)
        #expect(merged.target.severity == .critical)
        #expect(merged.targetEvent == .severityChanged)
        #expect(merged.target.evidence.records.count == policy.evidenceLimit)
        #expect(merged.target.evidence.records.map(\.time) == merged.target.evidence.records.map(\.time).sorted())
        #expect(merged.target.evidence.services == ["b"])
    }

    @Test func theFirstAcknowledgementIsKeptThroughAReopen() throws {
        let acknowledged = try IncidentLifecycle.acknowledge(Signals.incident(), by: "ops", now: now + minute)
        let resolved = try IncidentLifecycle.resolve(acknowledged, by: "ops", now: now + 2 * minute)
        let reopened = try IncidentLifecycle.reopen(resolved, now: now + 3 * minute)
        let again = try IncidentLifecycle.acknowledge(reopened, by: "dev", now: now + 4 * minute)
        #expect(again.acknowledgedAt == now + minute && again.acknowledgedBy == "ops")
        #expect(again.status == .acknowledged)
    }

    @Test func errorsNameTheStates() {
        #expect(
            IncidentTransitionError.notAllowed(action: .acknowledge, incident: "INC-3", status: .resolved).description
                == "cannot acknowledge INC-3: it is resolved; only a firing incident can be acknowledged")
        #expect(
            IncidentTransitionError.notAllowed(action: .merge, incident: "INC-3", status: .merged).description
                == "cannot merge INC-3: it is merged; only a firing, acknowledged or resolved incident can be merged")
        #expect(
            IncidentTransitionError.mergeIntoMerged(incident: "INC-1", target: "INC-2", finalTarget: "INC-5").description
                == "cannot merge INC-1 into INC-2: INC-2 is merged (into INC-5); merge into INC-5 instead")
    }

    @Test func syslogSeveritiesMapToPagerDutys() {
        #expect([Severity.emerg, .alert, .crit].allSatisfy { IncidentSeverity($0) == .critical })
        #expect(IncidentSeverity(.err) == .error)
        #expect(IncidentSeverity(.warning) == .warning)
        #expect([Severity.notice, .info, .debug].allSatisfy { IncidentSeverity($0) == .info })
        #expect(IncidentSeverity(parsing: "CRITICAL") == .critical)
        #expect(IncidentSeverity(parsing: "err") == .error)
        #expect(IncidentSeverity(parsing: "nope") == nil)
    }

    @Test func evidenceGivesTheQueryThatPrintsItsRecords() {
        let evidence = IncidentEvidence(
            since: 1_800_000_000_000_000_001, until: 1_800_000_060_000_000_000, services: ["api"], hosts: ["web 1"],
            minimumSeverity: .err, messagePattern: "time(out)?", fields: [GroupValue(name: "status", value: "500")])
        #expect(
            evidence.queryArguments == [
                "--since", "2027-01-15T08:00:00.000000001Z", "--until", "2027-01-15T08:01:00.000000000Z", "-u", "api", "-H",
                "web 1", "-p", "err", "-g", "time(out)?", "--case-sensitive", "-F", "status=500",
            ])
        #expect(ShellQuoting.quoted("web 1") == "'web 1'")
        #expect(ShellQuoting.quoted("it's") == "'it'\\''s'")
        #expect(ShellQuoting.quoted("api") == "api")
    }
}
