import Foundation
import VigilCore
import VigilDetect

/// The detectors' state kept in the data directory across restarts:
/// - `templates.json`: the mined templates, so known templates are not reported as new again;
/// - `detect.watermark`: the event time up to which records were evaluated, so the re-warm after a
///   restart evaluates those records silently and signals only what the previous run had not yet
///   seen;
/// - `absence.json`: the `absent` rules' groups (when each went quiet, which are firing), so a
///   stream that stopped before a restart is still missed after it.
///
/// Each is replaced atomically (`AtomicFile`).
struct DetectionStateFiles: Sendable {
    let templatesPath: String
    let watermarkPath: String
    let absencePath: String

    init(dataDirectory: String) {
        templatesPath = dataDirectory + "/templates.json"
        watermarkPath = dataDirectory + "/detect.watermark"
        absencePath = dataDirectory + "/absence.json"
    }

    /// The saved state of the `absent` rules, or nil when there is none.
    func loadAbsence() throws -> AbsenceSnapshot? {
        guard let data = FileManager.default.contents(atPath: absencePath) else { return nil }
        return try AbsenceSnapshot(jsonBytes: Array(data))
    }

    /// The saved templates, or nil when there are none.
    func loadTemplates() throws -> TemplateSnapshot? {
        guard let data = FileManager.default.contents(atPath: templatesPath) else { return nil }
        return try TemplateSnapshot(jsonBytes: Array(data))
    }

    /// The saved watermark (ns), or nil.
    func loadWatermark() -> Int64? {
        guard let data = FileManager.default.contents(atPath: watermarkPath) else { return nil }
        return Int64(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Saves the templates, the watermark and the `absent` rules' state (when there are such rules).
    func save(templates: TemplateSnapshot?, watermark: Int64?, absence: AbsenceSnapshot) throws {
        if let templates { try AtomicFile.write(templates.jsonBytes(), to: templatesPath) }
        if let watermark { try AtomicFile.write(Array("\(watermark)\n".utf8), to: watermarkPath) }
        if !absence.rules.isEmpty { try AtomicFile.write(absence.jsonBytes(), to: absencePath) }
    }
}
