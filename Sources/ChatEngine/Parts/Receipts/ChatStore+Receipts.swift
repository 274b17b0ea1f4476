import Foundation
import GRDB

extension ChatStore {
    /// How far each friend has read this user's messages: one row a friend, the newest message
    /// they said they read. Kept so that `/history` shows it after a restart.
    static func registerReceipts(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("readMarks") { db in
            try db.execute(sql: """
                CREATE TABLE read_marks (
                    peer TEXT PRIMARY KEY,
                    message_seq INTEGER NOT NULL REFERENCES messages (seq) ON DELETE CASCADE,
                    read_at INTEGER NOT NULL
                )
                """)
        }
    }

    /// The store's number of the message `id` that `me` sent to `peer` in their one-to-one
    /// conversation; nil when there is none (a group text, someone else's, or made up).
    func outgoingMessageSeq(id: String, from me: String, to peer: String) async throws -> Int64? {
        try await read("finding a message read by \(peer)") { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: """
                    SELECT seq FROM messages
                    WHERE sender = ? AND id = ? AND recipient = ? AND conversation = ? AND direction = 'outgoing'
                    """),
                arguments: [me, id, peer, peer])
        }
    }

    /// Moves `peer`'s read mark forward to the message `seq`; returns false, changing nothing, when
    /// the mark already stands there or further on (receipts may come again, or late).
    func advanceReadMark(of peer: String, to seq: Int64) async throws -> Bool {
        try await write("keeping how far \(peer) has read") { db in
            try db.cachedStatement(sql: """
                INSERT INTO read_marks (peer, message_seq, read_at) VALUES (?, ?, ?)
                ON CONFLICT (peer) DO UPDATE SET message_seq = excluded.message_seq, read_at = excluded.read_at
                WHERE excluded.message_seq > read_marks.message_seq
                """
            ).execute(arguments: [peer, seq, Date().unixMilliseconds])
            return db.changesCount > 0
        }
    }

    /// The id of the newest message of this user's that `peer` has read; nil when they have said none.
    public func readMark(of peer: String) async throws -> String? {
        try await read("reading how far \(peer) has read") { db in
            try String.fetchOne(
                db,
                sql: "SELECT m.id FROM read_marks r JOIN messages m ON m.seq = r.message_seq WHERE r.peer = ?",
                arguments: [peer])
        }
    }

    /// The id of the newest message from `peer` that this user has read, the mark to tell `peer`.
    func newestReadMessage(from peer: String) async throws -> String? {
        try await read("finding the last message read from \(peer)") { db in
            try String.fetchOne(
                db.cachedStatement(sql: """
                    SELECT id FROM messages
                    WHERE conversation = ? AND sender = ? AND direction = 'incoming' AND is_read = 1
                    ORDER BY stored_at DESC, seq DESC LIMIT 1
                    """),
                arguments: [peer, peer])
        }
    }
}
