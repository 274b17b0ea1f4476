import ChatWire
import Logging

/// `/away`: a status the user tells their friends over the peer connections, as IRC users know
/// it; the locator knows nothing of it. Each new connection to a friend carries the current
/// status (away with a reason, or back), so a friend who restarts still learns it.
actor AwayPart: EnginePart {
    static let envelopeTypes: [EnvelopeType] = [.away]

    unowned let core: ChatEngine
    /// This user's reason while away.
    private(set) var reason: String?
    /// Friends who said they are away, with their reasons.
    private var friendsAway: [String: String] = [:]

    init(core: ChatEngine) {
        self.core = core
    }

    /// Sets (or with nil clears) this user's away status and tells every friend who is online.
    func setAway(_ reason: String?) async {
        self.reason = reason
        let friends = (try? await core.store.contacts().map(\.id)) ?? []
        for friend in friends where await core.isOnline(friend) {
            guard let connection = try? await core.reach(friend) else { continue }
            await tell(connection)
        }
    }

    func reason(of friend: String) -> String? {
        friendsAway[friend]
    }

    private func tell(_ connection: PeerConnection) async {
        let status = Envelope(type: .away, source: core.user, target: connection.peer, data: reason)
        do {
            try await connection.send(status)
        } catch {
            core.logger.debug("could not tell the away status", metadata: ["peer": "\(connection.peer)", "error": "\(error)"])
        }
    }

    func received(_ envelope: Envelope, on connection: PeerConnection) async throws {
        guard try await core.store.contact(id: envelope.source) != nil else { return }
        let said = envelope.data.flatMap { $0.isEmpty ? nil : $0 }
        guard friendsAway[envelope.source] != said else { return }
        friendsAway[envelope.source] = said
        core.emit(.away(.changed(user: envelope.source, reason: said)))
    }

    func peerConnected(_ connection: PeerConnection) async {
        guard (try? await core.store.contact(id: connection.peer)) != nil else { return }
        await tell(connection)
    }

    func sessionEnded() async {
        friendsAway = [:]
    }
}
