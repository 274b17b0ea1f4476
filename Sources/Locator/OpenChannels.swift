import NIOCore
import Synchronization

/// Every accepted connection, from accept to close, so `shutdown` can close them all (also those
/// still waiting for their first byte).
final class OpenChannels: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { _ in
            _ = self.channels.withLock { $0.removeValue(forKey: key) }
        }
    }

    var all: [any Channel] {
        channels.withLock { Array($0.values) }
    }
}
