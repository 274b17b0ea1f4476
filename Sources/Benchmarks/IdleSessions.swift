import ChatWire
import CommandLineSupport
import NIOCore
import NIOPosix

/// Many idle connections to a locator, each past its first request so the locator has set it up
/// in full: a course connection that asked one `q<id>`, or a TLS session that answered `PING`.
struct IdleSessions {
    var target: HostPort
    var modern: Bool

    /// How many connections are opened at once.
    private static let batch = 200

    func open(_ count: Int) async throws -> [any Channel] {
        let addTLS = modern ? try ModernSessions(target: target).addTLS : nil
        let request = ByteBuffer(string: modern ? LocatorRequest.ping(token: nil).rendered + "\n" : LegacyRequest.query(id: "2000000000").rendered)
        var channels: [any Channel] = []
        channels.reserveCapacity(count)
        for start in stride(from: 0, to: count, by: Self.batch) {
            let batch = try await withThrowingTaskGroup(of: (any Channel).self) { group in
                for _ in start..<min(count, start + Self.batch) {
                    group.addTask { try await openOne(request: request, addTLS: addTLS) }
                }
                return try await group.reduce(into: [any Channel]()) { $0.append($1) }
            }
            channels += batch
        }
        return channels
    }

    func close(_ channels: [any Channel]) async {
        for channel in channels { channel.close(promise: nil) }
        for channel in channels { try? await channel.closeFuture.get() }
    }

    private func openOne(
        request: ByteBuffer, addTLS: (@Sendable (ChannelPipeline.SynchronousOperations) throws -> Void)?
    ) async throws -> any Channel {
        let group = MultiThreadedEventLoopGroup.singleton
        let replied = group.any().makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try addTLS?(pipeline)
                    try pipeline.addHandler(FirstReply(request: request, replied: replied))
                }
            }
            .connect(host: target.host, port: target.port).get()
        try await replied.futureResult.get()
        return channel
    }
}

/// Sends one request when the connection opens and reports the first reply; then stays quiet.
private final class FirstReply: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: ByteBuffer
    private let replied: EventLoopPromise<Void>

    init(request: ByteBuffer, replied: EventLoopPromise<Void>) {
        self.request = request
        self.replied = replied
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        replied.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        replied.fail(ChannelError.eof)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        replied.fail(error)
        context.close(promise: nil)
    }
}
