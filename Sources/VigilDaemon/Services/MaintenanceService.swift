import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VigilIngest
import VigilStore

/// Periodic upkeep: the store's `maintain()` every second (interval fsync, sealing old segments,
/// retention) followed by returning the heap pages whose decay time has passed to the kernel
/// (`ProcessSetup.returnFreedMemory`); once, `startupPeriod` after start, releasing the code pages start-up mapped
/// (`StartupCodePages`); and every status interval the store gauges, the UDP kernel-drop counter
/// and the `STATUS=` line `systemctl status vigild` shows.
struct MaintenanceService: Service {
    let store: StoreWriter
    let pipeline: IngestPipeline
    let statusInterval: Duration
    let returnFreedMemory: @Sendable () -> Void
    let udpPorts: @Sendable () -> Set<Int>
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let storeBytes = Gauge(label: "vigil_store_bytes")
        let storeSegments = Gauge(label: "vigil_store_segments")
        let kernelDrops = Gauge(label: "vigil_syslog_udp_kernel_drops")
        let layout = SegmentDirectory(path: store.directory)
        var lastStatus = ContinuousClock.now
        var lastCommitted = pipeline.committedRecords
        let started = ContinuousClock.now
        var codePagesReleased = false
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            } catch {
                break
            }
            do {
                try await store.maintain()
            } catch {
                logger.error("store maintenance failed", metadata: ["error": "\(error)"])
            }
            returnFreedMemory()
            let now = ContinuousClock.now
            if !codePagesReleased, now - started >= Self.startupPeriod {
                codePagesReleased = true
                if let bytes = StartupCodePages.release() {
                    logger.debug("released start-up code pages", metadata: ["resident_kib": "\(bytes / 1024)"])
                }
            }
            guard now - lastStatus >= statusInterval else { continue }
            let (segments, bytes) = Self.size(of: layout)
            storeBytes.record(bytes)
            storeSegments.record(segments)
            kernelDrops.record(UDPSocketDrops.total(ports: udpPorts()))
            let committed = pipeline.committedRecords
            let seconds = Double((now - lastStatus).components.seconds) + Double((now - lastStatus).components.attoseconds) / 1e18
            let rate = Double(committed - lastCommitted) / max(seconds, 0.001)
            notifier.status(
                "\(Int(rate.rounded())) records/s, \(pipeline.queuedRecords) queued, \(segments) segments, "
                    + ByteCountFormatter.string(fromByteCount: bytes, countStyle: .binary))
            lastStatus = now
            lastCommitted = committed
        }
    }

    /// How long after start the code pages only start-up used are released (`StartupCodePages`).
    static let startupPeriod: Duration = .seconds(10)

    private static func size(of layout: SegmentDirectory) -> (segments: Int, bytes: Int64) {
        guard let segments = try? layout.segments() else { return (0, 0) }
        var bytes: Int64 = 0
        for segment in segments {
            var info = stat()
            if stat(segment.path, &info) == 0 { bytes += Int64(info.st_size) }
        }
        return (segments.count, bytes)
    }
}
