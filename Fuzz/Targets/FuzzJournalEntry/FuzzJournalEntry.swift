import FuzzSupport
import VigilIngest

/// One journal entry as the journald input decodes it: the first 8 bytes are its realtime
/// timestamp (µs), the rest `NAME=value` fields separated by NUL bytes.
func harness(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard bytes.count >= 8 else { return }
    var realtime: UInt64 = 0
    for byte in bytes.prefix(8) { realtime = realtime << 8 | UInt64(byte) }
    var decoder = JournalEntryDecoder(fieldAllowList: ["_PID", "_SYSTEMD_UNIT", "CODE_FILE"])
    for field in bytes.dropFirst(8).split(separator: 0, omittingEmptySubsequences: true) {
        field.withContiguousStorageIfAvailable { decoder.add(UnsafeRawBufferPointer($0)) }
    }
    _ = decoder.record(realtime: realtime, receivedAt: 1_800_000_000_000_000_000)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { harness(UnsafeBufferPointer(start: data, count: size)); return 0 }
@_cdecl("FuzzJournalEntry_main")  // SwiftPM's name for this executable's entry point
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzReplay.main(harness) } }
#endif
