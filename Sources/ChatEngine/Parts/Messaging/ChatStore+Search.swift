import Foundation
import GRDB

extension ChatStore {
    /// Messages containing every word of `text` (as a word or the start of
    /// one; case and accents ignored), newest `limit` matches, oldest first
    /// like ``history(with:limit:before:)``.
    ///
    /// Any text is accepted: operators and punctuation are treated as plain
    /// words or separators, and text without a word returns [].
    public func search(_ text: String, limit: Int = 50) async throws -> [StoredMessage] {
        guard limit > 0, let match = FullTextQuery(text).matchExpression else { return [] }
        return try await read("searching messages") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT \(StoredMessage.selection) FROM messages_fts
                    JOIN messages ON messages.seq = messages_fts.rowid
                    \(StoredMessage.repliedJoin)
                    WHERE messages_fts MATCH ?
                    ORDER BY messages.stored_at DESC, messages.seq DESC
                    LIMIT ?
                    """,
                arguments: [match, limit]
            ).map(StoredMessage.init(row:)).reversed()
        }
    }
}
