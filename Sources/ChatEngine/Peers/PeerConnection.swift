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
        try await sendEncoded([try envelope.encoded()])
    }

    /// Sends envelopes that are already encoded (outbox entries' stored JSON), in order, with one
    /// flush for all of them: one TLS write and one syscall where a loop would make one each.
    ///
    /// Envelopes go straight into the channel, not through `outbound`: while the socket is full,
    /// `outbound` suspends its callers and lets them race to retry once it drains (it does not
    /// queue them), and a stream's writer loop could win that race for seconds on end. Envelopes
    /// are small and few, so they need no back-pressure of their own.
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
    /// Suspends while the socket is full, so a writer loop that awaits each chunk holds at most
    /// one chunk in memory. Control envelopes share the connection but not a backlog: each
    /// stream has at most one chunk waiting in the channel's queue, so an envelope sent now goes
    /// out after that chunk and what the socket's buffer holds, not after the rest of the file.
    /// (Hence one connection with this bound rather than a connection per stream: no second
    /// TLS handshake or pin check, and the same ordering guarantees for control frames.)
    public func sendChunk(_ payload: ByteBuffer) async throws {
        precondition((4...4 + StreamChunk.maxBytes).contains(payload.readableBytes), "a chunk payload without a stream id or over the frame limit")
        try await outbound.write(.chunk(payload))
        // A write the channel takes at once does not suspend: a loop of them would keep its
        // thread of the shared pool for the whole file, and with a receiving loop on the other
        // one (two cores), the engine's own work (a chat message) would wait until the end.
        await Task.yield()
    }

    /// The peer's IP address as this connection sees it: where its call media comes from.
    var remoteAddress: SocketAddress? { channel.remoteAddress }
    /// This side's address on the connection: the one a peer can reach us on.
    var localAddress: SocketAddress? { channel.localAddress }

    func close() {
        channel.close(promise: nil)
    }
}
