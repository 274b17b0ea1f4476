import ChatIdentity
import Logging
import NIOCore

/// A `LocatorClient` for one dialect of the locator's protocol. The extensions of this protocol
/// hold what both dialects share, written once: the life of a session (start, stop, failing for
/// good), reconnecting with backoff, each link's task, keep-alives, and requests matched to their
/// answers. A dialect supplies the storage and what its protocol says: how to connect and log in,
/// what a reply looks like, what keeps a link alive, and how presence is learnt.
protocol DialectLocatorClient: LocatorClient {
    associatedtype Request: LocatorClientRequest
    associatedtype Reply: Sendable

    static var mode: Mode { get }
    /// Whether a request may be written before the one before it is answered.
    static var pipelinesRequests: Bool { get }

    nonisolated var setup: LocatorClientSetup { get }
    var state: LocatorClientState<Request, Reply> { get set }

    /// Throws when the user name or the peer port cannot be used in this dialect; otherwise
    /// remembers what every login must advertise.
    func prepare(peerPort: Int, fingerprint: ChatIdentity.Fingerprint) throws(LocatorClientError)
    /// A new connection to `endpoint`, framed for this dialect (with TLS: the handshake and pin
    /// check done).
    func connect(to endpoint: LocatorEndpoint) async throws -> NIOAsyncChannel<String, String>
    /// Logs in on a fresh link, and advertises where the peer node listens.
    func logIn(on link: LocatorLink) async throws -> LoginOutcome
    /// What the locator forgot with the last connection, told again on a fresh link after the
    /// login, before the client counts as online.
    func resumeWatching(on link: LocatorLink) async throws
    /// Logged in again and `.connected` emitted.
    func didComeOnline() async
    /// Runs beside each link while it lives; returning does not end the link.
    func whileLinked(_ id: Int) async
    /// Written when nothing else was for `pingInterval`, so that the locator's idle timeout never
    /// closes a quiet link and a dead one is noticed.
    func keepAliveRequest() -> Request
    /// One line (modern) or one read (course) from the current link. Throwing drops the link:
    /// whatever does not fit the protocol is never guessed at.
    func handleIncoming(_ text: String) throws
    /// The link to log out on when stopping, if any.
    func logoutLink() async -> LocatorLink?
    var logoutRequest: Request { get }
}

extension DialectLocatorClient {
    nonisolated var updates: AsyncStream<Update> { setup.updates }
    nonisolated var updateSink: AsyncStream<Update>.Continuation { setup.updateSink }
    nonisolated var user: String { setup.user }
    nonisolated var timing: LocatorClientTiming { setup.timing }
    nonisolated var logger: Logger { setup.logger }
    /// The replica of the current (or last) connection, or the service before the first.
    var locatorName: String { state.endpoint?.name ?? setup.serviceName }
}
