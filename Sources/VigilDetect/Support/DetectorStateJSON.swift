import Foundation

/// Why a saved detector state (templates, absence) could not be read.
public enum DetectorStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are not such a state.
    case malformed(state: String, reason: String)
    /// The state was written by a format version this build does not read.
    case unsupportedVersion(state: String, version: Int, supported: Int)

    public var description: String {
        switch self {
        case .malformed(let state, let reason): "\(state) is not valid: \(reason)"
        case .unsupportedVersion(let state, let version, let supported):
            "\(state) version \(version) is not supported (this build reads \(supported))"
        }
    }
}

/// The JSON form of saved detector states: compact, keys sorted, a `version` checked on reading.
enum DetectorStateJSON {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // The states hold plain strings, numbers and booleans: encoding them cannot fail.
        return Array((try? encoder.encode(value)) ?? Data())
    }

    /// Decodes `bytes` as a `T` named `state`, refusing a `version` other than `supported`.
    static func decode<T: Decodable>(
        _ type: T.Type, from bytes: some Collection<UInt8>, state: String, version: (T) -> Int, supported: Int
    ) throws(DetectorStateError) -> T {
        let decoded: T
        do {
            decoded = try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw .malformed(state: state, reason: String(describing: error))
        }
        guard version(decoded) == supported else {
            throw .unsupportedVersion(state: state, version: version(decoded), supported: supported)
        }
        return decoded
    }
}
