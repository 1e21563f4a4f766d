import Foundation

/// The plain (non-fuzzing) build of a fuzz target: runs the harness once on each file named on the
/// command line (a corpus directory's files, or a crash libFuzzer wrote), so a finding can be
/// replayed under a debugger and the seed corpus runs in the test suite.
public enum FuzzReplay {
    /// Runs `harness` on every file in the arguments (directories are walked); exits 2 on bad usage.
    public static func main(_ harness: (UnsafeBufferPointer<UInt8>) -> Void) {
        let paths = CommandLine.arguments.dropFirst()
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) FILE|DIR... (replays inputs; see Fuzz/README.md)\n".utf8))
            exit(2)
        }
        var count = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let files =
                isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                [UInt8](data).withUnsafeBufferPointer(harness)
                count += 1
            }
        }
        print("replayed \(count) inputs")
    }
}

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The fuzzing build's entry: hands the command line to libFuzzer's driver with `callback`.
/// (SwiftPM links an executable target's entry point as `<Module>_main`; each target exports that
/// name and calls this, so libFuzzer's own `main` is not needed.)
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, callback)
}
#endif
