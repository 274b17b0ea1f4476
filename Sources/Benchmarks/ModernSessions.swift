import ChatIdentity
import ChatWire
import CommandLineSupport
import NIOCore
import NIOPosix

/// Opens modern (TLS) locator sessions for benchmarks: the handshake and the line framing, with
/// any locator certificate accepted (the benchmark talks to a locator it started itself).
struct ModernSessions: Sendable {
    enum Failure: Error, CustomStringConvertible {
        case loginRefused(String)
        case closed(String)

        var description: String {
            switch self {
            case .loginRefused(let user): "the locator refused the login of \(user)"
            case .closed(let what): "\(what) closed the connection"
            }
        }
    }

    let target: HostPort
    /// Adds the client side of TLS to a pipeline.
    let addTLS: @Sendable (ChannelPipeline.SynchronousOperations) throws -> Void

    init(target: HostPort) throws {
        self.target = target
        let context = try Identity.generate(commonName: "p2pchat bench").makeClientContext(presentCertificate: false)
        addTLS = { pipeline in try pipeline.addPinnedTLSClientHandlers(context: context, serverHostname: nil, pin: .acceptAny) }
    }

    /// A new session, from the loopback address `source` when given (the locator sees another client host).
    func open(from source: String? = nil) async throws -> NIOAsyncChannel<String, String> {
        let addTLS = addTLS
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if let source { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: source, port: 0)) }
        return try await bootstrap
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try addTLS(pipeline)
                    try pipeline.addHandler(ByteToMessageHandler(LineFrameDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(LineEncoder()))
                    return try NIOAsyncChannel<String, String>(wrappingChannelSynchronously: channel)
                }
            }
    }
}
