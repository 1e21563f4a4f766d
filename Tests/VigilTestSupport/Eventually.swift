/// Evaluates `condition` until it holds or `timeout` has passed, and says whether it held.
///
/// It evaluates at least once, and again after each `interval` while the timeout has not passed.
/// Between evaluations it sleeps with `Task.sleep`: a waiting test holds no thread of Swift's
/// cooperative pool, which runs every test and has only one thread per CPU.
@discardableResult
public func eventually(
    timeout: Duration, every interval: Duration = .milliseconds(50), _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    repeat {
        if try await condition() { return true }
        try await Task.sleep(for: interval)
    } while ContinuousClock.now < deadline
    return false
}
