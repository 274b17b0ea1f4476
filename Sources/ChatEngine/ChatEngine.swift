import ChatIdentity
import ChatWire
import Foundation
import Logging
import NIOCore

/// One user's side of p2pchat: identity, store, locator session, peers, friends and messages.
///
/// Commands are async methods; everything that happens (also what peers do) arrives as one
/// stream of `EngineEvent`s. The engine knows nothing of terminals.
public actor ChatEngine {
    public nonisolated let user: String
    public nonisolated let fingerprint: Fingerprint
    public nonisolated let events: AsyncStream<EngineEvent>
    public nonisolated let store: ChatStore

    let configuration: EngineConfiguration
    let identity: Identity
    let logger: Logger
    private let eventSink: AsyncStream<EngineEvent>.Continuation

    /// What exists while logged in.
    struct Session {
        var node: PeerNode
        var locator: any LocatorClient
        var peerPort: Int
        var tasks: [Task<Void, Never>]
    }

    var session: Session?
    /// The last known address of each watched user that is online.
    var presence: [String: PeerAddress] = [:]
    /// `send` calls waiting for their message's `Ack`.
    var ackWaiters: [String: [CheckedContinuation<Bool, Never>]] = [:]
    /// Outbox entries already written on a connection (by connection id), not to be written again on it.
    var sentOn: [Int: Set<String>] = [:]
    /// Peers whose friend request went out on a connection (by connection id).
    var requestSentOn: [Int: Set<String>] = [:]
    var flushing: Set<String> = []
    /// Whether the locator connection was lost since it last came up.
    var lostLocator = false
    var flushAgain: Set<String> = []

    public init(configuration: EngineConfiguration, logger: Logger) throws {
        guard UserName.isValid(configuration.user) else { throw EngineError.invalidUser(configuration.user) }
        try FileManager.default.createDirectory(
            at: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.configuration = configuration
        self.user = configuration.user
        self.logger = logger
        self.identity = try Identity.loadOrCreate(at: configuration.identityFile, commonName: configuration.user)
        self.fingerprint = identity.fingerprint
        self.store = try ChatStore(path: configuration.databaseFile.path, logger: logger)
        (events, eventSink) = AsyncStream.makeStream(of: EngineEvent.self)
    }

    func emit(_ event: EngineEvent) {
        eventSink.yield(event)
    }

    public var isLoggedIn: Bool { session != nil }

    /// The port the peer listener is bound to while logged in.
    public var peerPort: Int? { session?.peerPort }

    // MARK: Login and logout

    /// Starts the peer listener, logs in to the locator (registering the name on first use) and
    /// starts delivering what is queued.
    @discardableResult
    public func login(password: String) async throws -> LocatorClient.LoginOutcome {
        if session != nil { throw EngineError.alreadyLoggedIn(user) }
        let node = try PeerNode(me: user, identity: identity, logger: logger)
        await node.setDelegate(self)
        let port = try await node.start(host: configuration.listenHost, port: try listenPort())
        let locator = configuration.locatorMode.makeClient(
            host: configuration.locatorHost, port: configuration.locatorPort,
            user: user, password: password, knownLocatorsFile: configuration.knownLocatorsFile, logger: logger,
            identity: identity)
        let outcome: LocatorClient.LoginOutcome
        do {
            outcome = try await locator.start(peerPort: port, fingerprint: fingerprint)
        } catch {
            await node.stop()
            throw error
        }
        session = Session(node: node, locator: locator, peerPort: port, tasks: [])
        lostLocator = false
        emit(.loggedIn(user: user, registered: outcome == .registered))
        logger.info("logged in", metadata: ["user": "\(user)", "peerPort": "\(port)"])

        let updates = Task { await self.follow(locator.updates) }
        let retries = Task { await self.retryPeriodically() }
        session?.tasks = [updates, retries]
        await locator.watch(try await watchedUsers())
        await retryAll()
        return outcome
    }

    /// Logs out of the locator and closes every peer connection. Queued messages stay queued.
    public func logout() async {
        guard let session else { return }
        self.session = nil
        for task in session.tasks { task.cancel() }
        await session.locator.stop()
        await session.node.stop()
        presence = [:]
        sentOn = [:]
        requestSentOn = [:]
        for waiters in ackWaiters.values { for waiter in waiters { waiter.resume(returning: false) } }
        ackWaiters = [:]
        emit(.loggedOut(user: user))
    }

    /// Ends the event stream; call after `logout` when the engine is no longer needed.
    public func close() async {
        await logout()
        eventSink.finish()
    }

    private func listenPort() throws -> Int {
        if let port = configuration.listenPort { return port }
        guard configuration.locatorMode == .course else { return 0 }
        // The original system's convention: a course user listens on the last five digits of the id.
        guard let port = Int(user.suffix(5)), (1...65535).contains(port) else {
            throw EngineError.unreachable(user, reason: "the last five digits of the id are not a usable port; pass --listen")
        }
        return port
    }

    /// Friends, users we asked to be friends, and users we owe messages: whose presence matters.
    func watchedUsers() async throws -> Set<String> {
        var users = Set(try await store.contacts().map(\.id))
        users.formUnion(try await store.requests(direction: .outgoing).map(\.peer))
        users.formUnion(try await store.pendingPeers())
        return users
    }

    func requireSession() throws -> Session {
        guard let session else { throw EngineError.notLoggedIn }
        return session
    }

    // MARK: Locator updates

    private func follow(_ updates: AsyncStream<LocatorClient.Update>) async {
        for await update in updates {
            switch update {
            case .connected:
                // The first connection is announced by `loggedIn`; this tells of a reconnect.
                if lostLocator { emit(.locator(connected: true, detail: "reconnected to the locator")) }
                lostLocator = false
            case .disconnected(let reason):
                lostLocator = true
                emit(.locator(connected: false, detail: reason))
            case .presence(let user, let address):
                await presenceChanged(user, address: address)
            case .failed(let reason):
                emit(.error(reason))
                await logout()
                return
            }
        }
    }

    private func presenceChanged(_ peer: String, address: PeerAddress?) async {
        let wasOnline = presence[peer] != nil
        presence[peer] = address
        if wasOnline != (address != nil), (try? await store.contact(id: peer)) != nil {
            emit(.presence(user: peer, online: address != nil))
        }
        if address != nil { await retry(peer) }
    }

    private func retryPeriodically() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.retryInterval)
            guard !Task.isCancelled else { return }
            await retryAll()
        }
    }

    /// Tries everything that waits for a peer: queued messages and unanswered friend requests.
    func retryAll() async {
        guard let peers = try? await store.pendingPeers(), let requests = try? await store.requests(direction: .outgoing) else { return }
        for peer in Set(peers).union(requests.map(\.peer)) {
            await retry(peer)
        }
    }

    func retry(_ peer: String) async {
        await flush(peer)
        await resendFriendRequest(to: peer)
    }
}

extension ChatEngine {
    public var isLocatorConnected: Bool {
        get async { await session?.locator.isConnected ?? false }
    }

    /// Messages still waiting in the outbox for their receiver.
    public func queuedCount() async throws -> Int {
        var count = 0
        for peer in try await store.pendingPeers() { count += try await store.pendingOutbox(for: peer).count }
        return count
    }

    /// Waits (at most `limit`) until nothing queued is still on its way to a peer we are connected
    /// to, so a script's last messages are acknowledged before it logs out. Messages for peers that
    /// are offline stay queued: they go out at a later login.
    public func drain(within limit: Duration) async {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, let session {
            var waiting = false
            for peer in (try? await store.pendingPeers()) ?? [] where await session.node.connection(to: peer) != nil {
                waiting = true
            }
            guard waiting else { return }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }
}
