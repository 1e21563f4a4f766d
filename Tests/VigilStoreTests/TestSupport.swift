import Foundation
import VigilCore
import VigilTestSupport
@testable import VigilStore


/// The store tests' name for the one scratch-directory helper of all test targets.
typealias TemporaryDirectory = Scratch

enum RecordFactory {
    static let services = ["sshd", "nginx", "checkout", "payments", "kernel", "cron", ""]
    static let hosts = ["web-1", "web-2", "db-1", ""]
    static let words = ["alpha", "beta", "Gamma", "delta", "error", "timeout", "connect", "user", "ÜNICODE", "ключ", "x"]

    /// Random records with times spread (and shuffled a little) around `base`.
    static func records(count: Int, base: Int64 = 1_763_000_000_000_000_000, using random: inout SplitMix) -> [LogRecord] {
        (0..<count).map { i in
            let time = base + Int64(i) * 1_000_000 + Int64.random(in: -5_000_000...5_000_000, using: &random)
            var fields = LogFields()
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                fields["k\(Int.random(in: 0..<4, using: &random))"] = "v\(Int.random(in: 0..<3, using: &random))"
            }
            let wordCount = Int.random(in: 0...12, using: &random)
            var message = (0..<wordCount).map { _ in words.randomElement(using: &random)! }.joined(separator: " ")
            if Int.random(in: 0..<50, using: &random) == 0 { message += "\nsecond line" }
            return LogRecord(
                time: time, receivedAt: time + Int64.random(in: 0...1_000_000_000, using: &random),
                host: hosts.randomElement(using: &random)!, service: services.randomElement(using: &random)!,
                severity: Severity(rawValue: UInt8.random(in: 0...7, using: &random))!,
                facility: Bool.random(using: &random) ? Facility(rawValue: UInt8.random(in: 0...23, using: &random)) : nil,
                message: message, fields: fields, isRaw: Int.random(in: 0..<20, using: &random) == 0)
        }
    }
}

/// Reads every record of a store in order.
func readAll(_ directory: String, _ filter: RecordFilter = RecordFilter(), reverse: Bool = false, warnings: inout [String]) throws -> [LogRecord] {
    var collected: [String] = []
    let reader = try StoreReader(directory: directory) { collected.append($0) }
    var records: [LogRecord] = []
    reader.read(filter, reverse: reverse) { records.append($0); return true }
    warnings += collected
    return records
}

func readAll(_ directory: String, _ filter: RecordFilter = RecordFilter(), reverse: Bool = false) throws -> [LogRecord] {
    var warnings: [String] = []
    return try readAll(directory, filter, reverse: reverse, warnings: &warnings)
}

/// Stable sort by event time: the order the store returns records in.
func timeOrdered(_ records: [LogRecord]) -> [LogRecord] {
    records.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
}

/// The directory holding the built products (test bundle and executables).
var productsDirectory: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
}

/// Segment files of a data directory, oldest first.
func segmentPaths(_ directory: String) throws -> [String] {
    try SegmentDirectory(path: directory).segments().map(\.path)
}
