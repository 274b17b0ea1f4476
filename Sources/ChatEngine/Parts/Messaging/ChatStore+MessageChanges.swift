import ChatWire
import Foundation
import GRDB
import NIOCore

extension ChatStore {
    /// Edits, deletes and replies: what a message became, what it answers, its stable number in
    /// its conversation, and every change received (to apply each once, and to keep one whose
    /// message has not arrived yet).
    static func registerMessageChanges(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("messageChanges") { db in
            // `number` counts a conversation's messages in the order they were stored, from 1: what
            // `/history` shows and `/reply N` names. Given by the trigger, so that every way a
            // message is stored numbers it, and never renumbered (a deleted message keeps its row).
            try db.execute(sql: """
                ALTER TABLE messages ADD COLUMN number INTEGER;
                ALTER TABLE messages ADD COLUMN reply_to TEXT;
                ALTER TABLE messages ADD COLUMN edited_at INTEGER;
                ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
                ALTER TABLE messages ADD COLUMN original_body TEXT;
                UPDATE messages SET number = (
                    SELECT COUNT(*) FROM messages AS earlier
                    WHERE earlier.conversation = messages.conversation AND earlier.seq <= messages.seq);
                CREATE INDEX messages_by_number ON messages (conversation, number);
                CREATE INDEX messages_by_id ON messages (id);
                CREATE TRIGGER messages_number AFTER INSERT ON messages WHEN new.number IS NULL BEGIN
                    UPDATE messages SET number = (
                        SELECT COALESCE(MAX(number), 0) + 1 FROM messages WHERE conversation = new.conversation)
                    WHERE seq = new.seq;
                END;
                CREATE TABLE message_changes (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL,
                    sender TEXT NOT NULL,
                    conversation TEXT NOT NULL,
                    target_id TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('edit', 'delete')),
                    body TEXT,
                    sent_at INTEGER NOT NULL,
                    keep_original INTEGER NOT NULL CHECK (keep_original IN (0, 1)),
                    state TEXT NOT NULL CHECK (state IN ('pending', 'applied', 'refused')),
                    UNIQUE (sender, id)
                );
                CREATE INDEX message_changes_pending ON message_changes (target_id) WHERE state = 'pending';
                """)
        }
    }

    // MARK: Reading

    /// This user's `nthLast` newest message of `conversation` that is not deleted (1: the last).
    func ownMessage(in conversation: String, me: String, nthLast: Int) async throws -> StoredMessage? {
        guard nthLast >= 1 else { return nil }
        return try await message(
            "your messages with \(conversation)",
            where: "messages.conversation = ? AND messages.sender = ? AND messages.deleted_at IS NULL",
            order: "ORDER BY messages.number DESC LIMIT 1 OFFSET ?", [conversation, me, nthLast - 1])
    }

    /// How many messages of this user's in `conversation` are not deleted.
    func ownMessageCount(in conversation: String, me: String) async throws -> Int {
        try await read("counting your messages with \(conversation)") { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM messages WHERE conversation = ? AND sender = ? AND deleted_at IS NULL",
                arguments: [conversation, me]) ?? 0
        }
    }

    /// The message numbered `number` in `conversation`, as `/history` shows it.
    func message(numbered number: Int, in conversation: String) async throws -> StoredMessage? {
        try await message(
            "message \(number) with \(conversation)", where: "messages.conversation = ? AND messages.number = ?",
            [conversation, number])
    }

    /// The message `id` of `sender`, as it is now.
    func message(id: String, sender: String) async throws -> StoredMessage? {
        try await message("message \(id)", where: "messages.sender = ? AND messages.id = ?", [sender, id])
    }

    /// The first message, with what it answers, that meets `condition` (in `order`).
    private func message(
        _ what: String, where condition: String, order: String = "", _ arguments: StatementArguments
    ) async throws -> StoredMessage? {
        try await read("reading \(what)") { db in
            try Row.fetchOne(
                db,
                sql: "SELECT \(StoredMessage.selection) FROM messages \(StoredMessage.repliedJoin) WHERE \(condition) \(order)",
                arguments: arguments
            ).map(StoredMessage.init(row:))
        }
    }

    /// How a reply to message `id` of `conversation` quotes it; nil when it is not stored here.
    func quote(of id: String, in conversation: String) async throws -> StoredMessage.Quote? {
        try await read("reading the message a reply answers") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT sender, body, deleted_at FROM messages WHERE conversation = ? AND id = ?"),
                arguments: [conversation, id]
            ).map { row in
                StoredMessage.Quote(sender: row["sender"], body: row["body"], isDeleted: row["deleted_at"] as Int64? != nil)
            }
        }
    }

    /// Changes refused because their sender was not the message's author: forged, or confused.
    public func refusedChangeCount() async throws -> Int {
        try await read("counting refused changes") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message_changes WHERE state = 'refused'") ?? 0
        }
    }

    // MARK: Applying

    /// Stores a change received from a peer and applies it if its message is here: once, and only
    /// to a message of the change's sender in the change's conversation. `keepOriginal` keeps the
    /// text it replaces (`/set keep-edits on`); otherwise the text is gone, from the index too.
    func applyReceivedChange(_ change: MessageChange, keepOriginal: Bool) async throws -> MessageChangeOutcome {
        try await write("storing a change of message \(change.target) from \(change.sender)") { db in
            try Self.record(change, keepOriginal: keepOriginal, in: db)
        }
    }

    /// Stores `change` and applies it, in `db`'s transaction (see ``applyReceivedChange(_:keepOriginal:)``).
    static func record(_ change: MessageChange, keepOriginal: Bool, in db: Database) throws -> MessageChangeOutcome {
        let known = try Bool.fetchOne(
            db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM message_changes WHERE sender = ? AND id = ?)"),
            arguments: [change.sender, change.id]) ?? false
        if known { return .duplicate }
        let targets = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT seq, sender, conversation FROM messages WHERE id = ?"), arguments: [change.target])
        let own = targets.first { ($0["sender"] as String) == change.sender && ($0["conversation"] as String) == change.conversation }
        let state = own != nil ? "applied" : targets.isEmpty ? "pending" : "refused"
        try db.cachedStatement(
            sql: """
                INSERT INTO message_changes (id, sender, conversation, target_id, kind, body, sent_at, keep_original, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            change.id, change.sender, change.conversation, change.target, change.kind.rawValue, change.text,
            change.sentAt.unixMilliseconds, keepOriginal, state,
        ])
        guard let own else { return targets.isEmpty ? .pending : .refused }
        let seq: Int64 = own["seq"]
        try apply(change, keepOriginal: keepOriginal, toMessage: seq, in: db)
        return .applied(try message(seq: seq, in: db))
    }

    /// Applies the changes that waited for `message`, just stored, in the order they came; those
    /// from anyone but its author, or about another conversation, are refused. Returns the message
    /// as it is now.
    static func applyPendingChanges(to message: StoredMessage, in db: Database) throws -> StoredMessage {
        let pending = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT seq, id, sender, conversation, kind, body, sent_at, keep_original FROM message_changes
                    WHERE target_id = ? AND state = 'pending' ORDER BY seq
                    """),
            arguments: [message.id])
        guard !pending.isEmpty else { return message }
        guard let seq = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT seq FROM messages WHERE sender = ? AND id = ?"), arguments: [message.sender, message.id])
        else { return message }
        for row in pending {
            let isOwn = (row["sender"] as String) == message.sender && (row["conversation"] as String) == message.conversation
            try db.cachedStatement(sql: "UPDATE message_changes SET state = ? WHERE seq = ?")
                .execute(arguments: [isOwn ? "applied" : "refused", row["seq"] as Int64])
            guard isOwn, let kind = MessageChange.Kind(rawValue: row["kind"] as String) else { continue }
            let change = MessageChange(
                id: row["id"], kind: kind, sender: row["sender"], conversation: row["conversation"], target: message.id,
                text: row["body"], sentAt: Date(unixMilliseconds: row["sent_at"]))
            try apply(change, keepOriginal: row["keep_original"], toMessage: seq, in: db)
        }
        return try self.message(seq: seq, in: db)
    }

    /// Changes the message's text. A deleted message stays deleted, and an edit older than the one
    /// shown is not applied over it.
    private static func apply(_ change: MessageChange, keepOriginal: Bool, toMessage seq: Int64, in db: Database) throws {
        let time = change.sentAt.unixMilliseconds
        switch change.kind {
        case .edit:
            try db.cachedStatement(
                sql: """
                    UPDATE messages SET original_body = CASE WHEN ? THEN COALESCE(original_body, body) END,
                        body = ?, edited_at = ?
                    WHERE seq = ? AND deleted_at IS NULL AND (edited_at IS NULL OR edited_at <= ?)
                    """
            ).execute(arguments: [keepOriginal, change.text ?? "", time, seq, time])
        case .delete:
            try db.cachedStatement(
                sql: """
                    UPDATE messages SET original_body = CASE WHEN ? THEN COALESCE(original_body, body) END,
                        body = '', deleted_at = ?
                    WHERE seq = ? AND deleted_at IS NULL
                    """
            ).execute(arguments: [keepOriginal, time, seq])
        }
    }

    private static func message(seq: Int64, in db: Database) throws -> StoredMessage {
        guard let row = try Row.fetchOne(
            db,
            sql: "SELECT \(StoredMessage.selection) FROM messages \(StoredMessage.repliedJoin) WHERE messages.seq = ?",
            arguments: [seq])
        else { throw Error.database(operation: "reading a changed message", reason: "message \(seq) is gone") }
        return try StoredMessage(row: row)
    }

    // MARK: Sending

    /// Applies this user's own change of a direct message and queues its frame for `peer`, in one
    /// transaction: from then on it reaches `peer` as a message does, also after restarts.
    func enqueueChange(_ change: MessageChange, for peer: String, keepOriginal: Bool, payload: Data) async throws -> StoredMessage {
        try await write("queueing a change of message \(change.target)") { db in
            guard case .applied(let message) = try Self.record(change, keepOriginal: keepOriginal, in: db) else {
                throw Error.invalidMessage(id: change.target, reason: "not a message of yours in this conversation")
            }
            try Self.rewriteQueuedText(of: message, for: change, in: db)
            try Self.queueChangeFrame(change, message: message, peer: peer, payload: payload, in: db)
            return message
        }
    }

    /// What a message deleted while still queued carries instead of its text.
    static let deletedWhileQueued = "[deleted]"

    /// An edit or delete of a message still in the outbox for some receivers: their frames carry
    /// the new text, or for a delete only ``deletedWhileQueued``, so the old text leaves the disk
    /// and they never see it. The message itself still goes, and the change follows it: a delete
    /// must find its message to apply, and the message keeps its number on both sides.
    static func rewriteQueuedText(of message: StoredMessage, for change: MessageChange, in db: Database) throws {
        let text = switch change.kind {
        case .edit: change.text ?? ""
        case .delete: deletedWhileQueued
        }
        let frames = try Row.fetchAll(
            db,
            sql: """
                SELECT seq, payload FROM outbox
                WHERE message_id = ? AND message_seq = (SELECT seq FROM messages WHERE sender = ? AND id = ?)
                """,
            arguments: [message.id, message.sender, message.id])
        for frame in frames {
            var envelope = try Envelope.decode(from: ByteBuffer(bytes: frame["payload"] as Data))
            envelope.data = text
            try db.execute(
                sql: "UPDATE outbox SET payload = ? WHERE seq = ?",
                arguments: [Data(try envelope.encoded().readableBytesView), frame["seq"] as Int64])
        }
    }

    /// The outbox frame of a change: acknowledged like a message, and kept with the message it changes.
    static func queueChangeFrame(_ change: MessageChange, message: StoredMessage, peer: String, payload: Data, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO outbox (message_seq, message_id, peer, payload, attempts, created_at)
                VALUES ((SELECT seq FROM messages WHERE sender = ? AND id = ?), ?, ?, ?, 0, ?)
                """
        ).execute(arguments: [message.sender, message.id, change.id, peer, payload, Date().unixMilliseconds])
    }
}
