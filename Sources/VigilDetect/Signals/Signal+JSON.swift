import Foundation
import VigilCore

extension Signal {
    /// The signal as one line of JSON (no newline): detector, name, fingerprint, key (an object),
    /// severity, title, start and end (RFC 3339, ns), count, score, status, evidence and, for the
    /// statistical detectors, `explanation` — as `vigil replay -o json` prints it and
    /// `GET /v1/signals` serves it.
    public var jsonLine: String {
        var object: [String: Any] = [
            "detector": detector.rawValue,
            "name": name,
            "fingerprint": fingerprint,
            "key": Dictionary(key.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
            "severity": severity.name,
            "title": title,
            "start": TimeFormatter.rfc3339(start, fractionDigits: 9),
            "end": TimeFormatter.rfc3339(end, fractionDigits: 9),
            "count": count,
            "score": score.isFinite ? score : 0,
            "status": status.rawValue,
        ]
        object["evidence"] = evidence.map { evidence -> [String: Any] in
            [
                "time": TimeFormatter.rfc3339(evidence.time, fractionDigits: 9), "host": evidence.host,
                "service": evidence.service, "level": evidence.severity.name, "message": evidence.message,
            ]
        }
        if let explanation { object["explanation"] = explanation.jsonObject }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension SignalExplanation {
    /// `{"measure", "observed", "expected", "lower", "upper", "parameters": {name: value}}`.
    public var jsonObject: [String: Any] {
        func number(_ value: Double) -> Double { value.isFinite ? value : 0 }
        return [
            "measure": measure, "observed": number(observed), "expected": number(expected), "lower": number(lower),
            "upper": number(upper),
            "parameters": Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }),
        ]
    }
}
