import ChatIdentity
import ChatWire
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// The locator: one TCP port, the course protocol in clear and the modern protocol over TLS.
///
/// `bind` opens the port and reports the address actually bound (tests bind port 0); `run` serves
/// until `shutdown` or until its task is cancelled. One bad connection never stops the server:
/// each is served in its own child task that catches and logs its own errors. Course queries are
/// answered on the event loop, from the presence table.
public actor LocatorServer {
    public nonisolated let localAddress: SocketAddress
    /// The fingerprint clients pin on first contact.
    public nonisolated let fingerprint: Fingerprint
    /// How many connections may be open at once (after raising the open-file limit).
    public nonisolated let maxConnections: Int

    let configuration: LocatorConfiguration
    let logger: Logger
    private let serverChannel: NIOAsyncChannel<EventLoopFuture<LocatorConnection>, Never>
    private let connections: ConnectionTable
    private let sweep: RepeatedTask
    private let registry: PresenceRegistry
    private let accounts: AccountStore
    private var isShutDown = false

    static let receiveBufferSize = 512
    /// Connections waiting to be accepted: room for a reconnect storm (the clients of a replica
    /// that died arrive at once), within Linux's default `somaxconn` of 4096.
    static let acceptBacklog: Int32 = 4096
    /// Connections accepted per wake-up of the listening socket. NIO's default of 4 left a storm
    /// waiting in the backlog while the loop served one request per connection in between.
    static let acceptsPerRead: UInt = 256

    private struct Parts {
        var connections: ConnectionTable
        var sweep: RepeatedTask
        var registry: PresenceRegistry
        var accounts: AccountStore
    }

    private init(
        configuration: LocatorConfiguration, fingerprint: Fingerprint, logger: Logger,
        serverChannel: NIOAsyncChannel<EventLoopFuture<LocatorConnection>, Never>, parts: Parts
    ) {
        self.configuration = configuration
        self.connections = parts.connections
        self.sweep = parts.sweep
        self.registry = parts.registry
        self.accounts = parts.accounts
        self.maxConnections = parts.connections.maxConnections
        self.fingerprint = fingerprint
        self.logger = logger
        self.serverChannel = serverChannel
        self.localAddress = serverChannel.channel.localAddress!  // a bound server channel has one
    }

    public static func bind(
        configuration: LocatorConfiguration, logger: Logger,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> LocatorServer {
        let accounts = AccountStore(
            store: try await configuration.openStore(logger: logger), hasher: configuration.passwordHashing,
            hashingWorkers: configuration.hashingWorkers ?? System.coreCount,
            hashingQueuePerAddress: configuration.hashingQueuePerAddress)
        let identity: Identity
        do {
            identity = try await configuration.loadIdentity(store: accounts.store, logger: logger)
        } catch {
            try? await accounts.store.close()
            throw error
        }
        let tlsContext = try identity.makeServerContext(clientAuthentication: .none)
        let fileLimit = FileDescriptorLimit.raiseToHard()
        let connections = ConnectionTable(
            maxConnections: configuration.maxConnections ?? FileDescriptorLimit.defaultConnectionCap(for: fileLimit),
            maxPerAddress: configuration.maxConnectionsPerAddress)
        let table = PresenceTable(
            courseTimeToLive: configuration.legacyTimeToLive, maxCourseLogins: configuration.maxLegacyLogins)
        let registry = PresenceRegistry(table: table, grace: configuration.presenceGrace, logger: logger)
        if let postgres = accounts.store as? PostgresLocatorStore { await registry.share(through: postgres) }
        let course = CourseService(
            table: table, password: configuration.legacyPassword, roster: configuration.roster,
            loginsPerSecond: Double(configuration.legacyLoginsPerSecond),
            // A synchronous callback hops to the registry; the task ends when it has been told.
            changed: { users in Task { await registry.presenceChanged(users) } })
        let modern = ModernService(configuration: configuration, accounts: accounts, registry: registry, logger: logger)
        let firstByteTimeout = configuration.firstByteTimeout
        let trim = MemoryTrim()

        let serverChannel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: Self.acceptBacklog)
            .serverChannelOption(.maxMessagesPerRead, value: Self.acceptsPerRead)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptPause(pause: .milliseconds(250), logger: logger))
                }
            }
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            // Each connection keeps its receive buffer while idle: a small one, read up to 16 times a
            // wake-up, so that a request of the longest allowed line still arrives in one.
            .childChannelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.receiveBufferSize))
            .childChannelOption(.maxMessagesPerRead, value: UInt((2 * Limits.maxLineLength) / Self.receiveBufferSize))
            .childChannelOption(.writeBufferWaterMark, value: OutputBackpressure.waterMark)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let promise = channel.eventLoop.makePromise(of: LocatorConnection.self)
                    let host = channel.remoteAddress?.bareIP ?? "?"
                    let activity = ConnectionActivity()
                    for evicted in connections.admit(channel, host: host, activity: activity) {
                        evicted.close(promise: nil)
                    }
                    try channel.pipeline.syncOperations.addHandler(OutputBackpressure(activity: activity, trim: trim))
                    try channel.pipeline.syncOperations.addHandler(
                        DialectSniffer(promise: promise, firstByteTimeout: firstByteTimeout) { channel, dialect in
                            try Self.configure(
                                channel, for: dialect, host: host, activity: activity, course: course, modern: modern,
                                tlsContext: tlsContext, firstLineTimeout: firstByteTimeout)
                        })
                    return promise.futureResult
                }
            }
        let sweep = Self.startSweep(
            on: serverChannel.channel.eventLoop, connections: connections, course: course, modern: modern, trim: trim,
            configuration: configuration)
        let server = LocatorServer(
            configuration: configuration, fingerprint: identity.fingerprint, logger: logger, serverChannel: serverChannel,
            parts: Parts(connections: connections, sweep: sweep, registry: registry, accounts: accounts))
        logger.info(
            "locator listening",
            metadata: ["address": "\(server.localAddress)", "max-connections": "\(connections.maxConnections)"])
        return server
    }

    /// Builds the rest of the pipeline once the first byte has told the dialect (on the event loop).
    private static func configure(
        _ channel: any Channel, for dialect: DialectSniffer.Dialect, host: String, activity: ConnectionActivity,
        course: CourseService, modern: ModernService, tlsContext: NIOSSLContext, firstLineTimeout: TimeAmount
    ) throws -> LocatorConnection {
        let pipeline = channel.pipeline.syncOperations
        switch dialect {
        case .legacy:
            // `printf q<id> | socat - TCP:…` sends its request and then shuts its side down: the
            // reply must still go out, so the end of a course client's input does not close the
            // connection. (Not for TLS, whose close would then wait for the peer's close_notify.)
            try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
            try pipeline.addHandler(CourseProtocolHandler(service: course, activity: activity, host: host))
            return .legacy
        case .modern:
            try pipeline.addHandler(NIOSSLServerHandler(context: tlsContext))
            try pipeline.addHandler(PartialLineWatch(activity: activity))
            try pipeline.addHandler(ByteToMessageHandler(LineFrameDecoder()))
            try pipeline.addHandler(FirstLineDeadline(deadline: firstLineTimeout))
            try pipeline.addHandler(MessageToByteHandler(LineEncoder()))
            try pipeline.addHandler(ModernProtocolHandler(service: modern, host: host, activity: activity))
            return .modern
        }
    }

    /// Closes connections idle too long, stuck in the middle of a request or not reading their
    /// replies, ends course logins past their time to live, forgets quiet rate and throttle
    /// records, logs the summaries of repeated notices, and trims memory after a wave of
    /// connections or a stalled one; a few times within the shortest timeout.
    private static func startSweep(
        on eventLoop: any EventLoop, connections: ConnectionTable, course: CourseService, modern: ModernService,
        trim: MemoryTrim,
        configuration: LocatorConfiguration
    ) -> RepeatedTask {
        let idle = configuration.idleTimeout
        let request = configuration.firstByteTimeout
        let interval = TimeAmount.nanoseconds(
            min(max(min(idle, request).nanoseconds / 4, TimeAmount.milliseconds(20).nanoseconds), TimeAmount.seconds(1).nanoseconds))
        return eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            for (channel, stalled) in connections.overdue(now: .now(), idleTimeout: idle, requestTimeout: request) {
                if stalled { abort(channel) } else { channel.close(promise: nil) }
            }
            course.expire()
            modern.sweep()
            trim.connectionsNow(connections.count)
        }
    }

    /// Closes a connection whose client does not read its replies with a reset (`SO_LINGER` 0),
    /// below TLS. A graceful close would queue its FIN, and TLS its close_notify, behind the
    /// replies that do not go out: the kernel would keep their memory for a client that never
    /// reads, NIOSSL would wait seconds for an answer that cannot come, and the client would not
    /// learn the connection is gone.
    private static func abort(_ channel: any Channel) {
        let lingerSet = (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0))
            ?? channel.eventLoop.makeSucceededVoidFuture()
        // On the channel's event loop, where its pipeline may be used directly.
        lingerSet.whenComplete { _ in
            if let tls = try? channel.pipeline.syncOperations.context(handlerType: NIOSSLServerHandler.self) {
                // Closed from the TLS handler's place, the close goes on to the socket without it.
                tls.close(mode: .all, promise: nil)
            } else {
                channel.close(mode: .all, promise: nil)
            }
        }
    }

    /// Serves connections until `shutdown()` or cancellation. Each connection is served by its
    /// handlers on its event loop once its first byte has told the dialect.
    public func run() async throws {
        let logger = logger
        try await serverChannel.executeThenClose { inbound in
            for try await negotiation in inbound {
                negotiation.whenFailure { error in
                    logger.debug("connection dropped before its first request", metadata: ["reason": "\(error)"])
                }
            }
        }
    }

    /// Stops accepting, tells modern clients `BYE shutdown`, closes every open connection, and
    /// leaves every account in the database file itself (no write-ahead log to replay).
    public func shutdown() async {
        guard !isShutDown else { return }
        isShutDown = true
        sweep.cancel()
        try? await serverChannel.channel.close()
        await registry.sayGoodbye(reason: "shutdown")
        // All at once: a TLS connection may wait for its peer's close_notify, and must not hold up the rest.
        let channels = connections.all
        for channel in channels { channel.close(promise: nil) }
        for channel in channels { try? await channel.closeFuture.get() }
        do {
            try await accounts.close()
        } catch {
            logger.error("could not flush the account database", metadata: ["error": "\(error)"])
        }
    }

    /// How many connections are open now.
    public nonisolated var connectionCount: Int { connections.count }
}

extension SocketAddress {
    /// The address without port, and without the `::ffff:` prefix of an IPv4-mapped IPv6 address.
    var bareIP: String? {
        guard let ip = ipAddress else { return nil }
        return ip.hasPrefix("::ffff:") && ip.contains(".") ? String(ip.dropFirst("::ffff:".count)) : ip
    }
}
