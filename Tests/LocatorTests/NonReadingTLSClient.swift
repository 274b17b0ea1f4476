import ChatIdentity
import NIOCore
import NIOPosix
import Synchronization

/// A modern-protocol client that completes the TLS handshake, gets one reply, and from then on
/// sends requests and never reads, with a tiny receive buffer (`SO_RCVBUF` 4096).
final class NonReadingTLSClient: Sendable {
    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects, sends `PING`, waits for the first reply, then stops reading.
    static func connect(port: Int, from source: String) async throws -> NonReadingTLSClient {
        let identity = try Identity.generate(commonName: "non-reading client")
        let context = try identity.makeClientContext(presentCertificate: false)
        // One event loop for the channel and the promise its handler completes.
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()
        let firstReply = eventLoop.makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: eventLoop)
            .channelOption(.socketOption(.so_rcvbuf), value: 4096)
            .bind(to: try SocketAddress(ipAddress: source, port: 0))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addPinnedTLSClientHandlers(
                        context: context, serverHostname: nil, pin: .acceptAny)
                    try channel.pipeline.syncOperations.addHandler(FirstReply(promise: firstReply))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: "PING\n"))
        try await firstReply.futureResult.get()
        try await channel.setOption(.autoRead, value: false).get()
        return NonReadingTLSClient(channel: channel)
    }

    /// Writes `chunk` again and again until `limit` bytes have gone out, a write has not gone out
    /// within `stallAfter` (the locator stopped reading), or `deadline` passes.
    func flood(_ chunk: ByteBuffer, limit: Int, stallAfter: TimeAmount = .seconds(1), deadline: Duration = .seconds(60)) async throws -> NonReadingClient.Flood {
        let end = ContinuousClock.now + deadline
        var sent = 0
        while sent < limit, ContinuousClock.now < end {
            let written = channel.eventLoop.makePromise(of: Void.self)
            channel.writeAndFlush(chunk, promise: written)
            let timer = channel.eventLoop.scheduleTask(in: stallAfter) {}
            let stalled = try await Self.first(of: [written.futureResult.map { false }, timer.futureResult.map { true }], on: channel.eventLoop).get()
            timer.cancel()
            if stalled { return NonReadingClient.Flood(sent: sent, stalled: true) }
            sent += chunk.readableBytes
        }
        return NonReadingClient.Flood(sent: sent, stalled: false)
    }

    /// Whether the locator closed the connection within `timeout`. The client sends a `PING` every
    /// `probeInterval` meanwhile: a locator that read everything before it closed leaves its
    /// FIN behind replies this client never reads, and only the reset that answers new bytes
    /// tells the client the connection is gone (the course client probes the same way).
    func waitUntilClosed(timeout: TimeAmount, probeInterval: TimeAmount = .milliseconds(100)) async throws -> Bool {
        let channel = channel
        let probing = channel.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: probeInterval) { _ in
            channel.writeAndFlush(ByteBuffer(string: "PING\n"), promise: nil)
        }
        let timer = channel.eventLoop.scheduleTask(in: timeout) {}
        defer {
            timer.cancel()
            probing.cancel()
        }
        return try await Self.first(of: [channel.closeFuture.map { true }, timer.futureResult.map { false }], on: channel.eventLoop).get()
    }

    /// The result of whichever of `futures` completes first.
    private static func first(of futures: [EventLoopFuture<Bool>], on eventLoop: any EventLoop) -> EventLoopFuture<Bool> {
        let promise = eventLoop.makePromise(of: Bool.self)
        let done = Mutex(false)
        for future in futures {
            future.whenComplete { result in
                guard done.withLock({ done in defer { done = true }; return !done }) else { return }
                promise.completeWith(result)
            }
        }
        return promise.futureResult
    }

    func close() {
        channel.close(promise: nil)
    }

    /// Completes its promise at the first bytes after the handshake.
    private final class FirstReply: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        private let promise: EventLoopPromise<Void>

        init(promise: EventLoopPromise<Void>) {
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            promise.succeed()
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.ioOnClosedChannel)
            context.fireChannelInactive()
        }
    }
}
