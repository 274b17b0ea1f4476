import NIOCore

/// Decides from a connection's first byte which protocol it speaks: `0x16` opens a TLS handshake
/// (the modern protocol); anything else is the course protocol. It then builds the rest of the
/// pipeline, hands the channel on as a `LocatorConnection`, and removes itself.
final class DialectSniffer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    enum Dialect {
        case legacy
        case modern
    }

    struct FirstByteTimeout: Error, CustomStringConvertible {
        var description: String { "no request before the first-byte timeout" }
    }

    private let promise: EventLoopPromise<LocatorConnection>
    private let firstByteTimeout: TimeAmount
    private let configure: (any Channel, Dialect) throws -> LocatorConnection
    private var timeout: Scheduled<Void>?
    private var decided = false

    init(
        promise: EventLoopPromise<LocatorConnection>, firstByteTimeout: TimeAmount,
        configure: @escaping (any Channel, Dialect) throws -> LocatorConnection
    ) {
        self.promise = promise
        self.firstByteTimeout = firstByteTimeout
        self.configure = configure
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let promise = promise
        timeout = context.eventLoop.scheduleTask(in: firstByteTimeout) {
            promise.fail(FirstByteTimeout())
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !decided else { return context.fireChannelRead(data) }
        let buffer = unwrapInboundIn(data)
        guard let first = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return }
        decided = true
        timeout?.cancel()
        do {
            let connection = try configure(context.channel, first == 0x16 ? .modern : .legacy)
            promise.succeed(connection)
            context.fireChannelRead(data)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        } catch {
            promise.fail(error)
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        if !decided { promise.fail(ChannelError.eof) }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !decided {
            decided = true
            promise.fail(error)
            context.close(promise: nil)
        } else {
            context.fireErrorCaught(error)
        }
    }
}

/// A connection after the sniffer decided its dialect.
enum LocatorConnection: Sendable {
    /// Course protocol: served on the event loop by `CourseProtocolHandler`, nothing left to do.
    case legacy
    /// Modern protocol over TLS: served on the event loop by `ModernProtocolHandler`.
    case modern
}
