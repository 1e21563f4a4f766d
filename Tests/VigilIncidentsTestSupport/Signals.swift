import VigilCore
import VigilDetect
import VigilIncidents

/// Signals and incidents for the incident tests, with readable defaults.
public enum Signals {
    public static let second: Int64 = 1_000_000_000
    public static let start: Int64 = 1_800_000_000 * second

    /// A signal of the `errors` rule for `service`.
    public static func rule(
        _ service: String = "api", status: SignalStatus = .firing, severity: IncidentSeverity = .error,
        at time: Int64 = start, records: Int = 1
    ) -> IncidentSignal {
        let labels = [GroupValue(name: "service", value: service)]
        let evidence = IncidentEvidence(
            since: time - 10 * second, until: time, services: [service], minimumSeverity: .err,
            records: (0..<records).map {
                EvidenceRecord(time: time - Int64($0) * second, host: "h1", service: service, severity: .err, message: "boom \($0)")
            })
        return IncidentSignal(
            fingerprint: Signal.fingerprint(name: "errors", key: labels), detector: "rule", name: "errors", labels: labels,
            severity: severity, title: "\(service): 6 errors in 1m", status: status, evidence: evidence)
    }

    /// A firing incident opened from `rule(service)`.
    public static func incident(_ service: String = "api", number: Int = 1, status: IncidentStatus = .firing) -> Incident {
        var incident = IncidentLifecycle.open(
            rule(service), id: "id-\(number)", number: number, policy: IncidentsConfiguration(), now: start)
        incident.status = status
        if status == .resolved { incident.resolvedAt = start }
        if status == .merged { incident.mergedInto = "id-99" }
        return incident
    }
}
