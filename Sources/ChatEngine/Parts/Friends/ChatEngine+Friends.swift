import ChatIdentity
import ChatWire

extension ChatEngine {
    public struct Friend: Sendable, Hashable {
        public var id: String
        public var fingerprint: String
        public var online: Bool
        public var unread: Int
        /// Their away reason while they are online and away (`/away`).
        public var away: String?
        /// The user compared safety numbers with them (`/verify ID confirmed`).
        public var verified: Bool
        /// They presented a new key that the user has not accepted (`/verify ID`).
        public var keyChanged: Bool
        /// How the live connection to them travels; nil while there is none.
        public var path: PeerPath?

        public init(
            id: String, fingerprint: String, online: Bool, unread: Int, away: String? = nil, verified: Bool = false,
            keyChanged: Bool = false, path: PeerPath? = nil
        ) {
            self.id = id
            self.fingerprint = fingerprint
            self.online = online
            self.unread = unread
            self.away = away
            self.verified = verified
            self.keyChanged = keyChanged
            self.path = path
        }
    }

    /// What `/verify` shows for a friend: the safety number of the key pinned for them and, when
    /// they presented another key since, the number of that one.
    public struct Verification: Sendable, Equatable {
        public var peer: String
        public var safetyNumber: SafetyNumber
        public var verified: Bool
        /// The number of a new key they presented that the user has not accepted.
        public var offered: SafetyNumber?

        public init(peer: String, safetyNumber: SafetyNumber, verified: Bool, offered: SafetyNumber? = nil) {
            self.peer = peer
            self.safetyNumber = safetyNumber
            self.verified = verified
            self.offered = offered
        }
    }

    /// What `/add` did.
    public enum FriendRequestOutcome: Sendable, Equatable {
        /// The peer was online and has the request.
        case sent
        /// The peer is offline: the request is stored and goes out when they are next online.
        case queued
        /// The peer had asked us already: that made them a friend.
        case accepted
    }

    private var friendsPart: FriendsPart { parts.part(FriendsPart.self) }

    public func friends() async throws -> [Friend] {
        let unread = try await store.unreadCounts()
        var friends: [Friend] = []
        for contact in try await store.contacts() {
            let online = isOnline(contact.id)
            friends.append(Friend(
                id: contact.id, fingerprint: contact.fingerprint, online: online, unread: unread[contact.id] ?? 0,
                away: online ? await awayReason(of: contact.id) : nil, verified: contact.verified,
                keyChanged: contact.offeredFingerprint != nil, path: online ? await path(to: contact.id) : nil))
        }
        return friends
    }

    /// The safety numbers to compare with friend `peer`, by voice or in person.
    public func verification(of peer: String) async throws -> Verification {
        try validatePeer(peer)
        return try await friendsPart.verification(of: peer)
    }

    /// The user compared the numbers with `peer` and they matched: marks them verified, and when
    /// they presented a new key, pins that one.
    @discardableResult
    public func confirmVerification(of peer: String) async throws -> Verification {
        try validatePeer(peer)
        return try await friendsPart.confirmVerification(of: peer)
    }

    /// Open requests: to us, and ours (sent ones first, then those queued for offline peers).
    public func requests() async throws -> (incoming: [FriendRequest], outgoing: [FriendRequest]) {
        let sent = try await store.requests(direction: .outgoing)
        return (try await store.requests(direction: .incoming), sent + (try await store.queuedFriendRequests()))
    }

    /// Asks `peer` to be friends. An online peer gets the request at once, and the certificate the
    /// locator publishes for it is pinned; for an offline peer it is stored and goes out when the
    /// peer is next seen online (also after restarts of either side).
    @discardableResult
    public func addFriend(_ peer: String) async throws -> FriendRequestOutcome {
        _ = try requireSession()
        try validatePeer(peer)
        return try await friendsPart.add(peer)
    }

    public func acceptFriend(_ peer: String) async throws {
        try validatePeer(peer)
        try await friendsPart.accept(peer)
    }

    /// Deletes the request without telling the requester; its repeats are ignored from now on.
    public func rejectFriend(_ peer: String) async throws {
        try validatePeer(peer)
        try await friendsPart.reject(peer)
    }

    /// Ends a friendship (telling the peer), or withdraws a queued request.
    public func removeFriend(_ peer: String) async throws {
        try validatePeer(peer)
        try await friendsPart.remove(peer)
    }

    /// Where `peer` is, according to the locator.
    public func query(_ peer: String) async throws -> PeerAddress? {
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        return try await requireSession().locator.query(peer)
    }

    private func validatePeer(_ peer: String) throws {
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        guard peer != user else { throw EngineError.yourself }
    }
}
