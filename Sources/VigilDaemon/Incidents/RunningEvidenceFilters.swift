import Synchronization
import VigilDetect
import VigilIncidents

/// The evidence filters of the rules vigild runs now: read by the incident service for every
/// batch of signals, replaced by a SIGHUP reload.
final class RunningEvidenceFilters: Sendable {
    private let current: Mutex<IncidentEvidenceFilters>

    init(_ configuration: DetectionConfiguration) {
        current = Mutex(IncidentEvidenceFilters(configuration: configuration))
    }

    var filters: IncidentEvidenceFilters { current.withLock { $0 } }

    func replace(with configuration: DetectionConfiguration) {
        let filters = IncidentEvidenceFilters(configuration: configuration)
        current.withLock { $0 = filters }
    }
}
