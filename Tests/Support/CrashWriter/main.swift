// A store writer for crash tests: appends numbered batches to a data directory and prints
// `acked RUN BATCH COUNT` on stdout after each append returns. A test kills it with SIGKILL at a
// random moment, reopens the store (recovery), and checks that every acknowledged batch is there.
//
// Usage: vigil-crash-writer DATA_DIR RUN SEED [segment_max_bytes]
import Foundation
import VigilCore
import VigilStore

let arguments = CommandLine.arguments
guard arguments.count >= 4, let run = Int(arguments[2]), let seed = UInt64(arguments[3]) else {
    FileHandle.standardError.write("usage: vigil-crash-writer DATA_DIR RUN SEED [segment_max_bytes]\n".data(using: .utf8)!)
    exit(2)
}
var configuration = StoreConfiguration()
if arguments.count >= 5, let size = Int64(arguments[4]) { configuration.segmentMaxBytes = size }

/// SplitMix64: a tiny deterministic generator.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

var random = SplitMix(state: seed)
let writer = try StoreWriter(directory: arguments[1], configuration: configuration)
let base: Int64 = 1_790_000_000_000_000_000
var batch = 0
while true {
    let count = Int.random(in: 1...400, using: &random)
    let records = (0..<count).map { i in
        LogRecord(
            time: base + Int64(run) * 1_000_000_000_000 + Int64(batch) * 1_000_000 + Int64(i),
            host: "host-\(i % 3)", service: "svc-\(batch % 5)", severity: Severity(rawValue: UInt8(i % 8))!,
            message: "run \(run) batch \(batch) record \(i) " + String(repeating: "x", count: Int.random(in: 0...200, using: &random)),
            fields: ["run": "\(run)", "batch": "\(batch)", "i": "\(i)"])
    }
    try await writer.append(records)
    FileHandle.standardOutput.write("acked \(run) \(batch) \(count)\n".data(using: .utf8)!)
    batch += 1
}
