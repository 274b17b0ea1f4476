import ChatIdentity
import ChatWire
import Glibc
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Listens for peers and dials them, over mutual TLS 1.3, and keeps one live connection per peer.
///
/// Every connection starts with a `Hello` each way. The dialer pins the certificate it expects
/// (the friend's, or the one the locator published); the listener learns who claims to be
/// calling from the `Hello` and asks its delegate whether that certificate belongs to that user.
/// After that, every frame's `Source` must be the connection's peer.
actor PeerNode {
    enum Verdict: Sendable, Equatable {
        case accept
        case refuse(String)
    }

    enum Error: Swift.Error, CustomStringConvertible {
        case notStarted
        case handshakeFailed(peer: String, reason: String)

        var description: String {
            switch self {
            case .notStarted: "the peer node is not running"
            case .handshakeFailed(let peer, let reason): "could not open a connection to \(peer): \(reason)"
            }
        }
    }

    typealias FrameChannel = NIOAsyncChannel<PeerFrame, PeerFrame>

    nonisolated let me: String
    private nonisolated let streams: StreamRouter
    private let serverContext: NIOSSLContext
    private let clientContext: NIOSSLContext
    private let group: any EventLoopGroup
    private let logger: Logger
    private let idleTimeout: TimeAmount
    private let handshakeTimeout: TimeAmount
    private weak var delegate: (any PeerNodeDelegate)?

    /// The connection used to send to each peer: the newest that completed its handshake.
    private var preferred: [String: PeerConnection] = [:]
    private var live: [Int: PeerConnection] = [:]
    private var dials: [String: Task<PeerConnection, any Swift.Error>] = [:]
    private var nextConnectionID = 1
    private var serverChannel: NIOAsyncChannel<FrameChannel, Never>?
    /// The listener and the connections' tasks, running in the login session's tree.
    private var runner: SessionWork?
    private var jobs: AsyncStream<@Sendable () async -> Void>.Continuation?
    /// Where the listener is bound: hole punching dials from this port, so that the NAT maps it
    /// as it mapped the listener for the locator.
    private var listenAddress: SocketAddress?
    /// A user's `direct` addresses as the locator sees them (ours, to tell a peer; a peer's, to
    /// check what it tells us); set when relayed connections can exist (a modern locator with a
    /// relay), which turns hole punching on.
    private var directAddresses: (@Sendable (String) async -> [PeerCandidate])?
    /// The hole-punching state of each live relayed connection, by connection id.
    private var punchSessions: [Int: PunchSession] = [:]
    /// A relayed connection that a newer one to the same peer took over (by the relayed one's
    /// id): when it closes, the parts are told of the newer one again.
    private var successors: [Int: PeerConnection] = [:]

    init(
        me: String, identity: Identity, streams: StreamRouter, logger: Logger,
        idleTimeout: TimeAmount = .minutes(5), handshakeTimeout: TimeAmount = .seconds(10),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        self.me = me
        self.streams = streams
        self.serverContext = try identity.makeServerContext(clientAuthentication: .required)
        self.clientContext = try identity.makeClientContext(presentCertificate: true)
        self.logger = logger
        self.idleTimeout = idleTimeout
        self.handshakeTimeout = handshakeTimeout
        self.group = group
    }

    func setDelegate(_ delegate: any PeerNodeDelegate) {
        self.delegate = delegate
    }

    /// Binds the listener and starts serving in `scope` (the login session's tree); returns the
    /// port actually bound.
    func start(host: String, port: Int, in scope: SessionScope) async throws -> Int {
        let context = serverContext
        let idle = idleTimeout
        if port != 0 { try await Self.checkPortIsFree(host: host, port: port, group: group) }
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Shared with hole punching's outgoing sockets, which dial from this very port.
            .serverChannelOption(Self.reusePort, value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childrenDetectingDeadPaths()
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addPinnedTLSServerHandlers(context: context, pin: .acceptAny)
                    return try Self.addFraming(to: channel, idleTimeout: idle)
                }
            }
        serverChannel = server
        listenAddress = server.channel.localAddress
        let (jobStream, jobs) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
        self.jobs = jobs
        runner = scope.start {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    do {
                        try await server.executeThenClose { inbound in
                            for try await channel in inbound {
                                await Self.serve(channel, in: jobs) { await self.serve(channel, dialing: nil) }
                            }
                        }
                        await self.listenerEnded(because: "it was closed")
                    } catch {
                        await self.listenerEnded(because: "\(error)")
                    }
                }
                for await job in jobStream { group.addTask { await job() } }
            }
        }
        return server.channel.localAddress?.port ?? port
    }

    /// Fails as a listener without `SO_REUSEPORT` would when another program listens on the port:
    /// with it, a second client given the same port would share it silently.
    private static func checkPortIsFree(host: String, port: Int, group: any EventLoopGroup) async throws {
        let probe = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port).get()
        try await probe.close()
    }

    /// Friends can no longer dial us: said once, in the log and to the user. Not when the node is
    /// stopping, which closes the listener on purpose.
    private func listenerEnded(because reason: String) async {
        guard jobs != nil else { return }
        logger.error("the peer listener stopped accepting connections", metadata: ["reason": "\(reason)"])
        await delegate?.listenerFailed(reason: reason)
    }

    /// Closes the listener and every connection, and waits for their tasks to end.
    func stop() async {
        jobs?.finish()
        jobs = nil
        try? await serverChannel?.channel.close()
        for connection in live.values { connection.close() }
        for dial in dials.values { dial.cancel() }
        await runner?.finished()
        runner = nil
    }

    func connection(to peer: String) -> PeerConnection? {
        preferred[peer]
    }

    /// Turns on hole punching for relayed connections: `directAddresses` says where the locator
    /// sees a user.
    func enablePunching(directAddresses: @escaping @Sendable (String) async -> [PeerCandidate]) {
        self.directAddresses = directAddresses
    }

    /// Opens the TCP connection of one attempt and lets `configure` add TLS and framing to it:
    /// straight to a candidate's address, or through the TURN relay.
    typealias Opener = @Sendable (_ configure: @escaping @Sendable (any Channel) throws -> FrameChannel) async throws -> FrameChannel

    /// How long the race waits for one path before it also tries the next (RFC 8305 suggests 250 ms).
    static let stagger = Duration.milliseconds(250)

    /// The live connection to `peer`, or a new one over the first of `candidates` whose handshake
    /// pins `pin` (`StaggeredDial`: LAN first, then direct, then relayed). `opener` says how to
    /// open each; `pinFailed` hears of every path whose certificate was not the one pinned.
    func connect(
        to peer: String, candidates: [PeerCandidate], pin: PinPolicy,
        opener: @escaping @Sendable (PeerCandidate) -> Opener,
        pinFailed: @escaping @Sendable (PeerCandidate, PinMismatchError) -> Void = { _, _ in }
    ) async throws -> PeerConnection {
        if let connection = preferred[peer] { return connection }
        if let dial = dials[peer] { return try await dial.value }
        // Shared by every caller that asks for `peer` while it runs, so it cannot be a child of one
        // of them. Who ends it: the race (the connection itself is served in the session's tree),
        // or `stop()`, which cancels it.
        let dial = Task { try await self.race(peer, candidates: candidates, pin: pin, opener: opener, pinFailed: pinFailed) }
        dials[peer] = dial
        defer { dials[peer] = nil }
        return try await dial.value
    }

    private nonisolated func race(
        _ peer: String, candidates: [PeerCandidate], pin: PinPolicy,
        opener: @escaping @Sendable (PeerCandidate) -> Opener,
        pinFailed: @escaping @Sendable (PeerCandidate, PinMismatchError) -> Void
    ) async throws -> PeerConnection {
        let (_, winner) = try await StaggeredDial.race(
            candidates, stagger: Self.stagger,
            attempt: { candidate in
                do {
                    return try await self.attempt(peer, over: candidate, pin: pin, open: opener(candidate))
                } catch let mismatch as PinMismatchError {
                    pinFailed(candidate, mismatch)
                    throw mismatch
                }
            },
            discard: { $0.drop() })
        return try await winner.keep()
    }

    /// Opens one path to `peer` and returns once its handshake has pinned them; the connection
    /// then waits for the race's verdict.
    private func attempt(_ peer: String, over candidate: PeerCandidate, pin: PinPolicy, open: Opener) async throws -> DialAttempt {
        guard let jobs else { throw Error.notStarted }
        let context = clientContext
        let idle = idleTimeout
        let host = candidate.host
        let channel = try await open { channel in
            try channel.pipeline.syncOperations.addPinnedTLSClientHandlers(context: context, serverHostname: host, pin: pin)
            return try Self.addFraming(to: channel, idleTimeout: idle)
        }
        let attempt = DialAttempt(peer: peer, candidate: candidate, channel: channel.channel)
        guard await Self.serve(channel, in: jobs, { await self.serve(channel, dialing: attempt) }) else {
            throw Error.notStarted
        }
        try await attempt.handshakeFinished()
        return attempt
    }

    static let reusePort = ChannelOptions.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT))

    /// Opens a plain TCP connection to `candidate`'s address; from `local` when given (hole
    /// punching: the listener's port, shared with it).
    nonisolated func directOpener(to candidate: PeerCandidate, from local: SocketAddress? = nil, timeout: TimeAmount = .seconds(5)) -> Opener {
        let group = group
        return { configure in
            let connecting = ConnectingChannel()
            return try await withTaskCancellationHandler {
                var bootstrap = ClientBootstrap(group: group)
                    .connectTimeout(timeout)
                    .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .detectingDeadPaths()
                if let local {
                    bootstrap = bootstrap
                        .channelOption(.socketOption(.so_reuseaddr), value: 1)
                        .channelOption(Self.reusePort, value: 1)
                        .bind(to: local)
                }
                return try await bootstrap
                    .connect(host: candidate.host, port: candidate.port) { channel in
                        connecting.started(channel)
                        return channel.eventLoop.makeCompletedFuture { try configure(channel) }
                    }
            } onCancel: {
                connecting.cancel()
            }
        }
    }

    /// A peer that dialed our relayed address: `bind` binds its connection at the relay, and it is
    /// then served as one the listener accepted, its path `relayed`.
    func acceptRelayed(_ bind: Opener) async throws {
        guard let jobs else { throw Error.notStarted }
        let context = serverContext
        let idle = idleTimeout
        let channel = try await bind { channel in
            try channel.pipeline.syncOperations.addPinnedTLSServerHandlers(context: context, pin: .acceptAny)
            return try Self.addFraming(to: channel, idleTimeout: idle)
        }
        await Self.serve(channel, in: jobs) { await self.serve(channel, dialing: nil, path: .relayed) }
    }

    // MARK: Hole punching

    /// How long a new connection waits for the peer's `switch` on the relayed one before it reads
    /// anyway (a peer that does not punch never says it).
    static let switchTimeout = Duration.seconds(10)
    /// A punched SYN that gets no answer in this time failed: the NATs let nothing through.
    static let punchConnectTimeout = TimeAmount.seconds(3)

    /// Runs hole punching for a new relayed connection in the node's task group.
    private func startPunching(_ session: PunchSession) {
        punchSessions[session.relayed.id] = session
        guard let directAddresses, let jobs, let listenAddress else { return }
        let relayed = session.relayed
        let me = me
        let punch = HolePunch(
            me: me, session: session, ownAddresses: { await directAddresses(me) },
            dial: { address in
                // A peer's word is not enough to make us dial somewhere: only where the locator
                // sees it.
                guard await directAddresses(relayed.peer).contains(address) else {
                    throw Error.handshakeFailed(peer: relayed.peer, reason: "\(address.host):\(address.port) is not where the locator sees them")
                }
                return try await self.punchedConnection(to: relayed.peer, at: address, from: listenAddress, pin: relayed.fingerprint, asClient: relayed.isOutbound)
            },
            logger: logger)
        jobs.yield {
            let punched = relayed.isOutbound ? await punch.runAsInitiator() : await punch.runAsResponder()
            if let punched {
                self.logger.info("hole punching succeeded", metadata: ["peer": "\(relayed.peer)", "rtt": "\(punched.peerPath.roundTripMilliseconds) ms"])
            } else if relayed.isOutbound {
                self.logger.info("hole punching failed; the connection stays relayed", metadata: ["peer": "\(relayed.peer)"])
            }
        }
    }

    /// One punched TCP connection from our listening port to `address`, with the same pinned
    /// mutual TLS: the side that dialed the relayed connection is the TLS client. Returns once it
    /// is registered.
    private func punchedConnection(
        to peer: String, at address: PeerCandidate, from local: SocketAddress, pin: Fingerprint, asClient: Bool
    ) async throws -> PeerConnection {
        guard let jobs else { throw Error.notStarted }
        let open = directOpener(to: address, from: local, timeout: Self.punchConnectTimeout)
        let idle = idleTimeout
        if asClient {
            let context = clientContext
            let channel = try await open { channel in
                try channel.pipeline.syncOperations.addPinnedTLSClientHandlers(context: context, serverHostname: address.host, pin: .expect(pin))
                return try Self.addFraming(to: channel, idleTimeout: idle)
            }
            let attempt = DialAttempt(peer: peer, candidate: address, channel: channel.channel)
            guard await Self.serve(channel, in: jobs, { await self.serve(channel, dialing: attempt, path: .punched) }) else {
                throw Error.notStarted
            }
            try await attempt.handshakeFinished()
            return try await attempt.keep()
        }
        let context = serverContext
        let channel = try await open { channel in
            try channel.pipeline.syncOperations.addPinnedTLSServerHandlers(context: context, pin: .expect(pin))
            return try Self.addFraming(to: channel, idleTimeout: idle)
        }
        let accepted = DialOutcome<PeerConnection>()
        guard await Self.serve(channel, in: jobs, { await self.serve(channel, dialing: nil, path: .punched, accepted: accepted) }) else {
            throw Error.notStarted
        }
        return try await accepted.wait { [channel = channel.channel] in channel.close(promise: nil) }
    }

    /// A new connection to a peer we also reach through the relay: the relayed one is handed
    /// over. We say `switch` on it (our last frame there; the new one is already preferred), the
    /// user hears of the new path, and the new connection's reading waits for the peer's `switch`
    /// (or the relayed connection's end), so nothing the peer sent before moving comes after what
    /// it sends since. The side that dialed the relayed connection then closes it.
    private nonisolated func handOver(to connection: PeerConnection) async {
        guard let session = await relayedSession(to: connection.peer, replacedBy: connection) else { return }
        if session.markSwitchSent() {
            try? await session.relayed.send(PunchSignal.switchOver.envelope(from: me, to: connection.peer))
            await currentDelegate()?.pathChanged(from: session.relayed, to: connection)
        }
        let switched = await session.peerSwitched(within: Self.switchTimeout)
        if !switched {
            logger.notice("the peer did not say it moved off the relayed connection", metadata: ["peer": "\(connection.peer)"])
        }
        if session.relayed.isOutbound { session.relayed.close() }
    }

    /// The punch session of a live relayed connection to `peer` (not `successor` itself), which
    /// `successor` takes over.
    private func relayedSession(to peer: String, replacedBy successor: PeerConnection) -> PunchSession? {
        guard successor.path != .relayed,
              let session = punchSessions.values.first(where: { $0.relayed.peer == peer && $0.relayed.id != successor.id }) else { return nil }
        successors[session.relayed.id] = successor
        return session
    }

    private func punchReceived(_ envelope: Envelope, on connection: PeerConnection) {
        guard let session = punchSessions[connection.id] else {
            logger.notice("dropped a Punch frame on a connection that is not relayed", metadata: ["peer": "\(connection.peer)"])
            return
        }
        guard let signal = envelope.data.flatMap(PunchSignal.init(data:)) else {
            logger.warning("dropped an invalid Punch frame", metadata: ["peer": "\(connection.peer)"])
            return
        }
        session.received(signal)
    }

    /// A connection closed: its punch session ends, and if a newer connection took it over, that
    /// one is what the parts know of the peer from now on.
    private func relayedEnded(_ connection: PeerConnection) -> PeerConnection? {
        punchSessions.removeValue(forKey: connection.id)?.ended()
        guard let successor = successors.removeValue(forKey: connection.id), live[successor.id] != nil else { return nil }
        return successor
    }

    /// Hands a new connection's task to the node's task group. When the node is stopping (the
    /// group takes no more), the connection is closed here instead: an async channel must be
    /// closed through `executeThenClose`, never just dropped.
    @discardableResult
    private static func serve(
        _ channel: FrameChannel, in jobs: AsyncStream<@Sendable () async -> Void>.Continuation,
        _ job: @escaping @Sendable () async -> Void
    ) async -> Bool {
        if case .terminated = jobs.yield(job) {
            try? await channel.executeThenClose { _, _ in }
            return false
        }
        return true
    }

    private static func addFraming(to channel: any Channel, idleTimeout: TimeAmount) throws -> FrameChannel {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(ByteToMessageHandler(PeerFrameDecoder()))
        try pipeline.addHandler(PeerFrameEncoder())
        try pipeline.addHandler(IdleStateHandler(allTimeout: idleTimeout))
        try pipeline.addHandler(IdleCloser())
        return try FrameChannel(wrappingChannelSynchronously: channel)
    }

    // MARK: Serving one connection

    /// Runs one connection from handshake to close. `dialing` is set when we dialed it; `path`
    /// when it is known beforehand (it came in through the TURN relay, or was punched); `accepted`
    /// hears of a connection we did not dial once it is registered.
    private nonisolated func serve(
        _ channel: FrameChannel, dialing: DialAttempt?, path knownPath: PeerCandidate.Kind? = nil,
        accepted: DialOutcome<PeerConnection>? = nil
    ) async {
        let started = ContinuousClock.now
        let path: PeerCandidate.Kind = knownPath ?? (dialing?.candidate.kind == .relayed ? .relayed : LanCandidates.path(to: channel.channel.remoteAddress))
        let handshakeTimer = channel.channel.eventLoop.scheduleTask(in: handshakeTimeout) {
            channel.channel.close(promise: nil)
        }
        var established: PeerConnection?
        do {
            try await channel.executeThenClose { inbound, outbound in
                var frames = inbound.makeAsyncIterator()
                let connection: PeerConnection
                if let dialing {
                    let sent = ContinuousClock.now
                    try await outbound.write(.envelope(Envelope(type: .hello, source: me, target: dialing.peer).encoded()))
                    let hello = try await readHello(from: &frames, to: me)
                    let roundTrip = ContinuousClock.now - sent
                    guard hello.source == dialing.peer else {
                        throw Error.handshakeFailed(peer: dialing.peer, reason: "it answered as '\(hello.source)'")
                    }
                    guard await dialing.handshakeSucceeded() else { return }
                    connection = try await register(channel, peer: dialing.peer, isOutbound: true, path: path, roundTrip: roundTrip)
                    dialing.registered(connection)
                } else {
                    let hello = try await readHello(from: &frames, to: me)
                    let roundTrip = ContinuousClock.now - started
                    let fingerprint = try await Self.peerFingerprint(of: channel.channel)
                    let verdict = await currentDelegate()?.authenticate(user: hello.source, fingerprint: fingerprint) ?? .refuse("shutting down")
                    if case .refuse(let reason) = verdict {
                        logger.warning("refused peer", metadata: ["claims": "\(hello.source)", "reason": "\(reason)"])
                        return
                    }
                    try await outbound.write(.envelope(Envelope(type: .hello, source: me, target: hello.source).encoded()))
                    connection = try await register(channel, peer: hello.source, isOutbound: false, path: path, roundTrip: roundTrip)
                    accepted?.succeed(connection)
                }
                handshakeTimer.cancel()
                established = connection
                guard let delegate = await currentDelegate() else { return }
                if path == .relayed { await startPunching(PunchSession(relayed: connection)) }
                // The parts greet the new connection (and may send a backlog) beside the receive
                // loop, so two peers flushing to each other at once never wait on each other.
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { await delegate.peerConnected(connection) }
                    await handOver(to: connection)
                    try await receive(from: &frames, on: connection, delegate: delegate)
                    group.cancelAll()
                }
            }
        } catch {
            dialing?.failed(error)
            accepted?.fail(error)
            logger.debug("peer connection ended", metadata: ["peer": "\(established?.peer ?? dialing?.peer ?? "?")", "reason": "\(error)"])
        }
        handshakeTimer.cancel()
        dialing?.failed(Error.handshakeFailed(peer: dialing?.peer ?? "?", reason: "the connection closed"))
        accepted?.fail(Error.handshakeFailed(peer: "?", reason: "the connection closed"))
        if let established {
            await unregister(established)
            // What the parts had on a relayed connection (a paused transfer, a friend's choices, a
            // call) they take up again on the one that took it over.
            if let successor = await relayedEnded(established) {
                logger.info("the relayed connection closed; the new one carries on", metadata: ["peer": "\(successor.peer)", "path": "\(successor.path)"])
                await currentDelegate()?.peerMoved(from: established, to: successor)
            } else {
                await currentDelegate()?.peerDisconnected(established)
            }
        }
    }

    private nonisolated func receive(
        from frames: inout NIOAsyncChannelInboundStream<PeerFrame>.AsyncIterator, on connection: PeerConnection,
        delegate: any PeerNodeDelegate
    ) async throws {
        while let frame = try await frames.next() {
            let payload: ByteBuffer
            switch frame {
            case .envelope(let envelopePayload):
                payload = envelopePayload
            case .chunk(let chunkPayload):
                await deliver(chunkPayload, on: connection)
                // Frames already queued are read without suspending: a stream's frames would keep
                // this thread of the shared pool, and the engine's own work (a chat message, its
                // ack) would wait until the stream ends.
                await Task.yield()
                continue
            }
            let envelope: Envelope
            do {
                envelope = try Envelope.decode(from: payload)
            } catch {
                logger.warning("dropped an invalid envelope", metadata: ["peer": "\(connection.peer)", "error": "\(error)"])
                continue
            }
            guard envelope.source == connection.peer else {
                logger.warning(
                    "dropped a frame whose Source is not the connection's peer",
                    metadata: ["peer": "\(connection.peer)", "claimed": "\(envelope.source)", "type": "\(envelope.type)"])
                continue
            }
            if envelope.type == .punch {
                await punchReceived(envelope, on: connection)
                continue
            }
            await delegate.received(envelope, on: connection)
        }
    }

    /// A kind-1 frame goes to the receiver of its stream, from this task, never through an actor.
    private nonisolated func deliver(_ payload: ByteBuffer, on connection: PeerConnection) async {
        guard let chunk = StreamChunk(payload: payload) else {
            logger.warning("dropped a chunk too short to name its stream", metadata: ["peer": "\(connection.peer)"])
            return
        }
        guard let receiver = streams.receiver(for: chunk.streamID, from: connection.peer) else {
            logger.notice("dropped a chunk of a stream nobody opened", metadata: ["peer": "\(connection.peer)", "stream": "\(chunk.streamID)"])
            return
        }
        await receiver.receive(chunk.bytes, on: connection)
    }

    private nonisolated func readHello(
        from frames: inout NIOAsyncChannelInboundStream<PeerFrame>.AsyncIterator, to me: String
    ) async throws -> Envelope {
        guard case .envelope(let payload)? = try await frames.next() else {
            throw Error.handshakeFailed(peer: "?", reason: "no Hello")
        }
        let hello = try Envelope.decode(from: payload)
        guard hello.type == .hello, hello.target == me else {
            throw Error.handshakeFailed(peer: hello.source, reason: "the first frame was not a Hello to \(me)")
        }
        return hello
    }

    private static func peerFingerprint(of channel: any Channel) async throws -> Fingerprint {
        let fingerprint = try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.peerFingerprint()
        }.get()
        guard let fingerprint else { throw Error.handshakeFailed(peer: "?", reason: "no certificate") }
        return fingerprint
    }

    private func currentDelegate() -> (any PeerNodeDelegate)? {
        delegate
    }

    private func register(
        _ channel: FrameChannel, peer: String, isOutbound: Bool, path: PeerCandidate.Kind, roundTrip: Duration
    ) async throws -> PeerConnection {
        let fingerprint = try await Self.peerFingerprint(of: channel.channel)
        let connection = PeerConnection(
            peer: peer, fingerprint: fingerprint, isOutbound: isOutbound, path: path, roundTrip: roundTrip,
            id: nextConnectionID, channel: channel.channel)
        nextConnectionID += 1
        live[connection.id] = connection
        preferred[peer] = connection
        logger.debug("peer connected", metadata: ["peer": "\(peer)", "outbound": "\(isOutbound)", "path": "\(path)"])
        return connection
    }

    private func unregister(_ connection: PeerConnection) {
        live[connection.id] = nil
        if preferred[connection.peer]?.id == connection.id {
            // Another live connection to the same peer (both dialed at once) takes over.
            preferred[connection.peer] = live.values.first { $0.peer == connection.peer }
        }
    }
}
