import Foundation
import GRDB

extension ChatStore {
    static func registerTransfers(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("transfers") { db in
            // Unfinished transfers survive restarts of either side: the sender keeps the file's
            // size and modification time, so a file changed since the offer is never resumed.
            try db.execute(sql: """
                CREATE TABLE transfers (
                    number INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL,
                    peer TEXT NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
                    name TEXT NOT NULL,
                    size INTEGER NOT NULL CHECK (size >= 0),
                    state TEXT NOT NULL CHECK (state IN
                        ('offered', 'waiting', 'sending', 'receiving', 'paused', 'done', 'declined', 'cancelled', 'failed')),
                    bytes INTEGER NOT NULL DEFAULT 0,
                    path TEXT,
                    source_mtime INTEGER,
                    sha256 TEXT,
                    reason TEXT,
                    created_at INTEGER NOT NULL,
                    UNIQUE (peer, direction, id)
                );
                CREATE INDEX transfers_by_state ON transfers (state);
                """)
        }
        migrator.registerMigration("transferOutcomesToTell") { db in
            // How a transfer ended, when the peer could not be told then (it was offline): it is
            // told when it is next connected, so that its side does not wait forever.
            try db.execute(sql: "ALTER TABLE transfers ADD COLUMN outcome_untold INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("transferRestarts") { db in
            // An incoming transfer whose resumed bytes failed the hash starts again from zero once;
            // this says it did, also across restarts, so a second failure stays a failure.
            try db.execute(sql: "ALTER TABLE transfers ADD COLUMN restarted INTEGER NOT NULL DEFAULT 0")
        }
    }

    /// Stores a new transfer and returns it with its number.
    func insertTransfer(_ transfer: FileTransfer, sourceModified: Int64? = nil) async throws -> FileTransfer {
        try await write("storing the transfer of \(transfer.name)") { db in
            try db.execute(
                sql: """
                    INSERT INTO transfers (id, peer, direction, name, size, state, bytes, path, source_mtime, sha256, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    transfer.id, transfer.peer, transfer.direction.rawValue, transfer.name, transfer.size,
                    transfer.state.rawValue, transfer.bytes, transfer.path, sourceModified, transfer.sha256,
                    transfer.createdAt.unixMilliseconds,
                ])
            var stored = transfer
            stored.number = Int(db.lastInsertedRowID)
            return stored
        }
    }

    func transfer(number: Int) async throws -> FileTransfer? {
        try await read("reading transfer \(number)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM transfers WHERE number = ?", arguments: [number]).map(Self.transfer)
        }
    }

    func transfer(id: String, peer: String, direction: FileTransfer.Direction) async throws -> FileTransfer? {
        try await read("reading a transfer with \(peer)") { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM transfers WHERE id = ? AND peer = ? AND direction = ?",
                arguments: [id, peer, direction.rawValue]
            ).map(Self.transfer)
        }
    }

    /// Every transfer, newest first.
    func transfers(limit: Int = 1000) async throws -> [FileTransfer] {
        try await read("listing transfers") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM transfers ORDER BY number DESC LIMIT ?", arguments: [limit]).map(Self.transfer)
        }
    }

    /// Transfers that are not finished, oldest first.
    func unfinishedTransfers() async throws -> [FileTransfer] {
        try await read("listing unfinished transfers") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM transfers WHERE state IN ('offered', 'waiting', 'sending', 'receiving', 'paused') ORDER BY number"
            ).map(Self.transfer)
        }
    }

    /// The modification time (nanoseconds) the sender recorded when it offered the file.
    func sourceModified(number: Int) async throws -> Int64? {
        try await read("reading transfer \(number)") { db in
            try Int64.fetchOne(db, sql: "SELECT source_mtime FROM transfers WHERE number = ?", arguments: [number])
        }
    }

    /// Moves a transfer to `state` unless it is already finished; returns the transfer as it is now,
    /// and whether this call changed it.
    @discardableResult
    func updateTransfer(
        _ number: Int, state: FileTransfer.State, bytes: Int64? = nil, path: String? = nil, sha256: String? = nil,
        reason: String? = nil
    ) async throws -> (FileTransfer, changed: Bool)? {
        try await write("updating transfer \(number)") { db in
            try db.execute(
                sql: """
                    UPDATE transfers SET state = ?, bytes = COALESCE(?, bytes), path = COALESCE(?, path),
                        sha256 = COALESCE(?, sha256), reason = COALESCE(?, reason)
                    WHERE number = ? AND state NOT IN ('done', 'declined', 'cancelled', 'failed')
                    """,
                arguments: [state.rawValue, bytes, path, sha256, reason, number])
            let changed = db.changesCount > 0
            return try Row.fetchOne(db, sql: "SELECT * FROM transfers WHERE number = ?", arguments: [number])
                .map { (Self.transfer($0), changed) }
        }
    }

    /// Marks the transfer as started again from zero; false when it was already.
    func markRestarted(number: Int) async throws -> Bool {
        try await write("updating transfer \(number)") { db in
            try db.execute(sql: "UPDATE transfers SET restarted = 1 WHERE number = ? AND restarted = 0", arguments: [number])
            return db.changesCount > 0
        }
    }

    /// Marks whether the peer still has to be told how a finished transfer ended.
    func setOutcomeUntold(_ untold: Bool, number: Int) async throws {
        try await write("updating transfer \(number)") { db in
            try db.execute(sql: "UPDATE transfers SET outcome_untold = ? WHERE number = ?", arguments: [untold, number])
        }
    }

    /// Finished transfers whose peer has not been told how they ended, oldest first.
    func transfersWithUntoldOutcome() async throws -> [FileTransfer] {
        try await read("listing transfers to tell") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM transfers WHERE outcome_untold = 1 ORDER BY number").map(Self.transfer)
        }
    }

    /// Records the file's hash once the sender has read it all (a resume then needs no second pass).
    func recordSHA256(_ sha256: String, number: Int) async throws {
        try await write("updating transfer \(number)") { db in
            try db.execute(sql: "UPDATE transfers SET sha256 = ? WHERE number = ?", arguments: [sha256, number])
        }
    }

    /// Paths of incoming files in progress, so that two transfers never write the same one.
    func incomingPathsInUse() async throws -> Set<String> {
        try await read("listing incoming transfers") { db in
            Set(try String.fetchAll(
                db, sql: """
                    SELECT path FROM transfers WHERE direction = 'incoming' AND path IS NOT NULL
                    AND state IN ('receiving', 'paused')
                    """))
        }
    }

    private static func transfer(_ row: Row) -> FileTransfer {
        FileTransfer(
            number: row["number"], id: row["id"], peer: row["peer"],
            direction: FileTransfer.Direction(rawValue: row["direction"]) ?? .incoming, name: row["name"],
            size: row["size"], state: FileTransfer.State(rawValue: row["state"]) ?? .failed, bytes: row["bytes"],
            path: row["path"], sha256: row["sha256"], reason: row["reason"],
            createdAt: Date(unixMilliseconds: row["created_at"]))
    }
}
