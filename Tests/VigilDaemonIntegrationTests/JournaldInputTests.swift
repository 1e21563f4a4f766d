import Foundation
import Testing
import VigilTestSupport

/// Real journal files, written by systemd-journal-remote from Journal Export Format.
@Suite(.serialized) struct JournaldInputTests {
    /// Appends entries `range` (one second apart from 2026-11-23T10:00:00Z) to the journal file at
    /// `path`, creating it when needed.
    func writeJournal(_ path: String, entries range: Range<Int>, scratch: Scratch) async throws {
        var export = ""
        for i in range {
            export += """
                __REALTIME_TIMESTAMP=\(1_795_428_000_000_000 + i * 1_000_000)
                __MONOTONIC_TIMESTAMP=\(1_000_000 + i)
                _BOOT_ID=0123456789abcdef0123456789abcdef
                MESSAGE=entry \(i)
                PRIORITY=\(i % 2 == 0 ? 3 : 6)
                SYSLOG_IDENTIFIER=app\(i % 3)
                _SYSTEMD_UNIT=app.service
                _HOSTNAME=jhost
                _PID=\(100 + i)
                CUSTOM_FIELD=dropped


                """
        }
        let exportFile = scratch.file("export-\(range.lowerBound).txt", export)
        let result = try await runProcess("/lib/systemd/systemd-journal-remote", ["--output=" + path, exportFile])
        guard result.status == 0 else { throw DaemonTestError(description: "systemd-journal-remote: \(result.stderr)") }
    }

    func messages(_ daemon: DaemonProcess) async throws -> [String] {
        try await daemon.query().compactMap { $0[string: "message"] }
    }

    @Test func aJournalFileIsReadCompletelyAndARestartReadsOnlyNewEntries() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let journal = scratch.path + "/journal/x.journal"
        try FileManager.default.createDirectory(atPath: scratch.path + "/journal", withIntermediateDirectories: true)
        try await writeJournal(journal, entries: 0..<50, scratch: scratch)
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: "[inputs.journald]\nfiles = [\"\(journal)\"]\nbatch_size = 16\n", journald: true)
        try await daemon.start()
        let first = try await daemon.waitForRecords(50)
        #expect(first.count == 50)
        let entry = try #require(first.first)
        #expect(entry[string: "message"] == "entry 0")
        #expect(entry[string: "time"] == "2026-11-23T10:00:00.000000000Z")
        #expect(entry[string: "service"] == "app0")
        #expect(entry[string: "host"] == "jhost")
        #expect(entry[string: "level"] == "err")
        #expect(entry.field("_PID") == "100")
        #expect(entry.field("_SYSTEMD_UNIT") == "app.service")
        #expect(entry.field("CUSTOM_FIELD") == nil)
        #expect(await daemon.stop() == 0)

        try await writeJournal(journal, entries: 50..<60, scratch: scratch)
        try await daemon.start()
        _ = try await daemon.waitForRecords(60)
        try await Task.sleep(for: .milliseconds(500))  // a duplicate would arrive right behind
        #expect(try await messages(daemon) == (0..<60).map { "entry \($0)" })
        #expect(await daemon.stop() == 0)

        // A restart with nothing new adds nothing.
        try await daemon.start()
        try await Task.sleep(for: .seconds(1))
        #expect(try await messages(daemon).count == 60)
        #expect(await daemon.stop() == 0)
    }

    @Test func aDirectoryIsFollowedAcrossANewFileAndRestarts() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let directory = scratch.path + "/journal"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await writeJournal(directory + "/a.journal", entries: 0..<5, scratch: scratch)
        let daemon = DaemonProcess(scratch: scratch, extraConfiguration: "[inputs.journald]\ndirectory = \"\(directory)\"\n", journald: true)
        try await daemon.start()
        #expect(try await daemon.waitForRecords(5).count == 5)
        // A new journal file appears while vigild runs, as after a rotation.
        try await writeJournal(directory + "/b.journal", entries: 5..<8, scratch: scratch)
        #expect(try await daemon.waitForRecords(8).count == 8)
        #expect(await daemon.stop() == 0)
        try await writeJournal(directory + "/b.journal", entries: 8..<10, scratch: scratch)
        try await daemon.start()
        _ = try await daemon.waitForRecords(10)
        try await Task.sleep(for: .milliseconds(500))
        #expect(try await messages(daemon) == (0..<10).map { "entry \($0)" })
        #expect(await daemon.stop() == 0)
    }
}
