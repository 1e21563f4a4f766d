import CSystemd
import Foundation
import VigilCore

/// Reads entries from a systemd journal through libsystemd's sd_journal and maps them to records.
///
/// Mapping: `MESSAGE` → message, `PRIORITY` → severity (`info` when absent), `SYSLOG_FACILITY` →
/// facility, `SYSLOG_IDENTIFIER` (else `_SYSTEMD_UNIT`, else `_COMM`) → service, `_HOSTNAME` → host,
/// the entry's realtime timestamp (`__REALTIME_TIMESTAMP`) → time. Fields on the allow-list are kept
/// as record fields under their journal names.
///
/// sd_journal handles are not thread-safe: a reader belongs to one thread for its whole life.
final class JournalReader {
    /// Which journal to read.
    enum Source: Sendable, Equatable {
        /// The local system journal.
        case local
        /// Every journal file in a directory.
        case directory(String)
        /// These journal files.
        case files([String])
    }

    private var journal: OpaquePointer?
    private let fieldAllowList: Set<String>
    private let source: Source

    init(source: Source, fields: [String]) throws(JournalError) {
        self.source = source
        fieldAllowList = Set(fields)
        var handle: OpaquePointer?
        let result: Int32
        switch source {
        case .local:
            result = sd_journal_open(&handle, Int32(SD_JOURNAL_LOCAL_ONLY))
        case .directory(let path):
            result = sd_journal_open_directory(&handle, path, 0)
        case .files(let paths):
            var pointers: [UnsafePointer<CChar>?] = paths.map { UnsafePointer(strdup($0)) }
            pointers.append(nil)
            defer { for pointer in pointers { free(UnsafeMutablePointer(mutating: pointer)) } }
            result = pointers.withUnsafeMutableBufferPointer { sd_journal_open_files(&handle, $0.baseAddress, 0) }
        }
        guard result >= 0, let handle else { throw JournalError("open \(source.label)", code: result) }
        journal = handle
    }

    deinit {
        sd_journal_close(journal)
    }

    /// Positions the reader so the next `next()` returns the entry after `cursor`, or the first
    /// entry when there is no cursor. A cursor the journal no longer has (its file was rotated away)
    /// places the reader at the nearest entry after it, as sd_journal does.
    func seek(after cursor: String?) throws(JournalError) {
        guard let cursor else {
            let result = sd_journal_seek_head(journal)
            guard result >= 0 else { throw JournalError("seek to the head", code: result) }
            return
        }
        let result = sd_journal_seek_cursor(journal, cursor)
        guard result >= 0 else { throw JournalError("seek to the saved cursor", code: result) }
        // After seek_cursor, next() lands on the cursor's own entry when it still exists: skip it.
        if try next(), sd_journal_test_cursor(journal, cursor) <= 0 {
            // The saved entry is gone; step back so the entry found is not skipped.
            _ = sd_journal_previous(journal)
        }
    }

    /// Moves to the next entry; false at the end.
    func next() throws(JournalError) -> Bool {
        let result = sd_journal_next(journal)
        guard result >= 0 else { throw JournalError("read the next entry", code: result) }
        return result > 0
    }

    /// The cursor of the current entry.
    func cursor() throws(JournalError) -> String {
        var cursor: UnsafeMutablePointer<CChar>?
        let result = sd_journal_get_cursor(journal, &cursor)
        guard result >= 0, let cursor else { throw JournalError("get the cursor", code: result) }
        defer { free(cursor) }
        return String(cString: cursor)
    }

    /// Waits up to `timeout` for the journal to change (new entries, rotation).
    func wait(timeoutMicroseconds: UInt64) throws(JournalError) {
        let result = sd_journal_wait(journal, timeoutMicroseconds)
        guard result >= 0 else { throw JournalError("wait for new entries", code: result) }
    }

    /// The current entry as a record, and the size of its data.
    func record(receivedAt: Int64) -> (record: LogRecord, size: Int) {
        var decoder = JournalEntryDecoder(fieldAllowList: fieldAllowList)
        var data: UnsafeRawPointer?
        var length = 0
        sd_journal_restart_data(journal)
        while sd_journal_enumerate_data(journal, &data, &length) > 0, let data {
            decoder.add(UnsafeRawBufferPointer(start: data, count: length))
        }
        var realtime: UInt64 = 0
        let stamped = sd_journal_get_realtime_usec(journal, &realtime) >= 0
        return (decoder.record(realtime: stamped ? realtime : nil, receivedAt: receivedAt), decoder.size)
    }
}

extension JournalReader.Source {
    /// How logs and errors name the source.
    var label: String {
        switch self {
        case .local: "the local journal"
        case .directory(let path): path
        case .files(let paths): paths.joined(separator: ", ")
        }
    }
}
