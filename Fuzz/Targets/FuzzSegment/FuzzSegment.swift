import Foundation
import FuzzSupport
import Logging
import VigilCore
import VigilStore

/// The input is a segment file: the reader (count, reads both ways on one and two threads, the
/// histogram, statistics), `verify`, and the writer's start-up recovery, as `vigil` and vigild meet
/// a damaged or crafted file. Seeds are real sealed segments.
let directory = NSTemporaryDirectory() + "vigil-fuzz-segment-\(getpid())"

func harness(_ bytes: UnsafeBufferPointer<UInt8>) {
    try? FileManager.default.removeItem(atPath: directory)
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: directory + "/segment-000000000001.vseg", contents: Data(buffer: bytes))
    if let reader = try? StoreReader(directory: directory) {
        _ = reader.count(RecordFilter(), threads: 1)
        reader.read(RecordFilter(), threads: 1) { _ in true }
        // Blocks decoded ahead on worker threads, columns decoded in part, fields left out.
        reader.read(RecordFilter(), fields: .only(["pid"]), threads: 2) { _ in true }
        reader.read(RecordFilter(), reverse: true, limit: 3, threads: 2) { _ in true }
        _ = reader.histogram(RecordFilter(), start: 0, width: 86_400_000_000_000, buckets: 8, newest: 3, threads: 1)
        _ = StoreStatistics(catalog: reader.catalog)
    }
    _ = try? StoreVerifier.verify(directory: directory)
    // vigild's start: recovery, then a clean close.
    var quiet = Logger(label: "fuzz")
    quiet.logLevel = .critical
    if let writer = try? StoreWriter(directory: directory, configuration: StoreConfiguration(), logger: quiet) {
        let closed = DispatchSemaphore(value: 0)
        Task {
            try? await writer.close()
            closed.signal()
        }
        closed.wait()
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { harness(UnsafeBufferPointer(start: data, count: size)); return 0 }
@_cdecl("FuzzSegment_main")  // SwiftPM's name for this executable's entry point
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt { runFuzzer(argc, argv, testOneInput) }
#else
@main struct Replay { static func main() { FuzzReplay.main(harness) } }
#endif
