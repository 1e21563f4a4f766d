/// When the store answers an append: its two acknowledgement modes, one word for each in code,
/// docs and tests.
public enum Acknowledgement: Sendable, Equatable {
    /// Committed at once and answered after its fsync: for senders that wait for durability (HTTP,
    /// journald, the NATS input, `vigil import`).
    case afterSync
    /// May wait up to `commit_delay` to share a commit with others, and is answered once written,
    /// the fsync following: for senders that do not wait (syslog over UDP and TCP).
    case afterWrite
}
