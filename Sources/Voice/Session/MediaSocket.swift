import NIOCore
import NIOPosix
import Synchronization

/// A UDP socket bound for one call before the call starts, so that its port can go into the
/// call offer or answer. A `MediaSession` takes it over; a call that never starts closes it.
public final class MediaSocket: Sendable {
    let channel: any Channel
    private let receiver: DatagramReceiver

    public let localAddress: SocketAddress

    public var port: Int { localAddress.port ?? 0 }

    private init(channel: any Channel, receiver: DatagramReceiver, localAddress: SocketAddress) {
        self.channel = channel
        self.receiver = receiver
        self.localAddress = localAddress
    }

    /// One event loop for the media of every call in the process, apart from the one that chat
    /// connections and file transfers share: a datagram never waits behind a burst of chunks.
    public static let mediaEventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Binds `host:port` (port 0 picks a free one).
    public static func bind(
        host: String = "0.0.0.0", port: Int = 0, eventLoopGroup: any EventLoopGroup = mediaEventLoopGroup
    ) async throws(MediaSessionError) -> MediaSocket {
        let receiver = DatagramReceiver()
        do {
            let channel = try await DatagramBootstrap(group: eventLoopGroup)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(DatagramForwarder(receiver: receiver))
                    }
                }
                .bind(host: host, port: port)
                .get()
            guard let localAddress = channel.localAddress else { throw MediaSessionError.bindFailed("no local address") }
            return MediaSocket(channel: channel, receiver: receiver, localAddress: localAddress)
        } catch let error as MediaSessionError {
            throw error
        } catch {
            throw .bindFailed("\(host):\(port): \(error)")
        }
    }

    public func close() async {
        try? await channel.close()
    }

    /// Where datagrams go from now on, with the address each came from, on the event loop; nil
    /// drops them (no call yet, or over).
    public func receive(_ handler: (@Sendable ([UInt8], SocketAddress) -> Void)?) {
        receiver.handler.withLock { $0 = handler }
    }

    public func send(_ bytes: [UInt8], to remote: SocketAddress) {
        let buffer = channel.allocator.buffer(bytes: bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: buffer), promise: nil)
    }

    func send(_ bytes: [UInt8], to remote: SocketAddress, after delay: Duration) {
        let channel = channel
        channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(delay.inSeconds * 1e9))) {
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: remote, data: channel.allocator.buffer(bytes: bytes)), promise: nil)
        }
    }
}

/// The session's handler for incoming datagrams, shared by the socket and its pipeline.
private final class DatagramReceiver: Sendable {
    let handler = Mutex<(@Sendable ([UInt8], SocketAddress) -> Void)?>(nil)
}

/// Hands each datagram to the session, on the event loop.
private final class DatagramForwarder: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    private let receiver: DatagramReceiver

    init(receiver: DatagramReceiver) {
        self.receiver = receiver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        receiver.handler.withLock { $0 }?(Array(buffer: envelope.data), envelope.remoteAddress)
    }

    /// An ICMP "port unreachable" from a peer not yet listening surfaces as a read error; the
    /// call goes on.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {}
}
