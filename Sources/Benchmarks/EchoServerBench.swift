import ArgumentParser
import CommandLineSupport
import NIOCore
import NIOPosix

extension Bench {
    /// A bare swift-nio echo server: the framework's own ceiling for tiny requests, measured with
    /// the same load generator as the locator.
    struct EchoServerBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "nio-echo",
            abstract: "Run a bare swift-nio echo server, the framework's ceiling for the locator benchmark.",
            shouldDisplay: false
        )

        @Option(help: ArgumentHelp("Address and port to listen on; port 0 picks a free one.", valueName: "host:port"))
        var listen = HostPort(host: "127.0.0.1", port: 0)

        func run() async throws {
            let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(EchoHandler()) }
                }
                .bind(host: listen.host, port: listen.port).get()
            say("nio echo server listening on \(server.localAddress?.hostPort ?? "?")")
            try await server.closeFuture.get()
        }
    }
}

/// Writes every read straight back.
private final class EchoHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}
