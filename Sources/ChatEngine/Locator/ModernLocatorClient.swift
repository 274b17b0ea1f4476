import ChatIdentity
import ChatWire
import Foundation
import Logging
import NIOSSL

/// The modern dialect: TLS, pinning the locator's identity on first contact in
/// `knownLocatorsFile`; one line per request and reply, requests pipelined, presence pushed by
/// the locator; any valid user name.
actor ModernLocatorClient: DialectLocatorClient {
    static let mode = Mode.modern
    /// The locator answers in order, and every reply is one line.
    static let pipelinesRequests = true

    nonisolated let setup: LocatorClientSetup
    var state = LocatorClientState<LocatorRequest, LocatorReply>()

    let knownLocatorsFile: URL
    let identity: Identity?
    var tlsContext: NIOSSLContext?
    /// What ADVERTISE sends after every login.
    var advertisement: (port: Int, fingerprint: String)?
    /// What CANDIDATES published last: the locator forgets it with the connection, so every
    /// login after a reconnect publishes it again.
    var candidates: [PeerCandidate] = []
    var pingCounter = 0
    /// The resumption token to spend on the next login instead of the password, and when to ask
    /// for a new one (before it expires); nil before the first login, or from a locator without
    /// `TOKEN`.
    var resumeToken: HeldResumeToken?

    init(setup: LocatorClientSetup, knownLocatorsFile: URL, identity: Identity?) {
        self.setup = setup
        self.knownLocatorsFile = knownLocatorsFile
        self.identity = identity
    }

    func prepare(peerPort: Int, fingerprint: ChatIdentity.Fingerprint) throws(LocatorClientError) {
        guard UserName.isValid(user) else { throw .invalidUser(user, reason: UserName.rule) }
        guard (1...65535).contains(peerPort) else { throw .invalidPeerPort(peerPort) }
        advertisement = (peerPort, fingerprint.hex)
    }

    func query(_ user: String) async throws -> PeerAddress? {
        let link = try readyLink()
        guard UserName.isValid(user) else { throw LocatorClientError.invalidUser(user, reason: UserName.rule) }
        switch try await exchange(.query(user: user), on: link) {
        case .user(_, let address): return CourseID.withImpliedPort(address, of: user)
        case .error(let error): throw LocatorClientError.refused(error)
        default: throw LocatorClientError.protocolViolation("the answer to QUERY is not USER")  // checked on arrival
        }
    }

    /// Credentials for the locator's TURN relay; nil when it offers none (`ERR no-relay`).
    func turnOffer() async throws -> TurnOffer? {
        let link = try readyLink()
        switch try await exchange(.turn, on: link) {
        case .ok(_, let details):
            guard let offer = TurnOffer(words: details) else {
                throw LocatorClientError.protocolViolation("the answer to TURN is not an offer")
            }
            return offer
        case .error(let error) where error.code == .noRelay: return nil
        case .error(let error): throw LocatorClientError.refused(error)
        default: throw LocatorClientError.protocolViolation("the answer to TURN is not OK TURN")  // checked on arrival
        }
    }

    /// Publishes more ways to reach us (`CANDIDATES`, at most `Limits.maxCandidates`); none clears them.
    func publish(_ candidates: [PeerCandidate]) async throws {
        self.candidates = Array(candidates.prefix(Limits.maxCandidates))
        let link = try readyLink()
        switch try await exchange(.candidates(self.candidates), on: link) {
        case .ok: return
        case .error(let error): throw LocatorClientError.refused(error)
        default: throw LocatorClientError.protocolViolation("the answer to CANDIDATES is not OK CANDIDATES")  // checked on arrival
        }
    }

    /// Every way to reach `user` that the locator knows, the address it sees first; none when offline.
    func paths(of user: String) async throws -> [PeerCandidate] {
        let link = try readyLink()
        guard UserName.isValid(user) else { throw LocatorClientError.invalidUser(user, reason: UserName.rule) }
        switch try await exchange(.paths(user: user), on: link) {
        case .paths(_, let candidates): return candidates
        case .error(let error): throw LocatorClientError.refused(error)
        default: throw LocatorClientError.protocolViolation("the answer to PATHS is not PATHS")  // checked on arrival
        }
    }

    func watch(_ users: some Sequence<String> & Sendable) async {
        let added = addToWatched(users, validName: UserName.isValid)
        guard !added.isEmpty, state.linkReady, let link = state.link else { return }  // sent after the next login
        await sendWatchList(added, on: link) { .watch(users: $0) }
    }

    func unwatch(_ users: some Sequence<String> & Sendable) async {
        let removed = removeFromWatched(users)
        guard !removed.isEmpty, state.linkReady, let link = state.link else { return }
        await sendWatchList(removed, on: link) { .unwatch(users: $0) }
    }

    /// WATCH or UNWATCH in batches the locator accepts. Failures are only logged: the list is
    /// remembered and sent again after the next login.
    private func sendWatchList(
        _ users: [String], on link: LocatorLink, _ makeRequest: ([String]) -> LocatorRequest
    ) async {
        for batch in Self.batches(of: users) {
            let request = makeRequest(batch)
            do {
                if case .error(let error) = try await exchange(request, on: link) {
                    logger.warning("the locator refused \(request.verb)", metadata: ["error": "\(error)"])
                }
            } catch {
                logger.debug("\(request.verb) not confirmed; sent again after reconnecting", metadata: ["reason": "\(error)"])
                return
            }
        }
    }

    /// `users` cut into lists no longer than one WATCH or UNWATCH may carry.
    static func batches(of users: [String]) -> [[String]] {
        stride(from: 0, to: users.count, by: Limits.maxWatchBatch).map { start in
            Array(users[start..<min(start + Limits.maxWatchBatch, users.count)])
        }
    }
}
