import FuzzSupport
import VigilIngest

/// The logs input's body decoder: the first byte picks the format (JSON, NDJSON, detect) and the
/// encoding (identity or gzip), the rest is the body.
func harness(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let first = bytes.first else { return }
    let body = UnsafeBufferPointer(rebasing: bytes.dropFirst())
    let formats: [HTTPLogDecoder.BodyFormat] = [.json, .ndjson, .detect]
    let decoder = HTTPLogDecoder(maxBodyBytes: 1 << 20)
    _ = try? decoder.decode(
        body, contentEncoding: first & 0x80 != 0 ? "gzip" : nil, format: formats[Int(first & 0x7F) % formats.count],
        receivedAt: 1_800_000_000_000_000_000)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { harness(UnsafeBufferPointer(start: data, count: size)); return 0 }
@_cdecl("FuzzHTTPBody_main")  // SwiftPM's name for this executable's entry point
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzReplay.main(harness) } }
#endif
