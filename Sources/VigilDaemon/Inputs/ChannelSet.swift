import NIOCore
import Synchronization

/// Channels an input opened (listening sockets, accepted connections), closed together when the
/// input stops. A channel leaves the set by itself when it closes.
final class ChannelSet: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// Adds `channel` until it closes, unless the set already holds `limit` channels (then
    /// returns `false` and leaves it out).
    @discardableResult
    func insert(_ channel: any Channel, limit: Int = .max) -> Bool {
        let id = ObjectIdentifier(channel)
        let added = channels.withLock { channels -> Bool in
            guard channels.count < limit else { return false }
            channels[id] = channel
            return true
        }
        guard added else { return false }
        channel.closeFuture.whenComplete { _ in
            self.channels.withLock { _ = $0.removeValue(forKey: id) }
        }
        return true
    }

    /// Closes every channel in the set.
    func closeAll() async {
        for channel in channels.withLock({ Array($0.values) }) {
            try? await channel.close()
        }
    }
}
