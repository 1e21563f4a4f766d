import Dispatch
import Foundation
import Logging
import VigilCore
import Synchronization

/// Creates the next segment's file ahead of time on a queue of its own, header written and
/// fsynced under a spare name (`segment-….vseg.next`), so that starting a segment on the writer's
/// path costs a rename rather than two fsyncs.
///
/// On a disk whose fsyncs wait behind other processes' writeback (0.1–0.5 s seen on the
/// benchmark machine), each segment start stalled the writer that long, and a UDP flood arriving
/// meanwhile overflowed the pipeline. A spare nobody takes is removed at close; one a crash left
/// behind is removed by recovery. Readers and `vigil verify` do not list spares.
final class SegmentPreparer: Sendable {
    private struct Spare: Sendable {
        let id: UInt64
        let file: PosixFile
    }

    private let directory: SegmentDirectory
    private let queue = DispatchQueue(label: "vigil.store.prepare")
    private let spare = Mutex<Spare?>(nil)
    private let logger: Logger

    init(directory: SegmentDirectory, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    /// Starts preparing the file of segment `id` in the background.
    func prepare(_ id: UInt64) {
        queue.async { [self] in
            let path = directory.sparePath(id)
            do {
                let file = try PosixFile(path: path, flags: O_RDWR | O_CREAT | O_TRUNC)
                try file.write(SegmentHeader(segmentID: id, createdAt: WallClock.now()).encode(), at: 0)
                try file.sync()
                spare.withLock { $0 = Spare(id: id, file: file) }
            } catch {
                unlink(path)
                logger.warning(
                    "could not prepare the next segment; the writer creates it when it needs it",
                    metadata: ["segment": "\(path)", "error": "\(error)"])
            }
        }
    }

    /// The prepared file of segment `id`, still under its spare name (waiting for a preparation
    /// under way), or nil when there is none: the caller then creates the segment itself.
    func take(_ id: UInt64) -> PosixFile? {
        queue.sync {}
        guard let taken = spare.withLock({ spare in defer { spare = nil }; return spare }) else { return nil }
        guard taken.id == id else {
            unlink(directory.sparePath(taken.id))
            return nil
        }
        return taken.file
    }

    /// Removes a prepared file nobody took.
    func discard() {
        queue.sync {}
        if let left = spare.withLock({ spare in defer { spare = nil }; return spare }) { unlink(directory.sparePath(left.id)) }
    }
}
