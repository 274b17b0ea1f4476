extension ChatEngine {
    /// Whether `peer` is a friend.
    public func isFriend(_ peer: String) async throws -> Bool {
        try await store.contact(id: peer) != nil
    }

    /// Marks every message from `peer` read: the user has seen them (and `peer` learns it, when both share receipts).
    public func markRead(_ peer: String) async throws {
        try await store.markRead(conversation: peer)
        await conversationRead(peer)
    }

    /// The unread messages from `peer`, oldest first, without marking them read.
    public func unreadMessages(from peer: String) async throws -> [StoredMessage] {
        let unread = try await store.unreadCounts()[peer] ?? 0
        guard unread > 0 else { return [] }
        // Unread messages are the newest incoming ones, but replies may sit between them: page back until all
        // are found or the conversation ends.
        var limit = unread
        while true {
            let page = try await store.history(with: peer, limit: limit)
            let found = page.filter { $0.direction == .incoming && !$0.isRead }
            if found.count >= unread || page.count < limit { return found }
            limit *= 2
        }
    }
}
