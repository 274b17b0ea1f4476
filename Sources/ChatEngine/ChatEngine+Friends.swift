import ChatIdentity
import ChatWire
import Logging

extension ChatEngine {
    public struct Friend: Sendable, Hashable {
        public var id: String
        public var fingerprint: String
        public var online: Bool
        public var unread: Int
    }

    public func friends() async throws -> [Friend] {
        let unread = try await store.unreadCounts()
        return try await store.contacts().map { contact in
            Friend(id: contact.id, fingerprint: contact.fingerprint, online: presence[contact.id] != nil,
                   unread: unread[contact.id] ?? 0)
        }
    }

    public func requests() async throws -> (incoming: [FriendRequest], outgoing: [FriendRequest]) {
        (try await store.requests(direction: .incoming), try await store.requests(direction: .outgoing))
    }

    /// Asks `peer` to be friends. The peer must be online: the request goes to it directly, and
    /// its certificate (as the locator publishes it) is what gets pinned.
    public func addFriend(_ peer: String) async throws {
        _ = try requireSession()
        try validatePeer(peer)
        guard try await store.contact(id: peer) == nil else { throw EngineError.alreadyFriend(peer) }
        if try await store.requests(direction: .incoming).contains(where: { $0.peer == peer }) {
            return try await acceptFriend(peer)
        }
        let connection = try await reach(peer)
        try await store.forgetRejection(of: peer)
        try await store.addRequest(FriendRequest(peer: peer, direction: .outgoing, fingerprint: connection.fingerprint.hex))
        try await connection.send(Envelope(type: .friendRequest, source: user, target: peer))
        requestSentOn[connection.id, default: []].insert(peer)
        await session?.locator.watch([peer])
    }

    public func acceptFriend(_ peer: String) async throws {
        try validatePeer(peer)
        guard let request = try await store.requests(direction: .incoming).first(where: { $0.peer == peer }) else {
            throw EngineError.noRequest(peer)
        }
        try await befriend(peer, fingerprint: request.fingerprint)
        // Best effort: if it does not arrive, the requester's engine asks again and is answered then.
        if let connection = try? await reach(peer) {
            try? await connection.send(Envelope(type: .friendAccept, source: user, target: peer))
        }
    }

    /// Deletes the request without telling the requester; its repeats are ignored from now on.
    public func rejectFriend(_ peer: String) async throws {
        try validatePeer(peer)
        guard try await store.rejectRequest(from: peer) else { throw EngineError.noRequest(peer) }
    }

    public func removeFriend(_ peer: String) async throws {
        try validatePeer(peer)
        guard try await store.removeContact(id: peer) else { throw EngineError.notFriend(peer) }
        if let connection = try? await reach(peer) {
            try? await connection.send(Envelope(type: .friendRemove, source: user, target: peer))
        }
        await session?.locator.unwatch([peer])
        presence[peer] = nil
    }

    private func validatePeer(_ peer: String) throws {
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        guard peer != user else { throw EngineError.yourself }
    }

    /// Pins `fingerprint` for `peer`, clears requests both ways, and starts watching the friend.
    private func befriend(_ peer: String, fingerprint: String) async throws {
        try await store.befriend(peer, fingerprint: fingerprint)
        await session?.locator.watch([peer])
        emit(.friendAdded(id: peer))
        // Their presence was followed before they were a friend, silently: say it now.
        if presence[peer] != nil { emit(.presence(user: peer, online: true)) }
    }

    /// An unanswered request of ours goes out again on each new connection to the peer (once per
    /// connection), in case it was lost or the peer was restarted before answering.
    func resendFriendRequest(to peer: String) async {
        guard let request = try? await store.requests(direction: .outgoing).first(where: { $0.peer == peer }),
            let connection = try? await reach(peer),
            !(requestSentOn[connection.id]?.contains(peer) ?? false)
        else { return }
        guard connection.fingerprint.hex == request.fingerprint else {
            warnChangedCertificate(peer, pinned: request.fingerprint, presented: connection.fingerprint.hex)
            return
        }
        requestSentOn[connection.id, default: []].insert(peer)
        try? await connection.send(Envelope(type: .friendRequest, source: user, target: peer))
    }

    func receiveFriendRequest(_ envelope: Envelope, on connection: PeerConnection) async throws {
        let peer = envelope.source
        let presented = connection.fingerprint.hex
        if let contact = try await store.contact(id: peer) {
            // A friend asking again never heard our accept: answer it again.
            if contact.fingerprint == presented {
                try await connection.send(Envelope(type: .friendAccept, source: user, target: peer))
            }
            return
        }
        if try await store.requests(direction: .outgoing).contains(where: { $0.peer == peer && $0.fingerprint == presented }) {
            // Both asked: that is a yes from each side.
            try await befriend(peer, fingerprint: presented)
            try await connection.send(Envelope(type: .friendAccept, source: user, target: peer))
            return
        }
        if try await store.recordIncomingRequest(from: peer, fingerprint: presented) == .new {
            emit(.friendRequest(from: peer, fingerprint: presented))
        }
    }

    func receiveFriendAccept(_ envelope: Envelope, on connection: PeerConnection) async throws {
        let peer = envelope.source
        guard let request = try await store.requests(direction: .outgoing).first(where: { $0.peer == peer }) else {
            return  // not asked, or already friends
        }
        guard request.fingerprint == connection.fingerprint.hex else {
            warnChangedCertificate(peer, pinned: request.fingerprint, presented: connection.fingerprint.hex)
            return
        }
        try await befriend(peer, fingerprint: request.fingerprint)
    }

    func receiveFriendRemove(_ envelope: Envelope) async throws {
        if try await store.removeContact(id: envelope.source) {
            presence[envelope.source] = nil
            emit(.friendRemoved(id: envelope.source))
        }
    }

    /// Where `peer` is, according to the locator.
    public func query(_ peer: String) async throws -> PeerAddress? {
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        return try await requireSession().locator.query(peer)
    }
}
