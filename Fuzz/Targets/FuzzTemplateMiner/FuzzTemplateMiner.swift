import FuzzSupport
import VigilDetect

/// The template miner, which every message reaches: each line of the input is learnt (a small
/// miner, so eviction and word merges happen often), looked up again, and the snapshot must
/// restore to a miner that finds the same templates.
func harness(_ bytes: UnsafeBufferPointer<UInt8>) {
    var configuration = TemplateMinerConfiguration()
    configuration.maxTemplates = 6
    configuration.wordVariants = 2
    var miner = TemplateMiner(configuration: configuration)
    let messages = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(64).map {
        String(decoding: UnsafeBufferPointer(rebasing: $0), as: UTF8.self)
    }
    for (index, message) in messages.enumerated() {
        let match = miner.learn(message, service: "s", time: Int64(index))
        precondition(miner.canonicalID(match.id) > 0)
    }
    let snapshot = miner.snapshot()
    guard let decoded = try? TemplateSnapshot(jsonBytes: snapshot.jsonBytes()) else { preconditionFailure("snapshot JSON") }
    var restored = TemplateMiner(configuration: configuration)
    restored.restore(decoded)
    precondition(restored.templates == miner.templates, "restored templates differ")
    for message in messages { _ = restored.templateID(for: message) }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { harness(UnsafeBufferPointer(start: data, count: size)); return 0 }
@_cdecl("FuzzTemplateMiner_main")  // SwiftPM's name for this executable's entry point
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzReplay.main(harness) } }
#endif
