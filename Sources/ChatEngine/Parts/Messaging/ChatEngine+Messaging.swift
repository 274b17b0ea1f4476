import ChatWire

extension ChatEngine {
    public enum Delivery: String, Sendable {
        /// The receiver stored it and said so.
        case delivered
        /// In the outbox; it goes out when the receiver is reachable, also after restarts.
        case queued
    }

    var messaging: MessagingPart { parts.part(MessagingPart.self) }

    /// Sends `text` to a friend (as an action, `/me waves`, when `action`). Returns once it is
    /// acknowledged, or (after `ackWait`, or at once when the friend is offline) queued.
    @discardableResult
    public func send(_ text: String, to peer: String, action: Bool = false) async throws -> (id: String, delivery: Delivery) {
        _ = try requireSession()
        guard UserName.isValid(peer) else { throw EngineError.invalidUser(peer) }
        guard try await store.contact(id: peer) != nil else { throw FriendError.notFriend(peer) }
        guard !text.isEmpty else { throw MessageError.empty }
        guard text.utf8.count <= Limits.maxMessageText else { throw MessageError.tooLong(Limits.maxMessageText) }
        return try await messaging.send(text, to: peer, action: action)
    }

    /// The last `limit` messages with `peer`, oldest first; marks them read.
    public func history(with peer: String, limit: Int = 20) async throws -> [StoredMessage] {
        await messaging.settleDeliveries()
        let messages = try await store.history(with: peer, limit: limit)
        try await store.markRead(conversation: peer)
        return messages
    }

    public func search(_ text: String, limit: Int = 20) async throws -> [StoredMessage] {
        await messaging.settleDeliveries()
        return try await store.search(text, limit: limit)
    }

    /// Messages still waiting in the outbox for their receiver.
    public func queuedCount() async throws -> Int {
        await messaging.settleDeliveries()
        var count = 0
        for peer in try await store.pendingPeers() { count += try await store.pendingOutbox(for: peer).count }
        return count
    }

    /// Waits (at most `limit`) until nothing queued is still on its way to a peer we are connected
    /// to, so a script's last messages are acknowledged before it logs out. Messages for peers that
    /// are offline stay queued: they go out at a later login.
    public func drain(within limit: Duration) async {
        guard isLoggedIn else { return }
        let messaging = messaging
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await messaging.waitUntilDrained() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }
}
