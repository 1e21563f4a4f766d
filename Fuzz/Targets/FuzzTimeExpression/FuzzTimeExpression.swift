import Foundation
import FuzzSupport
import VigilCore

/// The times and sizes users type (`--since`, `--until`, the API's and the console's `since`,
/// durations and sizes in the configuration) and the timestamps inputs carry.
func harness(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    for zone in [TimeZone(identifier: "UTC")!, TimeZone(identifier: "Pacific/Chatham")!] {
        _ = TimeExpression.parse(text, now: 1_800_000_000_000_000_000, timeZone: zone)
        _ = TimeExpression.parse(text, now: Int64.max, timeZone: zone)
        _ = TimeExpression.parse(text, now: Int64.min, timeZone: zone)
    }
    _ = DurationParser.parse(text)
    _ = ByteSizeParser.parse(text)
    _ = TimestampParser.parseRFC3339(text)
    _ = TimestampParser.parseAny(text)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { harness(UnsafeBufferPointer(start: data, count: size)); return 0 }
@_cdecl("FuzzTimeExpression_main")  // SwiftPM's name for this executable's entry point
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzReplay.main(harness) } }
#endif
