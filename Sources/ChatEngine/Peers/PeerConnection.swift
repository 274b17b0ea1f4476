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
    /// How the bytes travel: on the same LAN, directly across the internet, or through the TURN relay.
    public let path: PeerCandidate.Kind
    /// One round trip, measured on the Hello exchange that opened the connection (the dialer
    /// from its Hello to the answer; the listener from the TLS handshake's start to the Hello).
    public let roundTrip: Duration
    let id: Int
    private let channel: any Channel

    init(
        peer: String, fingerprint: Fingerprint, isOutbound: Bool, path: PeerCandidate.Kind, roundTrip: Duration,
        id: Int, channel: any Channel
    ) {
        self.peer = peer
        self.fingerprint = fingerprint
        self.isOutbound = isOutbound
        self.path = path
        self.roundTrip = roundTrip
        self.id = id
        self.channel = channel
    }

    public func send(_ envelope: Envelope) async throws {
        try await sendEncoded([try envelope.encoded()])
    }

    /// Sends envelopes that are already encoded (outbox entries' stored JSON), in order, with one
    /// flush for all of them: one TLS write and one syscall where a loop would make one each.
    ///
    /// Envelopes go into the channel without waiting for room: they are small and few, and each
    /// goes out behind at most one chunk per stream (see `sendChunk`).
    func sendEncoded(_ payloads: [ByteBuffer]) async throws {
        guard let last = payloads.last else { return }
        let written = channel.eventLoop.makePromise(of: Void.self)
        // One hop to the event loop for the whole batch, where each write is a plain call.
        channel.eventLoop.execute { [channel] in
            for payload in payloads.dropLast() {
                channel.write(PeerFrame.envelope(payload), promise: nil)
            }
            channel.writeAndFlush(PeerFrame.envelope(last), promise: written)
        }
        try await written.futureResult.get()
    }

    /// Sends several envelopes in order with one flush.
    func send(_ envelopes: [Envelope]) async throws {
        try await sendEncoded(try envelopes.map { try $0.encoded() })
    }

    /// Sends one kind-1 frame: `payload` is a `StreamChunk`'s (the stream id, then at most
    /// `StreamChunk.maxBytes` bytes), begun with `StreamChunk.start` or made by `payload`.
    ///
    /// Returns once the frame is in the socket, so a writer loop that awaits each chunk has one
    /// chunk in the channel at a time, and an envelope sent meanwhile goes out behind that chunk
    /// and what the kernel's buffer holds, not behind the rest of a file. (Hence one connection
    /// with this bound rather than a connection per stream: no second TLS handshake or pin check,
    /// and the same ordering guarantees for control frames.)
    ///
    /// Waiting for the write itself is the bound. The async channel's writer is not one: it takes
    /// writes while its writability flag says so, and the flag changes only when the event loop
    /// gets round to it, so a writer on another thread could queue thousands of chunks before
    /// it, and a message sent then waited for all of them (seconds on a loaded machine).
    public func sendChunk(_ payload: ByteBuffer) async throws {
        precondition((4...4 + StreamChunk.maxBytes).contains(payload.readableBytes), "a chunk payload without a stream id or over the frame limit")
        try await channel.writeAndFlush(PeerFrame.chunk(payload)).get()
    }

    /// The peer's IP address as this connection sees it: where its call media comes from.
    var remoteAddress: SocketAddress? { channel.remoteAddress }
    /// This side's address on the connection: the one a peer can reach us on.
    var localAddress: SocketAddress? { channel.localAddress }

    func close() {
        channel.close(promise: nil)
    }
}
