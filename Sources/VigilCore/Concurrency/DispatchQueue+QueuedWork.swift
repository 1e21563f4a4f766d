import Dispatch

extension DispatchQueue {
    /// Returns once the work submitted to this serial queue before the call has run: how a
    /// background stage (a sync queue, a parsing queue, a rewriter) is drained on shutdown.
    public func finishQueuedWork() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in self.async { done.resume() } }
    }

    /// Runs `body` (blocking work: reading segments, say) on this queue and returns its result,
    /// so the cooperative pool's few threads are not held while it runs.
    public func run<T: Sendable, Failure: Error>(
        _ body: @escaping @Sendable () throws(Failure) -> T
    ) async throws(Failure) -> T {
        let result: Result<T, Failure> = await withCheckedContinuation { continuation in
            self.async {
                do throws(Failure) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
