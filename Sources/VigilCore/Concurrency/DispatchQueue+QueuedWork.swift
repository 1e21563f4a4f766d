import Dispatch

extension DispatchQueue {
    /// Returns once the work submitted to this serial queue before the call has run: how a
    /// background stage (a sync queue, a parsing queue, a recompressor) is drained on shutdown.
    public func finishQueuedWork() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in self.async { done.resume() } }
    }
}
