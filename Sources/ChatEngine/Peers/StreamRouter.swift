import ChatWire
import NIOCore
import Synchronization

/// Where a stream's received chunks go: the part that owns the stream (a file transfer, say).
protocol StreamReceiver: Sendable {
    /// The next bytes of the stream, in order. The connection reads no further frames until this
    /// returns, so a slow receiver (a full disk) slows the sender through TCP, not our memory.
    func receive(_ bytes: ByteBuffer, on connection: PeerConnection) async
}

/// The table from (peer, stream id) to the receiver of its kind-1 chunks.
///
/// Chunks are routed from each connection's own task straight to the receiver, never through the
/// engine actor: bulk bytes must not queue behind (or hold up) control envelopes.
final class StreamRouter: Sendable {
    struct Key: Hashable, Sendable {
        var peer: String
        var streamID: UInt32
    }

    private let receivers = Mutex<[Key: any StreamReceiver]>([:])

    /// Routes `peer`'s chunks on `streamID` to `receiver` until `close` (replacing an earlier one).
    func open(_ streamID: UInt32, from peer: String, to receiver: any StreamReceiver) {
        receivers.withLock { $0[Key(peer: peer, streamID: streamID)] = receiver }
    }

    func close(_ streamID: UInt32, from peer: String) {
        _ = receivers.withLock { $0.removeValue(forKey: Key(peer: peer, streamID: streamID)) }
    }

    func receiver(for streamID: UInt32, from peer: String) -> (any StreamReceiver)? {
        receivers.withLock { $0[Key(peer: peer, streamID: streamID)] }
    }
}
