import Foundation
import Logging
import Synchronization
import VigilCore
import VigilFormats

/// The syslog-over-UDP input: one socket per listen address, each read by a
/// `SyslogDatagramReceiver` thread with vectored reads into a large socket receive buffer.
///
/// The receive buffer is set with `SO_RCVBUFFORCE` when the process may (CAP_NET_ADMIN), else
/// `SO_RCVBUF`, which the kernel caps at `net.core.rmem_max`; the size obtained is logged.
public final class SyslogUDPInput: Sendable {
    private let configuration: SyslogUDPConfiguration
    private let pipeline: IngestPipeline
    private let logger: Logger
    private let receivers = Mutex<[SyslogDatagramReceiver]>([])

    public init(configuration: SyslogUDPConfiguration, pipeline: IngestPipeline, logger: Logger) {
        self.configuration = configuration
        self.pipeline = pipeline
        self.logger = logger
    }

    /// Binds every listen address and starts reading it.
    public func start() throws {
        let timeZone = TimeZone(identifier: configuration.timeZone) ?? TimeZone(identifier: "UTC")!
        for address in configuration.listen {
            let socket = try UDPSocket.bind(to: InternetSocketAddress(host: address.host, port: address.port))
            let buffer = socket.setReceiveBuffer(configuration.receiveBuffer)
            let receiver = try SyslogDatagramReceiver(
                socket: socket, parser: SyslogParser(timeZone: timeZone), pipeline: pipeline, logger: logger)
            receivers.withLock { $0.append(receiver) }
            receiver.start()
            logger.info(
                "listening for syslog over UDP",
                metadata: ["address": "\(address.host):\(socket.localAddress.port)", "receive_buffer": "\(buffer)"])
        }
    }

    /// Stops reading and closes every socket; datagrams already read are still parsed and handed
    /// to the pipeline before it returns.
    public func stop() async {
        for receiver in receivers.withLock({ $0 }) { await receiver.stop() }
    }
}
