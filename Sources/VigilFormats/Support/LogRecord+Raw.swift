import VigilCore

extension LogRecord {
    /// A record for bytes no parser understood: `message` holds them as text (invalid UTF-8 repaired
    /// with U+FFFD, trailing `\n`, `\r` and NUL removed), `time` is the receive time and `isRaw` is set,
    /// so nothing is dropped for being malformed.
    public static func raw(
        _ bytes: UnsafeBufferPointer<UInt8>, receivedAt: Int64, severity: Severity = .notice
    ) -> LogRecord {
        LogRecord(
            time: receivedAt, receivedAt: receivedAt, severity: severity,
            message: bytes.string(0, bytes.endTrimmingTerminators()), isRaw: true)
    }
}
