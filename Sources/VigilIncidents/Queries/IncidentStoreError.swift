/// Why the incident store refused a request or could not open.
public enum IncidentStoreError: Error, Sendable, CustomStringConvertible {
    /// No incident has this id or number.
    case notFound(String)
    /// No webhook delivery has this id (`webhook-id`).
    case deliveryNotFound(String)
    /// The incident's state does not allow the action (answered 409).
    case transition(IncidentTransitionError)
    /// The file or database is not Vigil's incident database: another application's, or not
    /// SQLite at all.
    case foreign(path: String, reason: String)
    /// The file or database was written by a newer vigild, whose schema this one does not know.
    case newerSchema(path: String, migrations: [String])
    /// The database failed (`path`: the file, or the PostgreSQL URL without its password).
    case database(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let reference):
            return "no incident \(reference)"
        case .deliveryNotFound(let id):
            return "no webhook delivery \(id)"
        case .transition(let error):
            return error.description
        case .foreign(let path, let reason):
            let remedy = path.hasPrefix("postgres://") ? "give vigild a database of its own" : "move it away or set another data_dir"
            return "\(path) is not a Vigil incident database (\(reason)); \(remedy). It was left as it is"
        case .newerSchema(let path, let migrations):
            return "\(path) was written by a newer vigild (schema \(migrations.joined(separator: ", "))); upgrade vigild"
        case .database(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
