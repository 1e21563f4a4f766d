import Dispatch
import Foundation
import Logging
import Synchronization
import VigilCore

/// The journald input: reads the journal on its own thread, appends entries through the pipeline
/// in batches, and saves the cursor of the last entry of a batch only after the batch is durable,
/// so a restart resumes exactly after the last stored entry: no duplicates, no gaps.
///
/// It waits for new entries with `sd_journal_wait` (inotify underneath), never busy-looping. When
/// the pipeline is full it stops reading until there is room again, leaving the entries in the
/// journal.
public final class JournaldInput: Sendable {
    /// The name of the cursor file in the data directory.
    public static let cursorFileName = "journald.cursor"

    private let configuration: JournaldConfiguration
    private let pipeline: IngestPipeline
    private let cursorFile: CursorFile
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// An input for `configuration` that keeps its cursor in `dataDirectory`.
    public init(configuration: JournaldConfiguration, pipeline: IngestPipeline, dataDirectory: String, logger: Logger) {
        self.configuration = configuration
        self.pipeline = pipeline
        cursorFile = CursorFile(path: dataDirectory + "/" + Self.cursorFileName)
        self.logger = logger
    }

    /// Opens the journal and starts reading on a new thread. Throws when the journal cannot be
    /// opened or the saved cursor cannot be read.
    public func start() throws {
        let source: JournalReader.Source =
            !configuration.files.isEmpty
            ? .files(configuration.files) : configuration.directory.isEmpty ? .local : .directory(configuration.directory)
        let cursor = try cursorFile.load()
        // The reader is created on the thread that uses it; errors come back through this box.
        let opened = DispatchSemaphore(value: 0)
        let openError = Mutex<(any Error)?>(nil)
        let thread = Thread { [self] in
            let reader: JournalReader
            do {
                reader = try JournalReader(source: source, fields: configuration.fields)
                try reader.seek(after: cursor)
            } catch {
                openError.withLock { $0 = error }
                opened.signal()
                finished.signal()
                return
            }
            opened.signal()
            logger.info("reading the journal", metadata: ["source": "\(source.label)", "resume": "\(cursor == nil ? "from the start" : "after the saved cursor")"])
            run(reader)
            finished.signal()
        }
        thread.name = "vigil-journald"
        thread.start()
        opened.wait()
        if let error = openError.withLock({ $0 }) { throw error }
    }

    /// Stops reading after the batch in progress (whose cursor is saved once it is durable) and
    /// returns when the thread has ended.
    public func stop() async {
        stopping.store(true, ordering: .relaxed)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.finished.wait()
                self.finished.signal()
                continuation.resume()
            }
        }
    }

    private func run(_ reader: JournalReader) {
        let metrics = pipeline.metrics(for: .journald)
        var records: [LogRecord] = []
        var sizes: [Int] = []
        records.reserveCapacity(configuration.batchSize)
        while !stopping.load(ordering: .relaxed) {
            do {
                records.removeAll(keepingCapacity: true)
                sizes.removeAll(keepingCapacity: true)
                var lastCursor: String?
                let receivedAt = WallClock.now()
                while records.count < configuration.batchSize, try reader.next() {
                    let (record, size) = reader.record(receivedAt: receivedAt)
                    records.append(record)
                    sizes.append(size)
                    lastCursor = try reader.cursor()
                }
                guard let lastCursor else {
                    try reader.wait(timeoutMicroseconds: 250_000)
                    continue
                }
                metrics.bytes.increment(by: sizes.reduce(0, +))
                try submitAndWait(records, sizes: sizes)
                try cursorFile.save(lastCursor)
            } catch {
                logger.error("journal input failed; retrying in 1 s", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 1)
                // Go back to the last durable entry so the failed batch is read again, not skipped.
                do {
                    try reader.seek(after: cursorFile.load())
                } catch {
                    logger.error("could not return to the saved journal cursor", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// Appends a batch, waiting (on this thread, which is not one of Swift's cooperative threads)
    /// until it is durable.
    private func submitAndWait(_ records: [LogRecord], sizes: [Int]) throws {
        let done = DispatchSemaphore(value: 0)
        let outcome = Mutex<(any Error)?>(nil)
        let batch = records
        Task {
            do {
                try await pipeline.submit(batch, sourceSizes: sizes, from: .journald)
            } catch {
                outcome.withLock { $0 = error }
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.withLock({ $0 }) { throw error }
    }
}
