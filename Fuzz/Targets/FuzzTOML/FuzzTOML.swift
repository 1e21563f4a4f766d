import FuzzSupport
import VigilCore
import VigilSettings

/// A configuration file: the TOML parser, then everything vigild reads from it.
func harness(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let table = try? TOMLParser.parse(bytes: Array(bytes), file: "fuzz.toml") else { return }
    _ = try? DaemonConfiguration(document: ConfigurationDocument(root: table, files: ["fuzz.toml"]))
    _ = ConfigurationReport.render(table)
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { harness(UnsafeBufferPointer(start: data, count: size)); return 0 }
@_cdecl("FuzzTOML_main")  // SwiftPM's name for this executable's entry point
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzReplay.main(harness) } }
#endif
