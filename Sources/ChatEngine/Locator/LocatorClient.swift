import ChatIdentity
import ChatWire

/// The client side of the locator: logs in, advertises where this user's peer node listens,
/// answers "where is bob?", and reports watched users coming and going on `updates`.
///
/// There is one type per protocol of the locator (see the README), made by `Mode.makeClient`:
/// `ModernLocatorClient` speaks the modern one over TLS, pinning the locator's identity on first
/// contact; `CourseLocatorClient` speaks the course server's plain text, polling watched users
/// because that protocol has no push. What they share is written once, in `DialectLocatorClient`.
///
/// A client may be given several replicas of one locator service (`--locator a:8000,b:8000`; a
/// host name stands for all its addresses). It keeps one connection, to the first that takes the
/// login. After `start` succeeds the client keeps itself connected: when the connection drops it
/// emits `.disconnected`, waits a random time within `reconnectSpread`, tries the replicas in
/// turn (starting after the one it lost, backing off between rounds), logs in, advertises and
/// watches again, and emits `.moved` when it is at another replica, then `.connected` — a locator
/// restart or a replica's death needs nothing from the user. A replica presenting another
/// identity than the service's is refused (`.replicaRefused`) and passed over. Only fatal problems
/// (a changed identity of the only replica, a wrong password, another login as this user) end
/// it, with `.failed`.
/// Call `stop()` when done: it logs out and ends `updates`.
public protocol LocatorClient: Actor {
    typealias Mode = LocatorClientMode
    typealias Update = LocatorClientUpdate
    typealias Error = LocatorClientError
    typealias LoginOutcome = LocatorLoginOutcome
    typealias Timing = LocatorClientTiming

    /// Everything that happens after `start`, in order. Finished by `stop()` or after `.failed`.
    nonisolated var updates: AsyncStream<Update> { get }

    /// Logged in and advertised right now.
    var isConnected: Bool { get }

    /// The first login: registers the name on first use (modern), advertises the peer port and
    /// identity fingerprint, and watches the users `watch` was given so far. Does not retry:
    /// an unreachable locator or a refused login throws a `LocatorClient.Error` saying why.
    ///
    /// In the course protocol there is nothing to advertise: others reach a course user at the
    /// port made of the last five digits of the id, whatever `peerPort` says.
    @discardableResult
    func start(peerPort: Int, fingerprint: ChatIdentity.Fingerprint) async throws -> LoginOutcome

    /// Where `user` can be reached, or nil when offline. Fails at once, without waiting, when
    /// the client is not connected (for example while it reconnects).
    func query(_ user: String) async throws -> PeerAddress?

    /// Reports these users' presence on `updates`: their state now, then every change. The list
    /// is remembered and watched again after every reconnect. Names the protocol cannot carry
    /// are skipped with a warning in the log.
    func watch(_ users: some Sequence<String> & Sendable) async

    /// Stops reporting these users' presence.
    func unwatch(_ users: some Sequence<String> & Sendable) async

    /// Logs out (modern `LOGOUT`, course `logout<id>`), closes the connection and ends `updates`.
    /// No more reconnects. Safe to call more than once.
    func stop() async
}
