import ChatIdentity
import ChatWire
import Logging
import NIOCore

extension ChatEngine {
    /// At login on a modern locator: the relay part of the session, which asks the locator for a
    /// TURN relay and, if it offers one, allocates and publishes this user's candidates. Without
    /// an offer it ends at once and nothing changes.
    func startRelay(for locator: any LocatorClient, node: PeerNode, peerPort: Int, in scope: SessionScope) {
        guard let modern = locator as? ModernLocatorClient else { return }
        let relay = PeerRelay(PeerRelay.Session(
            node: node, locator: modern, lanCandidates: lanCandidates(port: peerPort),
            watchedHosts: { [weak self] in await self?.onlineHosts() ?? [] },
            report: { [weak self] line in self?.emit(.session(.error(line))) },
            logger: logger))
        updateSession { $0.relay = relay }
        scope.start { await relay.run() }
        guard configuration.punchesHoles else { return }
        // A relayed connection then tries to become a punched one, between the addresses the
        // locator sees the two sides at (what it lists first in their PATHS).
        let logger = logger
        scope.start {
            await node.enablePunching(directAddresses: { user in
                do {
                    return try await modern.paths(of: user).filter { $0.kind == .direct }
                } catch {
                    logger.debug("could not read PATHS for hole punching", metadata: ["user": "\(user)", "error": "\(error)"])
                    return []
                }
            })
        }
    }

    /// The `lan` candidates of a listener on `configuration.listenHost`: every interface's address
    /// when it listens on all of them, its one address otherwise (none on loopback).
    func lanCandidates(port: Int) -> [PeerCandidate] {
        let host = configuration.listenHost
        guard host == "0.0.0.0" || host == "::" else {
            return PeerCandidate(kind: .lan, host: host, port: port).map { $0.host.hasPrefix("127.") || $0.host == "::1" ? [] : [$0] } ?? []
        }
        do {
            return try LanCandidates.gather(port: port)
        } catch {
            logger.warning("could not list this machine's addresses", metadata: ["error": "\(error)"])
            return []
        }
    }

    /// Where the online users we watch are, as the locator sees them.
    private func onlineHosts() -> [String] {
        session?.presence.addresses.values.map(\.host) ?? []
    }

    /// The ways to reach `peer`, who the locator says is at `address`: on a modern locator every
    /// path it knows (`PATHS`: the address it sees first, then what the peer published), else
    /// that address alone.
    func candidates(of peer: String, at address: PeerAddress, port: Int) async -> [PeerCandidate] {
        if let modern = session?.locator as? ModernLocatorClient {
            do {
                let paths = try await modern.paths(of: peer)
                if !paths.isEmpty { return paths }
            } catch {
                logger.debug("PATHS failed; dialing the address the locator gave", metadata: ["peer": "\(peer)", "error": "\(error)"])
            }
        }
        return PeerCandidate(kind: .direct, host: address.host, port: port).map { [$0] } ?? []
    }

    /// Dials `peer` over `candidates` (staggered, LAN first, then direct, then relayed), pinning
    /// `pin` on every path. A path whose certificate is not the one pinned is said in one line,
    /// and nothing goes over it.
    func dial(_ peer: String, candidates: [PeerCandidate], pin: PinPolicy, node: PeerNode) async throws -> PeerConnection {
        guard !candidates.isEmpty else {
            throw EngineError.unreachable(peer, reason: "the locator knows no address for \(peer)")
        }
        let relayClient = await session?.relay?.client
        let impostors = ImpostorPaths()
        do {
            let connection = try await node.connect(
                to: peer, candidates: candidates, pin: pin,
                opener: { candidate in
                    let direct = node.directOpener(to: candidate)
                    return candidate.kind == .relayed ? PeerRelay.opener(through: relayClient, to: candidate, direct: direct) : direct
                },
                pinFailed: { candidate, mismatch in impostors.add(candidate, mismatch) })
            warnImpostors(peer, impostors)
            return connection
        } catch let failure as StaggeredDial.Failure {
            warnImpostors(peer, impostors)
            let allImpostors = !failure.attempts.isEmpty && failure.attempts.allSatisfy { impostors.contains($0.candidate) }
            throw EngineError.unreachable(peer, reason: allImpostors ? "its certificate does not match" : failure.description)
        }
    }

    private nonisolated func warnImpostors(_ peer: String, _ impostors: ImpostorPaths) {
        let paths = impostors.all
        guard let first = paths.first else { return }
        let listed = paths.map { "\($0.candidate.kind) \($0.candidate.host):\($0.candidate.port)" }.joined(separator: ", ")
        // The pin's own warning, with both fingerprints, and which of the friend's paths it came from.
        let noun = paths.count == 1 ? "path" : "paths"
        let pronoun = paths.count == 1 ? "it" : "them"
        emit(.session(.securityWarning("\(peer) (\(noun) \(listed)): \(first.mismatch) Nothing was sent over \(pronoun).")))
    }
}
