import ChatIdentity
import ChatWire
import NIOCore

/// A live, authenticated TLS connection to one peer. Anyone may send on it; only the node's
/// connection task reads from it.
public final class PeerConnection: Sendable {
    /// The peer's user id, proven by its certificate matching the fingerprint we expected.
    public let peer: String
    public let fingerprint: Fingerprint
    /// Whether we dialed (true) or the peer did.
    public let isOutbound: Bool
    let id: Int
    private let outbound: NIOAsyncChannelOutboundWriter<PeerFrame>
    private let channel: any Channel

    init(
        peer: String, fingerprint: Fingerprint, isOutbound: Bool, id: Int,
        outbound: NIOAsyncChannelOutboundWriter<PeerFrame>, channel: any Channel
    ) {
        self.peer = peer
        self.fingerprint = fingerprint
        self.isOutbound = isOutbound
        self.id = id
        self.outbound = outbound
        self.channel = channel
    }

    public func send(_ envelope: Envelope) async throws {
        try await outbound.write(.envelope(try envelope.encoded()))
    }

    /// Sends a frame that is already encoded (an outbox entry's stored JSON).
    func sendEncoded(_ payload: ByteBuffer) async throws {
        try await outbound.write(.envelope(payload))
    }

    func close() {
        channel.close(promise: nil)
    }
}
