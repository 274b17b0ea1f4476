import Foundation
import GRDB

extension OutboxEntry {
    /// Decodes `SELECT message_id, peer, payload, attempts, created_at, last_attempt_at FROM outbox`.
    init(row: Row) throws {
        self.init(
            messageId: try row.decode(String.self, forColumn: "message_id"),
            peer: try row.decode(String.self, forColumn: "peer"),
            payload: try row.decode(Data.self, forColumn: "payload"),
            attempts: try row.decode(Int.self, forColumn: "attempts"),
            createdAt: Date(unixMilliseconds: try row.decode(Int64.self, forColumn: "created_at")),
            lastAttemptAt: try row.decode(Int64?.self, forColumn: "last_attempt_at").map(Date.init(unixMilliseconds:))
        )
    }
}
