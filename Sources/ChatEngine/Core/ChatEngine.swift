import ChatIdentity
import ChatWire
import Foundation
import Logging
import NIOCore

/// One user's side of p2pchat: identity, store, locator session, peer connections, and the parts
/// that make the features (`EngineParts.all`).
///
/// The core keeps the login session, presence and the peer connections, and dispatches each
/// envelope to the one part that claims its `Type`. Commands are async methods (each part adds
/// its own in `Parts/<Feature>/ChatEngine+<Feature>.swift`); everything that happens arrives as
/// one stream of `EngineEvent`s. The engine knows nothing of terminals.
public actor ChatEngine {
    public nonisolated let user: String
    public nonisolated let fingerprint: Fingerprint
    public nonisolated let events: AsyncStream<EngineEvent>
    public nonisolated let store: ChatStore

    nonisolated let configuration: EngineConfiguration
    nonisolated let logger: Logger
    /// Where received kind-1 chunks go, by peer and stream id, without passing through this actor.
    nonisolated let streams = StreamRouter()
    nonisolated let parts = PartTable()
    let identity: Identity
    private nonisolated let eventSink: AsyncStream<EngineEvent>.Continuation

    /// What exists while logged in. Logging out drops it whole: nothing to reset by hand.
    struct Session {
        var node: PeerNode
        var locator: any LocatorClient
        var peerPort: Int
        var presence = PresenceBook()
        /// The locator connection since it last came up.
        var locatorLink = LocatorLinkStatus.up
        /// The session's task tree: the peer node, the locator's updates, the retry loop and the
        /// parts' work all run in it, and logout ends it.
        var scope: SessionScope
        /// The tree's root, the one unstructured task of a session: logout (or a failed login,
        /// in `endTree`) ends the scope and awaits it.
        var tree: Task<Void, Never>
        /// Retries what waits, every `retryInterval`; cancelled and awaited at logout, before the
        /// parts are told the session ended.
        var retries: SessionWork?
        /// The allocation on the locator's TURN relay, when it offers one (modern locators only).
        var relay: PeerRelay?
    }

    /// The login session's life. `login` and `logout` await many times; each checks the state
    /// again after every await, so that two of them never interleave (as hummingbird's `Server`).
    enum State {
        case loggedOut
        /// A login is under way. `attempt` tells it whether the state it finds after an await is
        /// still its own: a logout meanwhile, and a new login after that, each change it. A
        /// logout stops `locator`, once there is one, so that the login ends at once.
        case starting(attempt: Int, locator: (any LocatorClient)?)
        case loggedIn(Session)
        /// A logout is under way; a login waits for it to finish.
        case stopping
    }

    var state: State = .loggedOut
    private var loginAttempts = 0
    /// Woken when a logout finishes, for logins that came while it was under way.
    private var stopped: [CheckedContinuation<Void, Never>] = []

    public init(configuration: EngineConfiguration, logger: Logger) throws {
        guard UserName.isValid(configuration.user) else { throw EngineError.invalidUser(configuration.user) }
        try DataDirectory.prepare(configuration.dataDirectory)
        self.configuration = configuration
        self.user = configuration.user
        self.logger = logger
        let (events, eventSink) = AsyncStream.makeStream(of: EngineEvent.self)
        (self.events, self.eventSink) = (events, eventSink)
        let hadIdentity = FileManager.default.fileExists(atPath: configuration.identityFile.path)
        let replacesLostIdentity = try !hadIdentity && Self.storeOutlivedIdentity(configuration)
        let loaded = try Identity.loadOrCreate(at: configuration.identityFile, commonName: configuration.user)
        self.identity = loaded
        self.fingerprint = loaded.fingerprint
        self.store = try ChatStore(path: configuration.databaseFile.path, logger: logger)
        parts.install(for: self)
        if hadIdentity, store.startedEmpty {
            // An identity from an earlier run had a database beside it: losing it is never silent.
            eventSink.yield(.session(.error(
                "\(configuration.databaseFile.path) held no chat history (missing, empty, or a failed recovery) "
                    + "although \(configuration.identityFile.lastPathComponent) is from an earlier run: a new, empty database "
                    + "was started, so earlier messages and friends are gone unless a copy of the old file is put back")))
        }
        if let repaired = try DataDirectory.repairKeyPermissions(configuration.identityFile) {
            eventSink.yield(.session(.securityWarning(repaired)))
        }
        if replacesLostIdentity {
            eventSink.yield(.session(.securityWarning(
                "a new identity was made for \(user) (--new-identity): its fingerprint is \(loaded.fingerprint.grouped). "
                    + "Friends will see that \(user)'s key changed; tell them, so that they know it is you")))
        }
    }

    /// With no identity file: whether the store that belongs to the lost identity is there. True
    /// when `--new-identity` allows a new key, an error otherwise. A store without a key cannot
    /// be new: the key is made first, when the data directory is.
    private static func storeOutlivedIdentity(_ configuration: EngineConfiguration) throws -> Bool {
        guard FileManager.default.fileExists(atPath: configuration.databaseFile.path) else { return false }
        guard configuration.makesNewIdentity else {
            throw EngineError.identityMissing(user: configuration.user, directory: configuration.dataDirectory.path)
        }
        return true
    }

    nonisolated func emit(_ event: EngineEvent) {
        eventSink.yield(event)
    }

    public var isLoggedIn: Bool {
        if case .loggedIn = state { true } else { false }
    }

    /// The port the peer listener is bound to while logged in.
    public var peerPort: Int? { session?.peerPort }

    var session: Session? {
        if case .loggedIn(let session) = state { session } else { nil }
    }

    /// The live session's task tree (tests look at what still runs in it).
    var sessionScope: SessionScope? { session?.scope }

    func requireSession() throws -> Session {
        guard let session else { throw EngineError.notLoggedIn }
        return session
    }

    /// Changes the live session in place; does nothing when logged out.
    func updateSession(_ change: (inout Session) -> Void) {
        guard case .loggedIn(var session) = state else { return }
        change(&session)
        state = .loggedIn(session)
    }

    // MARK: Login and logout

    /// Starts the peer listener, logs in to the locator (registering the name on first use) and
    /// starts delivering what waits.
    @discardableResult
    public func login(password: String) async throws -> LocatorClient.LoginOutcome {
        while case .stopping = state {
            await withCheckedContinuation { stopped.append($0) }
        }
        guard case .loggedOut = state else { throw EngineError.alreadyLoggedIn(user) }
        loginAttempts += 1
        let attempt = loginAttempts
        state = .starting(attempt: attempt, locator: nil)
        /// Whether this login still owns the state: false once a logout came meanwhile.
        func stillStarting() -> Bool {
            if case .starting(attempt, _) = state { true } else { false }
        }
        let scope = SessionScope()
        // The session's root task; every way out of the session (a failed login below, logout)
        // ends the scope and awaits it.
        let tree = Task { await scope.run() }
        for part in parts.all { await part.sessionStarted(scope) }
        let node: PeerNode
        let port: Int
        do {
            guard stillStarting() else { throw EngineError.loggedOutDuringLogin(user) }
            node = try PeerNode(me: user, identity: identity, streams: streams, logger: logger)
            await node.setDelegate(self)
            port = try await node.start(host: configuration.listenHost, port: try listenPort(), in: scope)
        } catch {
            await endTree(scope, tree, attempt: attempt)
            if stillStarting() { state = .loggedOut }
            throw error
        }
        let locator = configuration.locatorMode.makeClient(
            addresses: configuration.locators, user: user, password: password,
            knownLocatorsFile: configuration.knownLocatorsFile, logger: logger, identity: identity, host: scope)
        let outcome: LocatorClient.LoginOutcome
        do {
            guard stillStarting() else { throw EngineError.loggedOutDuringLogin(user) }
            state = .starting(attempt: attempt, locator: locator)
            outcome = try await locator.start(peerPort: port, fingerprint: fingerprint)
            guard stillStarting() else { throw EngineError.loggedOutDuringLogin(user) }
        } catch {
            let overtaken = !stillStarting()
            await locator.stop()
            await node.stop()
            await endTree(scope, tree, attempt: attempt)
            if stillStarting() { state = .loggedOut }
            throw overtaken ? EngineError.loggedOutDuringLogin(user) : error
        }
        state = .loggedIn(Session(node: node, locator: locator, peerPort: port, scope: scope, tree: tree))
        emit(.session(.loggedIn(user: user, registered: outcome == .registered)))
        logger.info("logged in", metadata: ["user": "\(user)", "peerPort": "\(port)"])

        // Ends by itself when the locator client stops (its stream finishes), or with the tree.
        scope.start { await self.follow(locator.updates) }
        let retries = scope.start { await self.retryPeriodically() }
        updateSession { $0.retries = retries }
        startRelay(for: locator, node: node, peerPort: port, in: scope)
        await locator.watch(await watchedUsers())
        await retryAll()
        return outcome
    }

    /// Logs out of the locator and closes every peer connection. What waits stays stored.
    public func logout() async {
        let session: Session
        switch state {
        case .loggedOut, .stopping:
            return
        case .starting(_, let locator):
            // The login under way finds this when it next looks, and undoes what it started.
            state = .loggedOut
            await locator?.stop()
            return
        case .loggedIn(let current):
            session = current
        }
        state = .stopping
        defer {
            state = .loggedOut
            for waiter in stopped { waiter.resume() }
            stopped = []
        }
        session.retries?.cancel()
        await session.locator.stop()
        await session.node.stop()
        await session.retries?.finished()
        for part in parts.all { await part.sessionEnded() }
        // The parts have settled what they must (stored what arrived, recorded acks); whatever of
        // the session still runs is cancelled now, and awaited. The follower of the locator's
        // updates may be the caller (a fatal locator failure logs out): it is not awaited.
        session.scope.end()
        if SessionScope.current !== session.scope { await session.tree.value }
        emit(.session(.loggedOut(user: user)))
    }

    /// Ends the task tree of a session that did not get to begin (a failed or overtaken login):
    /// the parts forget what its early peers started, unless a newer login has begun meanwhile
    /// (the parts are that one's now), and nothing of it runs any more.
    private func endTree(_ scope: SessionScope, _ tree: Task<Void, Never>, attempt: Int) async {
        if loginAttempts == attempt {
            for part in parts.all { await part.sessionEnded() }
        }
        scope.end()
        await tree.value
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

    /// Everyone some part needs to see come online.
    private func watchedUsers() async -> Set<String> {
        var users: Set<String> = []
        for part in parts.all {
            do {
                users.formUnion(try await part.watchedUsers())
            } catch {
                logger.error("could not read whom to watch", metadata: ["error": "\(error)"])
            }
        }
        return users
    }

    /// Asks the locator to report `peers`' presence from now on (a part gained an interest).
    func watch(_ peers: some Sequence<String> & Sendable) async {
        await session?.locator.watch(peers)
    }

    /// Stops following `peers`, unless some part still needs them.
    func unwatch(_ peers: [String]) async {
        let stillWatched = await watchedUsers()
        let dropped = peers.filter { !stillWatched.contains($0) }
        guard !dropped.isEmpty else { return }
        await session?.locator.unwatch(dropped)
        updateSession { session in
            for peer in dropped { session.presence.forget(peer) }
        }
    }

    private func retryPeriodically() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.retryInterval)
            guard !Task.isCancelled else { return }
            await retryAll()
        }
    }

    /// Asks every part to try again what waits for a peer.
    func retryAll() async {
        for part in parts.all { await part.retry() }
    }
}

extension ChatEngine {
    public var isLocatorConnected: Bool {
        get async { await session?.locator.isConnected ?? false }
    }
}
