import NIOCore
import NIOPosix

/// A UDP relay between caller and callee that replays what the caller sends: every datagram
/// twice at once, and every tenth one again together with the one 80 datagrams back (older
/// than any replay window keeps).
actor ReplayingRelay {
    nonisolated let address: SocketAddress
    private let channel: any Channel
    private let handler: NIOLoopBound<Handler>

    static func start() async throws -> ReplayingRelay {
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(Handler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: Handler.self), eventLoop: channel.eventLoop)
        }.get()
        return ReplayingRelay(channel: channel, handler: handler)
    }

    private init(channel: any Channel, handler: NIOLoopBound<Handler>) {
        self.channel = channel
        self.handler = handler
        address = channel.localAddress!
    }

    func connect(caller: SocketAddress, callee: SocketAddress) async {
        let handler = handler
        try? await channel.eventLoop.submit {
            handler.value.caller = caller
            handler.value.callee = callee
        }.get()
    }

    func close() async {
        try? await channel.close()
    }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>

        var caller: SocketAddress?
        var callee: SocketAddress?
        private var fromCaller: [ByteBuffer] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let datagram = unwrapInboundIn(data)
            guard let caller, let callee else { return }
            func send(_ bytes: ByteBuffer, to address: SocketAddress) {
                context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: bytes)), promise: nil)
            }
            if datagram.remoteAddress == caller {
                fromCaller.append(datagram.data)
                send(datagram.data, to: callee)
                send(datagram.data, to: callee)
                if fromCaller.count % 10 == 0, fromCaller.count > 80 { send(fromCaller[fromCaller.count - 81], to: callee) }
            } else {
                send(datagram.data, to: caller)
            }
            context.flush()
        }
    }
}
