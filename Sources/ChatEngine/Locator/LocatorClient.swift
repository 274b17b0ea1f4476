import ChatIdentity
import ChatWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// The client side of the locator: logs in, advertises where this user's peer node listens,
/// answers "where is bob?", and reports watched users coming and going on `updates`.
///
/// It speaks either protocol of the locator (see the README): the modern one over TLS, pinning
/// the locator's identity on first contact in `knownLocatorsFile`; or the course server's plain
/// text, polling watched users because that protocol has no push.
///
/// After `start` succeeds the client keeps itself connected: when the connection drops it emits
/// `.disconnected`, reconnects with backoff, logs in, advertises and watches again, and emits
/// `.connected` — a locator restart needs nothing from the user. Only fatal problems (a changed
/// locator identity, a wrong password, another login as this user) end it, with `.failed`.
/// Call `stop()` when done: it logs out and ends `updates`.
public actor LocatorClient {
    enum State: Equatable {
        case idle
        /// The first login, inside `start`.
        case starting
        /// Logged in and advertised on the current link.
        case online
        /// Lost the connection after having been online; a reconnect task is running.
        case reconnecting
        case stopped
        case failed(String)
    }

    public nonisolated let host: String
    public nonisolated let port: Int
    public nonisolated let mode: Mode
    public nonisolated let user: String
    /// Everything that happens after `start`, in order. Finished by `stop()` or after `.failed`.
    public nonisolated let updates: AsyncStream<Update>

    let password: String
    let knownLocatorsFile: URL
    let timing: Timing
    let logger: Logger
    let group: any EventLoopGroup
    let identity: Identity?
    let updateSink: AsyncStream<Update>.Continuation
    /// `host:port` as in the known-locators file and in messages.
    nonisolated let locatorName: String

    var state: State = .idle
    /// What ADVERTISE sends after every login (modern protocol).
    var advertisement: (port: Int, fingerprint: String)?
    /// Watched users, re-sent after every reconnect.
    var watched: Set<String> = []
    /// The last presence reported for each watched user (course polling reports only changes).
    var lastPresence: [String: PeerAddress?] = [:]
    /// Pushes that arrived while (re)connecting: they are emitted after `.connected`.
    var heldPushes: [Update] = []
    var link: Link?
    /// Whether the current link has logged in and advertised, so requests may use it.
    var linkReady = false
    var nextLinkID = 1
    var linkTask: Task<Void, Never>?
    var pending: [Pending] = []
    var lastWrite = ContinuousClock.now
    var pingCounter = 0
    var reconnectTask: Task<Void, Never>?
    var tlsContext: NIOSSLContext?
    /// Course users whose id implies no valid port, already warned about.
    var unreachableWarned: Set<String> = []

    /// - Parameters:
    ///   - mode: `.modern` for a p2pchat locator, `.course` for the course server's protocol.
    ///   - knownLocatorsFile: where the locator's fingerprint is pinned on first contact (modern).
    ///   - timing: ping, timeout, backoff and polling intervals; the defaults suit real use.
    ///   - identity: the TLS client context is made from it (no certificate is presented: the
    ///     locator does not ask for one). Without it a throwaway identity is generated.
    public init(
        host: String, port: Int, mode: Mode, user: String, password: String,
        knownLocatorsFile: URL, logger: Logger, timing: Timing = Timing(), identity: Identity? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.host = host
        self.port = port
        self.mode = mode
        self.user = user
        self.password = password
        self.knownLocatorsFile = knownLocatorsFile
        self.timing = timing
        self.identity = identity
        self.group = group
        self.locatorName = KnownLocators.key(host: host, port: port)
        var logger = logger
        logger[metadataKey: "locator"] = "\(self.locatorName)"
        self.logger = logger
        (self.updates, self.updateSink) = AsyncStream.makeStream(of: Update.self)
    }

    /// Logged in and advertised right now.
    public var isConnected: Bool {
        state == .online && linkReady
    }

    /// The first login: registers the name on first use (modern), advertises the peer port and
    /// identity fingerprint, and watches the users `watch` was given so far. Does not retry:
    /// an unreachable locator or a refused login throws a `LocatorClient.Error` saying why.
    ///
    /// In the course protocol there is nothing to advertise: others reach a course user at the
    /// port made of the last five digits of the id, whatever `peerPort` says.
    @discardableResult
    public func start(peerPort: Int, fingerprint: ChatIdentity.Fingerprint) async throws -> LoginOutcome {
        switch state {
        case .idle: break
        case .stopped: throw Error.stopped
        case .failed(let reason): throw Error.failed(reason)
        case .starting, .online, .reconnecting: throw Error.alreadyStarted
        }
        try validateCredentials(peerPort: peerPort)
        advertisement = (peerPort, fingerprint.hex)
        state = .starting
        do {
            let outcome = try await establishSession(expecting: .starting)
            await becameOnline()
            return outcome
        } catch {
            if state == .starting { state = .idle }
            throw error
        }
    }

    /// Where `user` can be reached, or nil when offline. Fails at once, without waiting, when
    /// the client is not connected (for example while it reconnects).
    public func query(_ user: String) async throws -> PeerAddress? {
        let link = try readyLink()
        switch mode {
        case .modern:
            guard UserName.isValid(user) else { throw Error.invalidUser(user, reason: UserName.rule) }
            switch try await modernExchange(.query(user: user), on: link) {
            case .user(_, let address): return Self.normalized(address, of: user)
            case .error(let error): throw Error.refused(error)
            default: throw Error.protocolViolation("the answer to QUERY is not USER")  // checked on arrival
            }
        case .course:
            return try await courseLookup(user, on: link)
        }
    }

    /// Reports these users' presence on `updates`: their state now, then every change. The list
    /// is remembered and watched again after every reconnect. Names the protocol cannot carry
    /// are skipped with a warning in the log.
    public func watch(_ users: some Sequence<String> & Sendable) async {
        var added: [String] = []
        for user in users where !watched.contains(user) && !added.contains(user) {
            guard isAcceptableName(user) else {
                logger.warning("not watching an invalid user name", metadata: ["user": "\(user.prefix(40))"])
                continue
            }
            added.append(user)
        }
        guard !added.isEmpty else { return }
        watched.formUnion(added)
        guard linkReady, let link else { return }  // sent after the next login
        switch mode {
        case .modern:
            await sendWatchList(added, on: link) { .watch(users: $0) }
        case .course:
            if state == .online { await pollCourse(added, forceEmit: true) }
        }
    }

    /// Stops reporting these users' presence.
    public func unwatch(_ users: some Sequence<String> & Sendable) async {
        var removed: [String] = []
        for user in users where watched.remove(user) != nil {
            removed.append(user)
            lastPresence.removeValue(forKey: user)
        }
        guard !removed.isEmpty else { return }
        heldPushes.removeAll { update in
            if case .presence(let user, _) = update { removed.contains(user) } else { false }
        }
        guard mode == .modern, linkReady, let link else { return }
        await sendWatchList(removed, on: link) { .unwatch(users: $0) }
    }

    /// Logs out (modern `LOGOUT`, course `logout<id>`), closes the connection and ends `updates`.
    /// No more reconnects. Safe to call more than once.
    public func stop() async {
        let previous = state
        switch previous {
        case .stopped: return
        case .failed: return  // already closed, and `updates` already finished
        case .idle, .starting, .online, .reconnecting: break
        }
        state = .stopped
        reconnectTask?.cancel()
        if previous == .online || previous == .reconnecting {
            await logOut()
        }
        if let link { closeLink(link, reason: "stopped") }
        await linkTask?.value
        logger.info("locator client stopped")
        updateSink.finish()
    }

    // MARK: Shared helpers

    func emit(_ update: Update) {
        updateSink.yield(update)
    }

    /// The current link if requests may use it, or the error that explains why not.
    func readyLink() throws(Error) -> Link {
        switch state {
        case .online:
            guard linkReady, let link else { throw .notConnected(locator: locatorName) }
            return link
        case .idle: throw .notStarted
        case .starting, .reconnecting: throw .notConnected(locator: locatorName)
        case .stopped: throw .stopped
        case .failed(let reason): throw .failed(reason)
        }
    }

    /// The error for an operation overtaken by `stop()`, a failure, or a newer connection.
    var supersededError: Error {
        switch state {
        case .stopped: .stopped
        case .failed(let reason): .failed(reason)
        default: .connectionLost(locator: locatorName, reason: "a newer connection replaced it")
        }
    }

    /// Gives up for good: the problem is one that retrying cannot fix.
    func fail(_ reason: String) {
        switch state {
        case .stopped, .failed: return
        default: break
        }
        logger.error("locator client gave up", metadata: ["reason": "\(reason)"])
        state = .failed(reason)
        reconnectTask?.cancel()
        if let link { closeLink(link, reason: reason) }
        emit(.failed(reason))
        updateSink.finish()
    }

    private func validateCredentials(peerPort: Int) throws(Error) {
        if password.isEmpty { throw .invalidPassword("it is empty") }
        if password.contains(where: { $0.isNewline || $0 == "\0" }) {
            throw .invalidPassword("it contains a line break or a NUL character")
        }
        switch mode {
        case .modern:
            guard UserName.isValid(user) else { throw .invalidUser(user, reason: UserName.rule) }
            guard (1...65535).contains(peerPort) else { throw .invalidPeerPort(peerPort) }
        case .course:
            guard UserName.isLegacyID(user) else { throw .invalidUser(user, reason: Self.courseIDRule) }
            let implied = Self.coursePeerPort(of: user)
            if implied.port == nil {
                logger.warning(
                    "others cannot reach this course id: its last five digits are not a port",
                    metadata: ["implied": "\(implied.value)"])
            } else if implied.port != peerPort {
                logger.notice(
                    "course users are reached at the last five digits of their id, not the given peer port",
                    metadata: ["implied": "\(implied.value)", "peerPort": "\(peerPort)"])
            }
        }
    }

    private func isAcceptableName(_ user: String) -> Bool {
        mode == .course ? UserName.isLegacyID(user) : UserName.isValid(user)
    }

    /// WATCH or UNWATCH in batches the locator accepts. Failures are only logged: the list is
    /// remembered and sent again after the next login.
    private func sendWatchList(
        _ users: [String], on link: Link, _ makeRequest: ([String]) -> LocatorRequest
    ) async {
        for start in stride(from: 0, to: users.count, by: Limits.maxWatchBatch) {
            let batch = Array(users[start..<min(start + Limits.maxWatchBatch, users.count)])
            let request = makeRequest(batch)
            do {
                if case .error(let error) = try await modernExchange(request, on: link) {
                    logger.warning("the locator refused \(request.verb)", metadata: ["error": "\(error)"])
                }
            } catch {
                logger.debug("\(request.verb) not confirmed; sent again after reconnecting", metadata: ["reason": "\(error)"])
                return
            }
        }
    }
}
