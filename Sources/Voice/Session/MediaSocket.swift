import NIOCore
import NIOPosix

/// A UDP socket bound for one call before the call starts, so that its port can go into the
/// call offer or answer. A `MediaSession` takes it over; a call that never starts closes it.
public final class MediaSocket: Sendable {
    let channel: any Channel
    let datagrams: AsyncStream<AddressedEnvelope<ByteBuffer>>

    public let localAddress: SocketAddress

    public var port: Int { localAddress.port ?? 0 }

    private init(channel: any Channel, datagrams: AsyncStream<AddressedEnvelope<ByteBuffer>>, localAddress: SocketAddress) {
        self.channel = channel
        self.datagrams = datagrams
        self.localAddress = localAddress
    }

    /// Binds `host:port` (port 0 picks a free one).
    public static func bind(
        host: String = "0.0.0.0", port: Int = 0,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws(MediaSessionError) -> MediaSocket {
        // A burst beyond this while the session is busy is dropped, like a full socket buffer.
        let (datagrams, continuation) = AsyncStream.makeStream(of: AddressedEnvelope<ByteBuffer>.self, bufferingPolicy: .bufferingNewest(256))
        do {
            let channel = try await DatagramBootstrap(group: eventLoopGroup)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramForwarder(continuation: continuation))
                    }
                }
                .bind(host: host, port: port)
                .get()
            guard let localAddress = channel.localAddress else { throw MediaSessionError.bindFailed("no local address") }
            return MediaSocket(channel: channel, datagrams: datagrams, localAddress: localAddress)
        } catch let error as MediaSessionError {
            throw error
        } catch {
            throw .bindFailed("\(host):\(port): \(error)")
        }
    }

    public func close() async {
        try? await channel.close()
    }

    func send(_ bytes: [UInt8], to remote: SocketAddress) {
        let buffer = channel.allocator.buffer(bytes: bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
    }

    func send(_ bytes: [UInt8], to remote: SocketAddress, after delay: Duration) {
        let channel = channel
        channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(delay.seconds * 1e9))) {
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: channel.allocator.buffer(bytes: bytes)), promise: nil)
        }
    }
}

/// Hands each datagram from the event loop to the session's receive loop.
private final class DatagramForwarder: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let continuation: AsyncStream<AddressedEnvelope<ByteBuffer>>.Continuation

    init(continuation: AsyncStream<AddressedEnvelope<ByteBuffer>>.Continuation) {
        self.continuation = continuation
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        continuation.yield(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }

    /// An ICMP "port unreachable" from a peer not yet listening surfaces as a read error; the
    /// call goes on.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
