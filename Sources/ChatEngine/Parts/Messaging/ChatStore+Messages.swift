import Foundation
import GRDB

extension ChatStore {
    /// Stores a received message, unread. Returns false, changing nothing,
    /// when a message with the same sender and id is already stored: the peer
    /// resent it because our `Ack` was lost. Either way the message is on disk
    /// when this returns, so the caller acks it in both cases and shows it
    /// only when this returns true.
    @discardableResult
    public func insertIncoming(_ message: StoredMessage) async throws -> Bool {
        try await insertIncoming([message])[0]
    }

    /// Stores received messages in one transaction (one fsync for all of them, which is what
    /// lets a busy connection's messages be acked together). Returns, for each, whether it is new.
    func insertIncoming(_ messages: [StoredMessage]) async throws -> [Bool] {
        try await storeIncoming(messages).map { $0 != nil }
    }

    /// Stores received messages as ``insertIncoming(_:)-swift.method`` does; returns each new one as
    /// it is now (with the changes that waited for it applied), nil for one stored already.
    func storeIncoming(_ messages: [StoredMessage]) async throws -> [StoredMessage?] {
        for message in messages where message.direction != .incoming {
            throw Error.invalidMessage(id: message.id, reason: "an outgoing message was passed as incoming")
        }
        return try await write("storing \(messages.count) received messages") { db in
            try messages.map { message in
                try db.cachedStatement(
                    sql: """
                        INSERT INTO messages
                            (id, conversation, sender, recipient, body, sent_at, stored_at, direction, delivery, is_read, is_action,
                         reply_to)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'incoming', NULL, ?, ?, ?)
                        ON CONFLICT (sender, id) DO NOTHING
                        """
                ).execute(arguments: [
                    message.id, message.conversation, message.sender, message.recipient, message.body,
                    message.sentAt.unixMilliseconds, message.storedAt.unixMilliseconds, message.isRead, message.isAction,
                    message.replyTo,
                ])
                // sqlite3_changes counts the statement's own row only, not the triggers'.
                guard db.changesCount > 0 else { return nil }
                return try Self.applyPendingChanges(to: message, in: db)
            }
        }
    }

    /// The newest `limit` messages of a conversation, oldest first (the order
    /// they are printed in). `before` pages backwards: only messages stored
    /// strictly before that time.
    ///
    /// Ordered by our own storing time, not the sender's clock, which may be wrong.
    public func history(with peer: String, limit: Int = 50, before: Date? = nil) async throws -> [StoredMessage] {
        guard limit > 0 else { return [] }
        let cutoff = before?.unixMilliseconds ?? Int64.max
        return try await read("reading the history with \(peer)") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(StoredMessage.selection) FROM messages \(StoredMessage.repliedJoin)
                    WHERE messages.conversation = ? AND messages.stored_at < ?
                    ORDER BY messages.stored_at DESC, messages.seq DESC
                    LIMIT ?
                    """,
                arguments: [peer, cutoff, limit]
            ).map(StoredMessage.init(row:)).reversed()
        }
    }

    /// Marks every incoming message of a conversation as read. Returns how many were unread.
    @discardableResult
    public func markRead(conversation: String) async throws -> Int {
        try await write("marking \(conversation) as read") { db in
            try db.execute(
                sql: "UPDATE messages SET is_read = 1 WHERE conversation = ? AND is_read = 0",
                arguments: [conversation]
            )
            return db.changesCount
        }
    }

    /// Unread incoming messages per conversation; conversations with none are absent.
    public func unreadCounts() async throws -> [String: Int] {
        try await read("counting unread messages") { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT conversation, COUNT(*) AS unread FROM messages WHERE is_read = 0 GROUP BY conversation"
            )
            var counts: [String: Int] = [:]
            for row in rows {
                counts[try row.decode(String.self, forColumn: "conversation")] = try row.decode(Int.self, forColumn: "unread")
            }
            return counts
        }
    }
}
