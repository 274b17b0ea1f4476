import Foundation

extension ChatStore {
    /// What can go wrong with the local store, each with a description that
    /// tells the user what was wrong and what to do.
    public enum Error: Swift.Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
        /// The file exists but is not an SQLite database. It was not modified.
        case notADatabase(path: String)
        /// SQLite could not open or create the file (missing directory, permissions, …).
        case cannotOpen(path: String, reason: String)
        /// SQLite reports the file as damaged. Nothing more is written into it.
        case damaged(path: String, detail: String)
        /// The file was migrated by a newer p2pchat; opening it with this one could corrupt it.
        case newerSchema(path: String, unknownMigrations: [String])
        /// A fingerprint that is not 64 hexadecimal digits.
        case invalidFingerprint(String)
        /// A message that cannot be stored as asked (e.g. an outgoing message passed as incoming).
        case invalidMessage(id: String, reason: String)
        /// An outgoing message whose id is already stored.
        case duplicateMessage(id: String)
        /// The disk (or the file system of the data directory) is full: nothing was written.
        case diskFull(operation: String)
        /// Any other SQLite failure, with the operation that was running.
        case database(operation: String, reason: String)

        public var description: String {
            switch self {
            case .notADatabase(let path):
                "\(path) is not a p2pchat database (SQLite: file is not a database); "
                    + "the file was left untouched: move it aside or use another --data-dir"
            case .damaged(let path, let detail):
                "the chat database \(path) is damaged (SQLite: \(detail.prefix(200))); nothing was written to it. "
                    + "Quit p2pchat, keep a copy, then salvage what is readable with \(Self.salvageCommand(path)) "
                    + "(Debian: apt-get install sqlite3) and put recovered.sqlite in its place, or move it aside to start afresh"
            case .cannotOpen(let path, let reason):
                "cannot open the chat database \(path): \(reason)"
            case .newerSchema(let path, let unknownMigrations):
                "the chat database \(path) was written by a newer p2pchat "
                    + "(unknown migrations: \(unknownMigrations.joined(separator: ", "))); upgrade p2pchat to open it"
            case .invalidFingerprint(let value):
                "invalid fingerprint \"\(value.prefix(80))\": expected 64 hexadecimal digits (a SHA-256)"
            case .invalidMessage(let id, let reason):
                "cannot store message \(id.prefix(80)): \(reason)"
            case .duplicateMessage(let id):
                "a message with id \(id.prefix(80)) is already stored"
            case .diskFull(let operation):
                "the disk is full: could not finish \(operation); free some space and it goes on"
            case .database(let operation, let reason):
                "chat database error while \(operation): \(reason)"
            }
        }

        public var errorDescription: String? { description }

        /// A shell command that copies what SQLite can still read of a damaged database at `path`
        /// into `recovered.sqlite`. Not `.recover`: Debian 12's sqlite3 (3.40) fails on our
        /// full-text index with "SQL logic error" and writes nothing. `.dump` reads past damaged
        /// pages but ends with a ROLLBACK, which would throw away all it read; it becomes a COMMIT.
        /// Then the search index, which lists messages that are lost, is rebuilt (by a second
        /// sqlite3: the dump creates it by writing the schema, which only a new connection reads).
        static func salvageCommand(_ path: String) -> String {
            "`sqlite3 '\(path)' .dump | sed '$s/^ROLLBACK.*/COMMIT;/' | sqlite3 recovered.sqlite && "
                + "sqlite3 recovered.sqlite \"INSERT INTO messages_fts(messages_fts) VALUES('rebuild')\"`"
        }
    }
}
