import Glibc

/// This machine's name, from `gethostname(2)`: no DNS lookup, so it never blocks (Foundation's
/// `ProcessInfo.hostName` resolves the name and can wait on an unreachable resolver).
public enum LocalHostName {
    /// The name, or `localhost` when the call fails.
    public static func current() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return name.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
