import ChatIdentity
import ChatWire
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The locator: one TCP port, the course protocol in clear and the modern protocol over TLS.
///
/// `bind` opens the port and reports the address actually bound (tests bind port 0); `run` serves
/// until `shutdown` or until its task is cancelled. One bad connection never stops the server:
/// each is served in its own child task that catches and logs its own errors.
public actor LocatorServer {
    public nonisolated let localAddress: SocketAddress
    /// The fingerprint clients pin on first contact.
    public nonisolated let fingerprint: Fingerprint

    let configuration: LocatorConfiguration
    let accounts: AccountStore
    let registry: PresenceRegistry
    let logger: Logger
    private let serverChannel: NIOAsyncChannel<EventLoopFuture<LocatorConnection>, Never>
    private let openChannels: OpenChannels

    private init(
        configuration: LocatorConfiguration, accounts: AccountStore, fingerprint: Fingerprint, logger: Logger,
        serverChannel: NIOAsyncChannel<EventLoopFuture<LocatorConnection>, Never>, openChannels: OpenChannels
    ) {
        self.openChannels = openChannels
        self.configuration = configuration
        self.accounts = accounts
        self.fingerprint = fingerprint
        self.logger = logger
        self.serverChannel = serverChannel
        self.localAddress = serverChannel.channel.localAddress!  // a bound server channel has one
        self.registry = PresenceRegistry(grace: configuration.presenceGrace, logger: logger)
    }

    public static func bind(
        configuration: LocatorConfiguration, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> LocatorServer {
        let accounts = try AccountStore(path: configuration.databasePath, hasher: configuration.passwordHashing)
        let identity = try Identity.loadOrCreate(at: configuration.identityPath, commonName: "p2pchat locator")
        let tlsContext = try identity.makeServerContext(clientAuthentication: .none)
        let limiter = ConnectionLimiter(limit: configuration.maxConnectionsPerAddress)
        let firstByteTimeout = configuration.firstByteTimeout
        let idleTimeout = configuration.idleTimeout
        let openChannels = OpenChannels()

        let serverChannel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Limits.maxLineLength + 3))
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let promise = channel.eventLoop.makePromise(of: LocatorConnection.self)
                    let host = channel.remoteAddress?.bareIP ?? "?"
                    guard limiter.acquire(host) else {
                        promise.fail(TooManyConnections(host: host))
                        channel.close(promise: nil)
                        return promise.futureResult
                    }
                    channel.closeFuture.whenComplete { _ in limiter.release(host) }
                    openChannels.add(channel)
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    try pipeline.addHandler(IdleCloser())
                    try pipeline.addHandler(
                        DialectSniffer(promise: promise, firstByteTimeout: firstByteTimeout) { channel, dialect in
                            try Self.configure(channel, for: dialect, tlsContext: tlsContext, firstLineTimeout: firstByteTimeout)
                        })
                    return promise.futureResult
                }
            }
        let server = LocatorServer(
            configuration: configuration, accounts: accounts, fingerprint: identity.fingerprint, logger: logger,
            serverChannel: serverChannel, openChannels: openChannels)
        logger.info("locator listening", metadata: ["address": "\(server.localAddress)"])
        return server
    }

    /// Builds the rest of the pipeline once the first byte has told the dialect (on the event loop).
    private static func configure(
        _ channel: any Channel, for dialect: DialectSniffer.Dialect, tlsContext: NIOSSLContext, firstLineTimeout: TimeAmount
    ) throws -> LocatorConnection {
        let pipeline = channel.pipeline.syncOperations
        switch dialect {
        case .legacy:
            // `printf q<id> | socat - TCP:…` sends its request and then shuts its side down: the
            // reply must still go out, so the end of a course client's input does not close the
            // connection. (Not for TLS, whose close would then wait for the peer's close_notify.)
            try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
            try pipeline.addHandler(ByteToMessageHandler(LegacyChunkDecoder()))
            return .legacy(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
        case .modern:
            try pipeline.addHandler(NIOSSLServerHandler(context: tlsContext))
            try pipeline.addHandler(ByteToMessageHandler(LineFrameDecoder()))
            try pipeline.addHandler(FirstLineDeadline(deadline: firstLineTimeout))
            try pipeline.addHandler(MessageToByteHandler(LineEncoder()))
            return .modern(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
        }
    }

    /// Serves connections until `shutdown()` or cancellation.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await serverChannel.executeThenClose { inbound in
                for try await negotiation in inbound {
                    group.addTask { await self.serve(negotiation) }
                }
            }
        }
    }

    /// Stops accepting and closes every open connection.
    public func shutdown() async {
        try? await serverChannel.channel.close()
        // All at once: a TLS connection may wait for its peer's close_notify, and must not hold up the rest.
        let channels = openChannels.all
        for channel in channels { channel.close(promise: nil) }
        for channel in channels { try? await channel.closeFuture.get() }
    }

    private func serve(_ negotiation: EventLoopFuture<LocatorConnection>) async {
        let connection: LocatorConnection
        do {
            connection = try await negotiation.get()
        } catch {
            logger.debug("connection dropped before its first request", metadata: ["reason": "\(error)"])
            return
        }
        switch connection {
        case .legacy(let channel):
            await serveLegacy(channel)
        case .modern(let channel):
            await serveModern(channel)
        }
    }

    /// Whether `user` may use the course protocol.
    nonisolated func isOnRoster(_ user: String) -> Bool {
        configuration.roster?.contains(user) ?? true
    }
}

struct TooManyConnections: Error, CustomStringConvertible {
    var host: String
    var description: String { "too many connections from \(host)" }
}

extension SocketAddress {
    /// The address without port, and without the `::ffff:` prefix of an IPv4-mapped IPv6 address.
    var bareIP: String? {
        guard let ip = ipAddress else { return nil }
        return ip.hasPrefix("::ffff:") && ip.contains(".") ? String(ip.dropFirst("::ffff:".count)) : ip
    }
}
