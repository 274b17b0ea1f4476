import ChatIdentity
import ChatWire
import Synchronization

/// The paths of one dial whose TLS handshake presented a certificate other than the one pinned,
/// collected while the attempts race so that the user hears of them in one line.
final class ImpostorPaths: Sendable {
    private let paths = Mutex<[(candidate: PeerCandidate, mismatch: PinMismatchError)]>([])

    func add(_ candidate: PeerCandidate, _ mismatch: PinMismatchError) {
        paths.withLock { $0.append((candidate, mismatch)) }
    }

    func contains(_ candidate: PeerCandidate) -> Bool {
        paths.withLock { $0.contains { $0.candidate == candidate } }
    }

    var all: [(candidate: PeerCandidate, mismatch: PinMismatchError)] { paths.withLock { $0 } }
}
