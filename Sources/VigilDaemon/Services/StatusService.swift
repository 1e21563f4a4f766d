import Foundation
import Metrics
import ServiceLifecycle
import VigilCore
import VigilIngest
import VigilStore

/// Every `[daemon] status_interval`: the store's size gauges, the UDP sockets' kernel-drop counter,
/// and the `STATUS=` line `systemctl status vigild` shows (records/s, queued, segments, bytes).
/// Sizing the store and reading `/proc/net/udp` run on a dispatch queue, off the cooperative pool.
struct StatusService: Service {
    let store: StoreWriter
    let pipeline: IngestPipeline
    let interval: Duration
    let udpPorts: @Sendable () -> Set<Int>
    let notifier: SystemdNotifier

    func run() async throws {
        let storeBytes = Gauge(label: "vigil_store_bytes")
        let storeSegments = Gauge(label: "vigil_store_segments")
        let kernelDrops = Gauge(label: "vigil_syslog_udp_kernel_drops")
        let layout = SegmentDirectory(path: store.directory)
        let queue = DispatchQueue(label: "vigil.status")
        var last = ContinuousClock.now
        var lastCommitted = pipeline.committedRecords
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            let ports = udpPorts()
            let (segments, bytes, drops) = await queue.run { () -> (Int, Int64, Int) in
                let (segments, bytes) = Self.size(of: layout)
                return (segments, bytes, UDPSocketDrops.total(ports: ports))
            }
            storeBytes.record(bytes)
            storeSegments.record(segments)
            kernelDrops.record(drops)
            let now = ContinuousClock.now
            let committed = pipeline.committedRecords
            let seconds = Double((now - last).components.seconds) + Double((now - last).components.attoseconds) / 1e18
            let rate = Double(committed - lastCommitted) / max(seconds, 0.001)
            notifier.status(
                "\(Int(rate.rounded())) records/s, \(pipeline.queuedRecords) queued, \(segments) segments, "
                    + ByteCountFormatter.string(fromByteCount: bytes, countStyle: .binary))
            last = now
            lastCommitted = committed
        }
    }

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
