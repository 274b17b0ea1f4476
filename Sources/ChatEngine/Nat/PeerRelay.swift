import ChatWire
import Foundation
import Logging
import NIOCore

/// This user's TCP allocation on the TURN relay the locator offers, for one login session: the
/// relayed address is published as a `relayed` candidate beside the LAN ones, friends who cannot
/// reach us directly dial it (each arrives as a ConnectionAttempt and is served as a connection
/// the listener accepted), and our own dials to a friend's relayed address go out through it.
///
/// `run()` lives in the session's task tree: it allocates, publishes, keeps the allocation and
/// its permissions fresh, and before the locator's credentials expire starts over with new ones
/// (coturn ties an allocation to the user name it was made with, so new credentials mean a new
/// allocation). Logging out cancels it; the relay frees the allocation when its control
/// connection closes, and the locator forgets the candidates with the session.
actor PeerRelay {
    /// What the relay needs of the login session.
    struct Session: Sendable {
        let node: PeerNode
        let locator: ModernLocatorClient
        /// Our LAN candidates, published with the relayed one.
        let lanCandidates: [PeerCandidate]
        /// The hosts of everyone online we watch: friends dialing our relayed address straight
        /// from their own address need a permission for it.
        let watchedHosts: @Sendable () async -> [String]
        /// One line for the user.
        let report: @Sendable (String) -> Void
        let logger: Logger
    }

    /// How often permissions are renewed and the allocation refreshed: well inside the 5 minutes
    /// a permission lasts, so that a friend who just came online waits at most this long.
    static let maintenanceInterval = Duration.seconds(60)
    /// How long to wait before trying again when the relay cannot be reached or refuses: at
    /// first `firstRetry` (a relay that restarts is back within seconds), doubling, with jitter,
    /// up to `retryInterval`.
    static let firstRetry = Duration.seconds(1)
    static let retryInterval = Duration.seconds(30)

    private let session: Session
    /// The allocation in use, while there is one.
    private(set) var client: TurnClient?
    /// Since the last allocation was published: whether the user heard that the relay is not
    /// available, and how long to wait before the next try.
    private var failureTold = false
    private var retries = Backoff(first: PeerRelay.firstRetry, cap: PeerRelay.retryInterval)

    init(_ session: Session) {
        self.session = session
    }

    /// Until cancelled: allocates and publishes, and starts over with fresh credentials before
    /// they expire. Returns at once when the locator offers no relay: then nothing changes.
    func run() async {
        while !Task.isCancelled {
            do {
                guard let offer = try await session.locator.turnOffer() else {
                    session.logger.debug("the locator offers no TURN relay")
                    return
                }
                try await serve(offer)
            } catch {
                guard !Task.isCancelled else { return }
                session.logger.warning("the TURN relay is not in use", metadata: ["reason": "\(error)"])
                if !failureTold {
                    session.report("the TURN relay is not available (\(Self.describe(error))); friends behind a NAT may not reach you; trying again, at least every \(Self.retryInterval.components.seconds) s")
                    failureTold = true
                }
                try? await Task.sleep(for: retries.next())
            }
        }
    }

    /// One allocation under `offer`'s credentials, until shortly before they expire.
    private func serve(_ offer: TurnOffer) async throws {
        let server = try SocketAddress.makeAddressResolvingHost(offer.host, port: offer.port)
        let client = try await TurnClient.connect(to: server, credentials: TurnCredentials(offer))
        defer { self.client = nil }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    await client.run()
                    throw TurnError.closed
                }
                let allocation = try await client.allocate(transport: StunAttribute.tcpTransport)
                guard let relayed = PeerCandidate(kind: .relayed, host: allocation.relayed.host, port: Int(allocation.relayed.port)) else {
                    throw TurnError.missingAttribute(method: .allocate, name: "a usable XOR-RELAYED-ADDRESS")
                }
                try await client.createPermission(for: try await permissions(relayHost: relayed.host))
                self.client = client
                try await session.locator.publish(session.lanCandidates + [relayed])
                session.logger.info("published candidates", metadata: ["relayed": "\(relayed)", "lan": "\(session.lanCandidates)"])
                failureTold = false
                retries.reset()
                group.addTask { await self.acceptConnections(from: client) }
                group.addTask { try await self.maintain(client, lifetime: allocation.lifetime, relayHost: relayed.host) }
                group.addTask { try await Task.sleep(for: Self.renewal(expires: offer.expires)) }
                // The renewal timer ends normally; anything else ending is a failure and throws.
                _ = try await group.next()
                group.cancelAll()
            }
        } catch {
            await client.close()
            throw error
        }
        await client.close()
    }

    /// Binds every peer that dials our relayed address and hands it to the node.
    private func acceptConnections(from client: TurnClient) async {
        let node = session.node
        let logger = session.logger
        await withDiscardingTaskGroup { group in
            for await attempt in client.connectionAttempts {
                group.addTask {
                    do {
                        try await node.acceptRelayed { configure in try await client.bind(attempt.connectionID, configure: configure) }
                    } catch {
                        logger.notice("a relayed connection could not be bound", metadata: ["peer": "\(attempt.peer)", "reason": "\(error)"])
                    }
                }
            }
        }
    }

    /// Refreshes the allocation and renews the permissions every `maintenanceInterval` (or half
    /// the granted lifetime, if shorter). Throws when the relay refuses or stops answering.
    private func maintain(_ client: TurnClient, lifetime: Duration, relayHost: String) async throws {
        var granted = lifetime
        while true {
            try await Task.sleep(for: max(.seconds(1), min(Self.maintenanceInterval, granted / 2)))
            granted = try await client.refresh(lifetime: lifetime)
            guard granted > .zero else { throw TurnError.refused(method: .refresh, code: 0, reason: "the relay granted no time") }
            try await client.createPermission(for: try await permissions(relayHost: relayHost))
        }
    }

    /// Who may connect to our relayed address: the relay itself (a friend behind a NAT dials
    /// through their own allocation, so their connection comes from the relay's address) and the
    /// addresses of the users we watch who are online (a friend dialing straight from theirs).
    private func permissions(relayHost: String) async throws -> [StunAddress] {
        let hosts = Set([relayHost] + (await session.watchedHosts()))
        return hosts.sorted().prefix(32).compactMap { host in
            (try? SocketAddress(ipAddress: host, port: 0)).flatMap { StunAddress($0) }
        }
    }

    /// How long to use credentials that expire at `expires` (seconds since 1970): until a fifth of
    /// their life, at most 5 minutes, is left.
    static func renewal(expires: Int, now: Date = Date()) -> Duration {
        let remaining = max(0, Double(expires) - now.timeIntervalSince1970)
        return .seconds(max(5, remaining - min(300, remaining / 5)))
    }

    /// Opens a connection to a friend's relayed candidate through our own allocation (RFC 6062
    /// Connect and ConnectionBind): the friend's relay lets in connections from the relay's own
    /// address, whoever we are. When there is no allocation, or the relay will not connect, the
    /// candidate is dialed straight.
    static func opener(through client: TurnClient?, to candidate: PeerCandidate, direct: @escaping PeerNode.Opener) -> PeerNode.Opener {
        guard let client else { return direct }
        return { configure in
            let peer = try StunAddress(SocketAddress(ipAddress: candidate.host, port: candidate.port))
            guard let peer else { throw TurnError.missingAttribute(method: .connect, name: "a peer address") }
            do {
                try await client.createPermission(for: [peer])
                let id = try await client.connect(to: peer)
                return try await client.bind(id, configure: configure)
            } catch let error as TurnError {
                guard case .refused = error else { throw error }
                return try await direct(configure)
            }
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let turn = error as? TurnError { return turn.description }
        return LocatorClient.Error.describe(error)
    }
}
