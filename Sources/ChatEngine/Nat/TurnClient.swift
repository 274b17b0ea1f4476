import ChatWire
import NIOCore
import NIOPosix

/// One allocation on a TURN relay (RFC 8656), over a TCP connection to it: Allocate with the
/// long-term credential dance (a first request without credentials earns a 401 with the realm
/// and a nonce), Refresh, CreatePermission, Send and Data indications for a UDP allocation, and
/// for a TCP allocation (RFC 6062) Connect, ConnectionAttempt and ConnectionBind on a second TCP
/// connection per peer, which then carries the peer's bytes: our TLS runs inside it, so the
/// relay sees ciphertext only.
///
/// `run()` reads the control connection; it must be running while requests are made, and
/// returns when the connection closes.
actor TurnClient {
    let server: SocketAddress
    private let credentials: TurnCredentials
    private let channel: any Channel
    private let group: any EventLoopGroup
    private let frames: AsyncStream<TurnStreamFrame>
    private let timeout: Duration
    /// The largest datagram a Send indication carries here: what a UDP packet holds on any path.
    static let maxDatagram = 1200

    /// The realm and nonce of the last 401 or 438; nil before the first.
    private var realm: String?
    private var nonce: String?
    private var expected: Set<StunTransactionID> = []
    private var early: [StunTransactionID: ReceivedStunMessage] = [:]
    private var pending: [StunTransactionID: CheckedContinuation<ReceivedStunMessage, any Error>] = [:]
    private var isClosed = false

    /// Peers connecting to a TCP allocation's relayed address.
    nonisolated let connectionAttempts: AsyncStream<TurnConnectionAttempt>
    private let attemptsContinuation: AsyncStream<TurnConnectionAttempt>.Continuation
    /// Datagrams from peers to a UDP allocation. Only the newest are kept if nobody reads: it is media.
    nonisolated let peerData: AsyncStream<(peer: StunAddress, bytes: [UInt8])>
    private let dataContinuation: AsyncStream<(peer: StunAddress, bytes: [UInt8])>.Continuation
    /// The lifetime each Refresh of `maintain` was granted.
    nonisolated let refreshes: AsyncStream<Duration>
    private let refreshesContinuation: AsyncStream<Duration>.Continuation

    private init(server: SocketAddress, credentials: TurnCredentials, channel: any Channel, group: any EventLoopGroup,
                 frames: AsyncStream<TurnStreamFrame>, timeout: Duration) {
        self.server = server
        self.credentials = credentials
        self.channel = channel
        self.group = group
        self.frames = frames
        self.timeout = timeout
        (connectionAttempts, attemptsContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
        (peerData, dataContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(256))
        (refreshes, refreshesContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(16))
    }

    /// Opens the control connection to the relay at `server`.
    static func connect(
        to server: SocketAddress, credentials: TurnCredentials, timeout: Duration = .seconds(10),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> TurnClient {
        let (frames, continuation) = AsyncStream.makeStream(of: TurnStreamFrame.self, bufferingPolicy: .bufferingNewest(1024))
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .detectingDeadPaths()
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(TurnStreamDecoder()))
                    try channel.pipeline.syncOperations.addHandler(TurnFrameForwarder(continuation))
                }
            }
            .connect(to: server).get()
        return TurnClient(server: server, credentials: credentials, channel: channel, group: group, frames: frames, timeout: timeout)
    }

    /// Reads the relay's messages until the connection closes; then every request still waiting fails.
    func run() async {
        for await frame in frames {
            switch frame {
            case .message(let received):
                deliver(received)
            case .channelData:
                break  // no channels are bound yet: Send indications carry our data
            }
        }
        isClosed = true
        for continuation in pending.values { continuation.resume(throwing: TurnError.closed) }
        pending = [:]
        attemptsContinuation.finish()
        dataContinuation.finish()
        refreshesContinuation.finish()
    }

    func close() async {
        try? await channel.close()
    }

    // MARK: Requests

    /// Allocate a relayed address for `transport` (`StunAttribute.udpTransport` or `.tcpTransport`).
    func allocate(transport: UInt8) async throws -> TurnAllocation {
        let response = try await request(.allocate, [.requestedTransport(transport)])
        guard let relayed = response.xorRelayedAddress else {
            throw TurnError.missingAttribute(method: .allocate, name: "XOR-RELAYED-ADDRESS")
        }
        return TurnAllocation(relayed: relayed, mapped: response.xorMappedAddress, lifetime: .seconds(Int64(response.lifetime ?? 600)))
    }

    /// Keeps the allocation for `lifetime` more (0 deletes it); returns what the relay granted.
    @discardableResult
    func refresh(lifetime: Duration) async throws -> Duration {
        let response = try await request(.refresh, [.lifetime(UInt32(clamping: lifetime.components.seconds))])
        return .seconds(Int64(response.lifetime ?? 0))
    }

    /// Keeps an allocation of `lifetime` alive until cancelled: a Refresh when half of what the
    /// relay last granted has passed, and the permissions for `peers` again at least every 4
    /// minutes (they last 5). Throws when the relay refuses or stops answering; each granted
    /// lifetime is told on `refreshes`.
    func maintain(lifetime: Duration, permissions peers: [StunAddress]) async throws {
        var granted = lifetime
        var sincePermissions = Duration.zero
        while true {
            let wait = max(.seconds(1), granted / 2)
            try await Task.sleep(for: wait)
            sincePermissions += wait
            granted = try await refresh(lifetime: lifetime)
            guard granted > .zero else { throw TurnError.refused(method: .refresh, code: 0, reason: "the relay granted no time") }
            refreshesContinuation.yield(granted)
            if !peers.isEmpty, sincePermissions >= Self.permissionRenewal {
                try await createPermission(for: peers)
                sincePermissions = .zero
            }
        }
    }

    /// Permissions last 5 minutes (RFC 8656 §9); renewed with a minute to spare.
    static let permissionRenewal = Duration.seconds(240)

    /// Lets `peers`' IP addresses (ports do not matter) send to the relayed address, for 5 minutes.
    func createPermission(for peers: [StunAddress]) async throws {
        _ = try await request(.createPermission, peers.map { .xorPeerAddress($0) })
    }

    /// A datagram to `peer` through a UDP allocation (a Send indication: no answer comes).
    func send(_ bytes: [UInt8], to peer: StunAddress) async throws {
        guard bytes.count <= Self.maxDatagram else { throw TurnError.datagramTooLarge(bytes.count) }
        let message = StunMessage(type: StunMessageType(.send, .indication), attributes: [.xorPeerAddress(peer), .data(bytes)])
        try await write(message.encoded(fingerprint: true))
    }

    /// Asks the relay to open a TCP connection from a TCP allocation to `peer`; returns its id,
    /// to bind with `bind(_:configure:)`.
    func connect(to peer: StunAddress) async throws -> UInt32 {
        let response = try await request(.connect, [.xorPeerAddress(peer)])
        guard let id = response.connectionID else {
            throw TurnError.missingAttribute(method: .connect, name: "CONNECTION-ID")
        }
        return id
    }

    /// Opens a data connection to the relay and binds it to the peer connection `connectionID`
    /// (RFC 6062 §4.3). `configure` runs on the channel's event loop once the bind succeeded and
    /// adds the handlers that read the peer's bytes (TLS); bytes that came early reach them.
    func bind<Output: Sendable>(
        _ connectionID: UInt32, configure: @escaping @Sendable (any Channel) throws -> Output
    ) async throws -> Output {
        let loop = group.next()
        let (responses, continuation) = AsyncStream.makeStream(of: ReceivedStunMessage.self)
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .detectingDeadPaths()
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TurnBindHandler(responses: continuation), name: TurnBindHandler.name)
                }
            }
            .connect(to: server).get()
        // A relay that does not answer: closing the connection ends `responses`.
        let timer = loop.scheduleTask(in: .seconds(max(1, timeout.components.seconds))) { channel.close(promise: nil) }
        defer { timer.cancel() }
        do {
            // coturn gives each TCP connection a nonce of its own: the first try may earn a 438 with it.
            var nonce = self.nonce
            var answers = responses.makeAsyncIterator()
            for attempt in 0..<2 {
                let (message, mac) = authenticated(
                    StunMessage(type: StunMessageType(.connectionBind, .request), attributes: [.connectionID(connectionID)]), nonce: nonce)
                try await channel.writeAndFlush(ByteBuffer(bytes: message.encoded(integrity: mac, fingerprint: true)))
                guard let received = await answers.next() else { throw TurnError.noResponse(method: .connectionBind) }
                if attempt == 0, let fresh = Self.freshNonce(in: received.message) {
                    nonce = fresh
                    continue
                }
                try check(received, for: message, mac: mac)
                return try await loop.submit {
                    let output = try configure(channel)
                    let binder = try channel.pipeline.syncOperations.context(name: TurnBindHandler.name)
                    channel.pipeline.syncOperations.removeHandler(context: binder, promise: nil)
                    return output
                }.get()
            }
            throw TurnError.noResponse(method: .connectionBind)
        } catch {
            try? await channel.close()
            throw error
        }
    }

    // MARK: Transactions

    /// Sends an authenticated request and returns the success response's message. The first
    /// request has no realm yet and is answered 401 with one; a 438 brings a new nonce. Each is
    /// tried again once with what the relay asked for.
    private func request(_ method: StunMethod, _ attributes: [StunAttribute]) async throws -> StunMessage {
        for attempt in 0..<3 {
            let (message, mac) = authenticated(StunMessage(type: StunMessageType(method, .request), attributes: attributes), nonce: nonce)
            let received = try await transact(message, mac: mac)
            // A 401 to a signed request means the credentials are refused: no point trying again.
            if attempt < 2, mac == nil || received.message.errorCode?.code == StunErrorCode.staleNonce,
               let fresh = Self.freshNonce(in: received.message) {
                nonce = fresh
                if let realm = received.message.realm { self.realm = realm }
                continue
            }
            try check(received, for: message, mac: mac)
            return received.message
        }
        throw TurnError.noResponse(method: method)
    }

    /// The nonce of a 401 or 438 answer, which asks for the request again with it.
    private static func freshNonce(in response: StunMessage) -> String? {
        guard response.type.messageClass == .errorResponse, let code = response.errorCode?.code,
              code == StunErrorCode.unauthorized || code == StunErrorCode.staleNonce else { return nil }
        return response.nonce
    }

    /// `message` with USERNAME, REALM and `nonce` once the relay has named a realm, and the MAC to sign it with.
    private func authenticated(_ message: StunMessage, nonce: String?) -> (StunMessage, StunMessage.MAC?) {
        guard let realm, let nonce else { return (message, nil) }
        var signed = message
        signed.attributes += [.username(credentials.username), .realm(realm), .nonce(nonce)]
        return (signed, credentials.mac(realm: realm))
    }

    /// Refuses an error response, and a response that is not signed with our key when the request was.
    private func check(_ received: ReceivedStunMessage, for request: StunMessage, mac: StunMessage.MAC?) throws {
        let method = request.type.method
        let response = received.message
        if response.type.messageClass == .errorResponse {
            let error = response.errorCode
            throw TurnError.refused(method: method, code: error?.code ?? 0, reason: error?.reason ?? "no reason given")
        }
        if let mac, !received.isAuthentic(mac: mac) { throw TurnError.unauthenticResponse(method: method) }
    }

    private func transact(_ message: StunMessage, mac: StunMessage.MAC?) async throws -> ReceivedStunMessage {
        let id = message.transactionID
        expected.insert(id)
        defer {
            expected.remove(id)
            early[id] = nil
        }
        try await write(message.encoded(integrity: mac, fingerprint: true))
        let method = message.type.method
        let timeout = timeout
        return try await withThrowingTaskGroup(of: ReceivedStunMessage.self) { group in
            group.addTask { try await self.response(to: id) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw TurnError.noResponse(method: method)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private func response(to id: StunTransactionID) async throws -> ReceivedStunMessage {
        if let received = early.removeValue(forKey: id) { return received }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if isClosed {
                    continuation.resume(throwing: TurnError.closed)
                } else if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    pending[id] = continuation
                }
            }
        } onCancel: {
            // A cancellation handler cannot await: this hop to the actor ends as soon as it runs.
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: StunTransactionID) {
        pending.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }

    private func write(_ bytes: [UInt8]) async throws {
        guard !isClosed else { throw TurnError.closed }
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
    }

    /// A message from the relay: the response some request waits for, or an indication.
    private func deliver(_ received: ReceivedStunMessage) {
        let message = received.message
        switch message.type.messageClass {
        case .successResponse, .errorResponse:
            let id = message.transactionID
            if let continuation = pending.removeValue(forKey: id) {
                continuation.resume(returning: received)
            } else if expected.contains(id) {
                early[id] = received
            }
        case .indication:
            let peer = message.xorPeerAddress
            if message.type.method == .connectionAttempt, let peer, let id = message.connectionID {
                attemptsContinuation.yield(TurnConnectionAttempt(connectionID: id, peer: peer))
            } else if message.type.method == .data, let peer, let data = message.data {
                dataContinuation.yield((peer, data))
            }
        case .request:
            break  // a relay does not ask us anything
        }
    }
}
