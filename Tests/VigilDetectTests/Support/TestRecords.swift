import VigilCore

@testable import VigilDetect

/// Nanoseconds in a second.
let second: Int64 = 1_000_000_000

/// A record at `seconds` of event time.
func record(
    _ seconds: Double, service: String = "api", host: String = "web-01", severity: Severity = .err,
    message: String = "request failed", fields: LogFields = [:]
) -> LogRecord {
    LogRecord(
        time: Int64((seconds * 1e9).rounded()), host: host, service: service, severity: severity, message: message,
        fields: fields)
}

/// A record at `nanos` of event time.
func record(nanos: Int64, service: String = "api", severity: Severity = .err, message: String = "request failed") -> LogRecord {
    LogRecord(time: nanos, host: "web-01", service: service, severity: severity, message: message)
}

extension DetectionConfiguration {
    /// Only the given rules, no statistical detectors, no lateness.
    static func rulesOnly(_ rules: [RuleConfiguration] = [RuleConfiguration.defaultRule], lateness: Int64 = 0) -> Self {
        var configuration = DetectionConfiguration()
        configuration.rules = rules
        configuration.rate.enabled = false
        configuration.errorRatio.enabled = false
        configuration.newTemplate.enabled = false
        configuration.lateness = lateness
        return configuration
    }

    /// Only the named detector on, no rules.
    static func detectorOnly(_ kind: DetectorKind, lateness: Int64 = 0) -> Self {
        var configuration = DetectionConfiguration.rulesOnly([], lateness: lateness)
        switch kind {
        case .rate: configuration.rate.enabled = true
        case .errorRatio: configuration.errorRatio.enabled = true
        case .newTemplate: configuration.newTemplate.enabled = true
        case .rule: break
        }
        return configuration
    }
}


/// Runs `records` through a fresh engine and flushes, returning every signal.
func run(_ configuration: DetectionConfiguration, _ records: [LogRecord]) -> [Signal] {
    let engine = DetectionEngine(configuration: configuration)
    return engine.process(records) + engine.flush()
}
