import ChatIdentity
import ChatWire
import GRDB
import Logging

/// Friend requests (sent, queued for offline peers, received), acceptance, removal and pinning.
///
/// A friend's certificate fingerprint is pinned when the friendship is made: the one the locator
/// publishes for the peer when our request goes out, or the one the requester presented.
actor FriendsPart: EnginePart {
    static let envelopeTypes: [EnvelopeType] = [.friendRequest, .friendAccept, .friendRemove]

    static func registerMigrations(in migrator: inout DatabaseMigrator) {
        ChatStore.registerFriends(in: &migrator)
        ChatStore.registerQueuedFriendRequests(in: &migrator)
        ChatStore.registerVerification(in: &migrator)
    }

    unowned let core: ChatEngine
    var store: ChatStore { core.store }
    var user: String { core.user }

    /// Peers whose friend request went out on a connection (by connection id).
    private var requestSentOn: [Int: Set<String>] = [:]

    init(core: ChatEngine) {
        self.core = core
    }

    // MARK: Commands

    /// Asks `peer` to be friends: now if they are online, else queued until they are.
    func add(_ peer: String) async throws -> ChatEngine.FriendRequestOutcome {
        guard try await store.contact(id: peer) == nil else { throw FriendError.alreadyFriend(peer) }
        if try await store.requests(direction: .incoming).contains(where: { $0.peer == peer }) {
            try await accept(peer)
            return .accepted
        }
        try await store.forgetRejection(of: peer)
        let connection: PeerConnection
        do {
            connection = try await core.reach(peer)
        } catch EngineError.offline {
            try await store.queueFriendRequest(to: peer)
            await core.watch([peer])
            return .queued
        }
        try await store.addRequest(FriendRequest(peer: peer, direction: .outgoing, fingerprint: connection.fingerprint.hex))
        try await store.removeQueuedFriendRequest(to: peer)
        try await sendRequest(to: peer, on: connection)
        await core.watch([peer])
        return .sent
    }

    func accept(_ peer: String) async throws {
        guard let request = try await store.requests(direction: .incoming).first(where: { $0.peer == peer }) else {
            throw FriendError.noRequest(peer)
        }
        try await befriend(peer, fingerprint: request.fingerprint)
        // Best effort: if it does not arrive, the requester's engine asks again and is answered then.
        if let connection = try? await core.reach(peer) {
            try? await connection.send(Envelope(type: .friendAccept, source: user, target: peer))
        }
    }

    /// Deletes the request without telling the requester; its repeats are ignored from now on.
    func reject(_ peer: String) async throws {
        guard try await store.rejectRequest(from: peer) else { throw FriendError.noRequest(peer) }
    }

    func remove(_ peer: String) async throws {
        let wasFriend = try await store.removeContact(id: peer)
        let wasQueued = try await store.removeQueuedFriendRequest(to: peer)
        guard wasFriend || wasQueued else { throw FriendError.notFriend(peer) }
        if wasFriend, let connection = try? await core.reach(peer) {
            try? await connection.send(Envelope(type: .friendRemove, source: user, target: peer))
        }
        await core.unwatch([peer])
        await core.announcePresence(of: peer)
    }

    // MARK: Sending requests

    private func sendRequest(to peer: String, on connection: PeerConnection) async throws {
        requestSentOn[connection.id, default: []].insert(peer)
        try await connection.send(Envelope(type: .friendRequest, source: user, target: peer))
    }

    /// Sends what waits for `peer`: a queued request goes out for the first time (pinning the
    /// fingerprint the locator publishes now); an unanswered one goes out again once per
    /// connection, in case it was lost or the peer restarted before answering.
    private func resendRequest(to peer: String) async {
        do {
            if try await store.queuedFriendRequests().contains(where: { $0.peer == peer }) {
                let connection = try await core.reach(peer)
                guard !(requestSentOn[connection.id]?.contains(peer) ?? false) else { return }
                try await store.promoteQueuedFriendRequest(to: peer, fingerprint: connection.fingerprint.hex)
                try await sendRequest(to: peer, on: connection)
                core.logger.info("queued friend request sent", metadata: ["peer": "\(peer)"])
                return
            }
            guard let request = try await store.requests(direction: .outgoing).first(where: { $0.peer == peer }) else { return }
            let connection = try await core.reach(peer)
            guard !(requestSentOn[connection.id]?.contains(peer) ?? false) else { return }
            guard connection.fingerprint.hex == request.fingerprint else {
                core.warnChangedCertificate(peer, pinned: request.fingerprint, presented: connection.fingerprint.hex)
                return
            }
            try await sendRequest(to: peer, on: connection)
        } catch {
            core.logger.debug("friend request still waits", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        }
    }

    // MARK: Receiving

    func received(_ envelope: Envelope, on connection: PeerConnection) async throws {
        switch envelope.type {
        case .friendRequest: try await receiveRequest(envelope, on: connection)
        case .friendAccept: try await receiveAccept(envelope, on: connection)
        case .friendRemove: try await receiveRemove(envelope)
        default: break
        }
    }

    private func receiveRequest(_ envelope: Envelope, on connection: PeerConnection) async throws {
        let peer = envelope.source
        let presented = connection.fingerprint.hex
        if let contact = try await store.contact(id: peer) {
            // A friend asking again never heard our accept: answer it again.
            if contact.fingerprint == presented {
                try await connection.send(Envelope(type: .friendAccept, source: user, target: peer))
            }
            return
        }
        let askedThem = try await store.requests(direction: .outgoing).contains { $0.peer == peer && $0.fingerprint == presented }
        let queuedForThem = try await store.queuedFriendRequests().contains { $0.peer == peer }
        if askedThem || queuedForThem {
            // Both asked: that is a yes from each side. (A stranger's connection was vouched for by
            // the locator's published fingerprint, so that is what gets pinned.)
            try await befriend(peer, fingerprint: presented)
            try await connection.send(Envelope(type: .friendAccept, source: user, target: peer))
            return
        }
        if try await store.recordIncomingRequest(from: peer, fingerprint: presented) == .new {
            core.emit(.friends(.request(from: peer, fingerprint: presented)))
        }
    }

    private func receiveAccept(_ envelope: Envelope, on connection: PeerConnection) async throws {
        let peer = envelope.source
        guard let request = try await store.requests(direction: .outgoing).first(where: { $0.peer == peer }) else {
            return  // not asked, or already friends
        }
        guard request.fingerprint == connection.fingerprint.hex else {
            core.warnChangedCertificate(peer, pinned: request.fingerprint, presented: connection.fingerprint.hex)
            return
        }
        try await befriend(peer, fingerprint: request.fingerprint)
    }

    private func receiveRemove(_ envelope: Envelope) async throws {
        guard try await store.removeContact(id: envelope.source) else { return }
        core.emit(.friends(.removed(id: envelope.source)))
        await core.unwatch([envelope.source])
        await core.announcePresence(of: envelope.source)
    }

    /// Pins `fingerprint` for `peer`, clears requests both ways, and starts watching the friend.
    private func befriend(_ peer: String, fingerprint: String) async throws {
        try await store.befriend(peer, fingerprint: fingerprint)
        try await store.removeQueuedFriendRequest(to: peer)
        // Said before watching: the locator's answer to the watch announces their presence.
        core.emit(.friends(.added(id: peer)))
        await core.watch([peer])
        // Their presence was followed before they were a friend, silently: say it now (once).
        await core.announcePresence(of: peer)
    }

    // MARK: Engine events

    func watchedUsers() async throws -> Set<String> {
        var users = Set(try await store.contacts().map(\.id))
        users.formUnion(try await store.requests(direction: .outgoing).map(\.peer))
        users.formUnion(try await store.queuedFriendRequests().map(\.peer))
        return users
    }

    func peerConnected(_ connection: PeerConnection) async {
        await resendRequest(to: connection.peer)
    }

    func peerDisconnected(_ connection: PeerConnection) async {
        requestSentOn[connection.id] = nil
    }

    func peerOnline(_ peer: String) async {
        await resendRequest(to: peer)
    }

    func retry() async {
        let waiting = (try? await store.requests(direction: .outgoing).map(\.peer)) ?? []
        let queued = (try? await store.queuedFriendRequests().map(\.peer)) ?? []
        for peer in Set(waiting + queued) { await resendRequest(to: peer) }
    }

    func sessionEnded() async {
        requestSentOn = [:]
    }
}
