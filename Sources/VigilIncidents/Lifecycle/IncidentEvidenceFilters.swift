import VigilCore
import VigilDetect

/// Turns a detector's signal into the filter that selects the records behind it: the signal's
/// group key (service and host exactly, other names as field equality) and, for a rule, what the
/// rule matches (severity, message pattern, field equality). Field regular expressions have no
/// `vigil query` form and are left out, so such evidence may show a few more records than counted.
public struct IncidentEvidenceFilters: Sendable {
    private let rules: [String: RuleMatch]

    /// Filters for the rules of `configuration`.
    public init(configuration: DetectionConfiguration) {
        var rules: [String: RuleMatch] = [:]
        for rule in configuration.rules { rules[rule.name] = rule.match }
        self.rules = rules
    }

    /// The range and filter of `signal`'s records (no records yet).
    public func evidence(for signal: Signal) -> IncidentEvidence {
        var evidence = IncidentEvidence(since: min(signal.start, signal.end), until: max(signal.start, signal.end))
        for component in signal.key {
            switch component.name {
            case "service": evidence.services.append(component.value)
            case "host": evidence.hosts.append(component.value)
            case "severity", "template": break
            default: evidence.fields.append(component)
            }
        }
        switch signal.detector {
        case .rule:
            guard let match = rules[signal.name] else { break }
            evidence.minimumSeverity = match.severity
            if evidence.services.isEmpty, let service = match.service { evidence.services.append(service.pattern) }
            if evidence.hosts.isEmpty, let host = match.host { evidence.hosts.append(host.pattern) }
            evidence.messagePattern = match.message?.pattern
            for condition in match.fields {
                guard case .equals(let value) = condition.test,
                    !evidence.fields.contains(where: { $0.name == condition.name })
                else { continue }
                evidence.fields.append(GroupValue(name: condition.name, value: value))
            }
        case .errorRatio:
            evidence.minimumSeverity = .err
        case .rate, .newTemplate:
            break
        }
        return evidence
    }
}
