import Foundation
import GRDB

extension ChatStore {
    /// Stores an outgoing message and its frame for `message.recipient` in
    /// one transaction, before anything is sent: once this returns, the
    /// message survives a crash and will be resent until the peer acks it.
    ///
    /// Throws ``Error/duplicateMessage(id:)`` if the id is already stored.
    public func enqueueOutgoing(message: StoredMessage, payload: Data) async throws {
        try await enqueueOutgoing([(message, payload)])[0].get()
    }

    /// Stores several outgoing messages in one transaction (one fsync); one refused message (a
    /// duplicate id) leaves the others stored.
    func enqueueOutgoing(_ batch: [(message: StoredMessage, payload: Data)]) async throws -> [Result<Void, any Swift.Error>] {
        for (message, _) in batch where message.direction != .outgoing {
            throw Error.invalidMessage(id: message.id, reason: "an incoming message was passed as outgoing")
        }
        return try await write("queueing \(batch.count) messages") { db in
            try batch.map { message, payload in
                do {
                    try Self.enqueue(message, payload: payload, in: db)
                    return .success(())
                } catch let error as Error {
                    return .failure(error)
                }
            }
        }
    }

    /// Refuses a duplicate before writing anything, so a refused message leaves no half of itself
    /// behind and needs no savepoint of its own.
    private static func enqueue(_ message: StoredMessage, payload: Data, in db: Database) throws {
        let exists = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM messages WHERE sender = ? AND id = ?)"),
            arguments: [message.sender, message.id]
        ) ?? false
        if exists { throw Error.duplicateMessage(id: message.id) }

        try db.cachedStatement(
            sql: """
                INSERT INTO messages
                    (id, conversation, sender, recipient, body, sent_at, stored_at, direction, delivery, is_read, is_action,
                     reply_to)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'outgoing', 'queued', 1, ?, ?)
                """
        ).execute(arguments: [
            message.id, message.conversation, message.sender, message.recipient, message.body,
            message.sentAt.unixMilliseconds, message.storedAt.unixMilliseconds, message.isAction, message.replyTo,
        ])
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (message_seq, message_id, peer, payload, attempts, created_at)
                VALUES (?, ?, ?, ?, 0, ?)
                """
        ).execute(arguments: [
            db.lastInsertedRowID, message.id, message.recipient, payload, message.storedAt.unixMilliseconds,
        ])
    }

    /// The frames still waiting for `peer`'s ack, oldest first: the order to resend them in.
    public func pendingOutbox(for peer: String) async throws -> [OutboxEntry] {
        try await read("reading the outbox for \(peer)") { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT message_id, peer, payload, attempts, created_at, last_attempt_at FROM outbox
                        WHERE peer = ? ORDER BY created_at, seq
                        """),
                arguments: [peer]
            ).map(OutboxEntry.init(row:))
        }
    }

    /// The peers that have frames waiting, sorted: whom to reach when they come online.
    public func pendingPeers() async throws -> [String] {
        try await read("reading the outbox") { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT peer FROM outbox ORDER BY peer")
        }
    }

    /// Handles `peer`'s `Ack` for `messageId`: drops the frame and, once no
    /// peer still owes an ack for it, marks the message delivered, in one
    /// transaction. Returns false for a duplicate or unknown ack (or one from
    /// a peer the message was not sent to), changing nothing.
    @discardableResult
    public func acknowledge(messageId: String, peer: String) async throws -> Bool {
        try await write("recording the ack of \(messageId)") { db in
            try Self.acknowledge(messageId: messageId, peer: peer, in: db) != nil
        }
    }

    /// Counts one more sending attempt of `messageId`, to `peer` or to every
    /// peer it is queued for. Returns whether a frame was found.
    @discardableResult
    public func recordAttempt(messageId: String, peer: String? = nil, at time: Date = Date()) async throws -> Bool {
        try await recordAttempts(messageIds: [messageId], peer: peer, at: time) > 0
    }

    /// Counts one more sending attempt of each of `messageIds` in one transaction. Returns how
    /// many frames were found.
    @discardableResult
    public func recordAttempts(messageIds: [String], peer: String? = nil, at time: Date = Date()) async throws -> Int {
        guard !messageIds.isEmpty else { return 0 }
        return try await write("recording attempts to send \(messageIds.count) messages") { db in
            try messageIds.reduce(0) { changed, messageId in
                changed + (try Self.recordAttempt(messageId: messageId, peer: peer, at: time, in: db))
            }
        }
    }

    /// The sender's delivery bookkeeping, batched into one transaction: attempts made (frames
    /// written on a connection) and acks received. Returns, for each ack, whether it dropped the
    /// frame of a message (false for a duplicate, an unknown one, or an edit's or delete's frame,
    /// which is no message of its own).
    func recordDelivery(
        attempts: [(messageId: String, peer: String)], acks: [(messageId: String, peer: String)], at time: Date = Date()
    ) async throws -> [Bool] {
        guard !attempts.isEmpty || !acks.isEmpty else { return [] }
        return try await write("recording \(attempts.count) attempts and \(acks.count) acks") { db in
            for attempt in attempts {
                _ = try Self.recordAttempt(messageId: attempt.messageId, peer: attempt.peer, at: time, in: db)
            }
            return try acks.map { try Self.acknowledge(messageId: $0.messageId, peer: $0.peer, in: db) == true }
        }
    }

    /// Drops the frame `peer` acked. Nil when there was none; otherwise whether it carried the
    /// message itself (an edit's or delete's frame is kept with the message it changes).
    private static func acknowledge(messageId: String, peer: String, in db: Database) throws -> Bool? {
        guard let frame = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT outbox.message_seq, messages.id FROM outbox JOIN messages ON messages.seq = outbox.message_seq
                    WHERE outbox.message_id = ? AND outbox.peer = ?
                    """),
            arguments: [messageId, peer]
        ) else { return nil }
        let messageSeq: Int64 = frame["message_seq"]
        try db.cachedStatement(sql: "DELETE FROM outbox WHERE message_id = ? AND peer = ?").execute(arguments: [messageId, peer])
        try db.cachedStatement(
            sql: """
                UPDATE messages SET delivery = 'delivered'
                WHERE seq = ? AND NOT EXISTS (SELECT 1 FROM outbox WHERE message_seq = ?)
                """
        ).execute(arguments: [messageSeq, messageSeq])
        return (frame["id"] as String) == messageId
    }

    private static func recordAttempt(messageId: String, peer: String?, at time: Date, in db: Database) throws -> Int {
        try db.cachedStatement(
            sql: """
                UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ?
                WHERE message_id = ? AND (? IS NULL OR peer = ?)
                """
        ).execute(arguments: [time.unixMilliseconds, messageId, peer, peer])
        return db.changesCount
    }
}
