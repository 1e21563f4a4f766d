import Synchronization
import VigilIncidents

/// The incidents signals touched lately and where their fingerprints route, kept by the writer so a
/// storm does not read and decode the same rows in every transaction.
///
/// Only write transactions use it, and only inside them (GRDB runs one at a time): a transaction
/// that changes an incident updates or forgets its entry before it commits, and a transaction that
/// fails clears the whole cache, so the cache never holds what the database does not. Reads (the
/// API) always go to the database. Bounded: past `capacity` incidents it starts over, which costs a
/// few reads, not correctness.
final class IncidentCache: Sendable {
    private struct State {
        var incidents: [String: Incident] = [:]
        var routes: [String: String] = [:]
    }

    /// Incidents kept at most (a few KiB each with their evidence).
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 2_048) {
        self.capacity = capacity
    }

    /// The incident `fingerprint` routes to, if known.
    func routed(_ fingerprint: String) -> Incident? {
        state.withLock { state in state.routes[fingerprint].flatMap { state.incidents[$0] } }
    }

    /// Remembers `incident` as it is now committed (or about to be) and the fingerprints routing to it.
    func keep(_ incident: Incident, routedFrom fingerprints: [String]) {
        state.withLock { state in
            if state.incidents[incident.id] == nil, state.incidents.count >= capacity {
                state = State()
            }
            state.incidents[incident.id] = incident
            for fingerprint in fingerprints { state.routes[fingerprint] = incident.id }
        }
    }

    /// Forgets an incident (an action changed it).
    func forget(_ id: String) {
        _ = state.withLock { $0.incidents.removeValue(forKey: id) }
    }

    /// Forgets everything (a merge re-routed fingerprints, retention deleted rows, or a transaction failed).
    func clear() {
        state.withLock { $0 = State() }
    }
}
