/// A change a person (or a script, through the Events API) asks for.
public enum IncidentAction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case acknowledge
    case resolve
    case reopen
    case merge

    /// The states the action may start from.
    public var allowedFrom: [IncidentStatus] {
        switch self {
        case .acknowledge: [.firing]
        case .resolve: [.firing, .acknowledged]
        case .reopen: [.resolved]
        case .merge: [.firing, .acknowledged, .resolved]
        }
    }

    public var description: String { rawValue }
}

/// An action refused because of the incident's state (the API answers 409 with this text).
public enum IncidentTransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The incident is in a state the action does not start from.
    case notAllowed(action: IncidentAction, incident: String, status: IncidentStatus)
    /// An incident cannot be merged into itself.
    case mergeIntoItself(incident: String)
    /// The target of a merge is itself merged (into `finalTarget`).
    case mergeIntoMerged(incident: String, target: String, finalTarget: String?)

    public var description: String {
        switch self {
        case .notAllowed(let action, let incident, let status):
            let allowed = action.allowedFrom.map(\.rawValue)
            let list = allowed.count == 1 ? allowed[0] : allowed.dropLast().joined(separator: ", ") + " or " + allowed.last!
            return "cannot \(action) \(incident): it is \(status); only a \(list) incident can be \(action.pastTense)"
        case .mergeIntoItself(let incident):
            return "cannot merge \(incident) into itself"
        case .mergeIntoMerged(let incident, let target, let finalTarget):
            let hint = finalTarget.map { " (into \($0)); merge into \($0) instead" } ?? ""
            return "cannot merge \(incident) into \(target): \(target) is merged\(hint)"
        }
    }
}

extension IncidentAction {
    /// `acknowledged`, `resolved`, `reopened`, `merged`.
    var pastTense: String {
        switch self {
        case .acknowledge: "acknowledged"
        case .resolve: "resolved"
        case .reopen: "reopened"
        case .merge: "merged"
        }
    }
}
