import Foundation

extension Process {
    /// Runs the process, like `run()`, and returns its exit to await.
    ///
    /// Foundation looks at `terminationHandler` when the process exits, and never calls one set after
    /// that: so it is set here, before the start, and an exit right after the start is not missed.
    /// The caller must not set `terminationHandler` itself.
    public func runWatchingExit() throws -> ProcessExit {
        precondition(terminationHandler == nil, "runWatchingExit() sets the termination handler itself")
        let exit = ProcessExit()
        terminationHandler = { process in
            // The process has exited, so this returns at once; it lets go of the run-loop source
            // that `run()` made, which holds the `Process` (and the file handles it was given) in a
            // cycle that nothing else breaks. The handler runs on a thread Foundation started for it.
            process.waitUntilExit()
            exit.finish(status: process.terminationStatus)
        }
        try run()
        return exit
    }
}
