import ChatIdentity
import Foundation
import GRDB

/// The accounts in one SQLite file (WAL): the locator's default store.
public final class SQLiteLocatorStore: LocatorStore {
    public let location: String
    private let database: DatabasePool

    /// Opens (or creates, with missing parent directories) the file at `path` and brings its
    /// tables up to date.
    public init(path: String) throws {
        location = path
        try DataDirectory.prepare(URL(fileURLWithPath: path).deletingLastPathComponent())
        do {
            // Another process on the same file (a second locator, sqlite3 making a backup) makes a
            // write wait its turn instead of failing at once with "database is locked".
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            database = try DatabasePool(path: path, configuration: configuration)
            // An account that was answered "registered" must survive a power cut. Set on the pool's
            // one writer connection: GRDB sets NORMAL after `prepareDatabase` when it enables WAL.
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(database)
        } catch {
            throw AccountStore.Error.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// Add-only: a migration that has shipped is never edited; a change is a new one, appended.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("accounts") { db in
            try db.create(table: "account") { table in
                table.primaryKey("name", .text)
                table.column("passwordHash", .text).notNull()
                table.column("createdAt", .datetime).notNull()
                table.column("lastLoginAt", .datetime)
            }
        }
        // Resumption tokens, as digests; expiry in seconds since 1970.
        migrator.registerMigration("resume tokens") { db in
            try db.create(table: "resumeToken") { table in
                table.primaryKey("digest", .text)
                table.column("user", .text).notNull().indexed()
                table.column("expiresAt", .double).notNull()
            }
        }
        return migrator
    }

    public func passwordHash(of user: String) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM account WHERE name = ?", arguments: [user])
        }
    }

    public func noteLogin(of user: String) async throws {
        try await database.write { db in
            try db.execute(sql: "UPDATE account SET lastLoginAt = ? WHERE name = ?", arguments: [Date(), user])
        }
    }

    public func insertAccount(_ user: String, passwordHash: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO account (name, passwordHash, createdAt, lastLoginAt) VALUES (?, ?, ?, ?)",
                arguments: [user, passwordHash, Date(), Date()])
            return db.changesCount > 0
        }
    }

    public func accountCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") ?? 0 }
    }

    public func saveResumeToken(_ digest: String, of user: String, lifetime: Duration, kept: Int) async throws {
        let now = Date().timeIntervalSince1970
        let expiresAt = now + Double(lifetime.components.seconds) + Double(lifetime.components.attoseconds) / 1e18
        try await database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM resumeToken WHERE user = ? AND (expiresAt <= ? OR digest NOT IN (
                        SELECT digest FROM resumeToken WHERE user = ? ORDER BY expiresAt DESC LIMIT ?))
                    """, arguments: [user, now, user, max(0, kept - 1)])
            try db.execute(
                sql: "INSERT OR REPLACE INTO resumeToken (digest, user, expiresAt) VALUES (?, ?, ?)",
                arguments: [digest, user, expiresAt])
        }
    }

    public func spendResumeToken(_ digest: String, of user: String) async throws -> Bool {
        let now = Date().timeIntervalSince1970
        return try await database.write { db in
            try db.execute(
                sql: "DELETE FROM resumeToken WHERE digest = ? AND user = ? AND expiresAt > ?", arguments: [digest, user, now])
            return db.changesCount > 0
        }
    }

    public func revokeResumeTokens(of user: String) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM resumeToken WHERE user = ?", arguments: [user])
        }
    }

    /// Moves every committed account from the write-ahead log into the database file and closes
    /// it, so that the file alone is a complete copy once the locator has stopped.
    public func close() async throws {
        try await database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try database.close()
    }
}
