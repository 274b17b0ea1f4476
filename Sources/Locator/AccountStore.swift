import ChatIdentity
import Foundation
import GRDB

/// The locator's accounts, in one SQLite file (WAL). Only scrypt hashes are stored.
public final class AccountStore: Sendable {
    public enum LoginOutcome: String, Sendable {
        case registered
        case welcome
    }

    public enum Error: Swift.Error, CustomStringConvertible, Equatable {
        case wrongPassword
        case registrationClosed(String)
        case tooManyRegistrations
        case cannotOpen(path: String, reason: String)

        public var description: String {
            switch self {
            case .wrongPassword: "wrong password"
            case .registrationClosed(let user): "registration is closed and '\(user)' is not on the roster"
            case .tooManyRegistrations: "too many new accounts from this address"
            case .cannotOpen(let path, let reason): "cannot open account database \(path): \(reason)"
            }
        }
    }

    private let database: DatabasePool
    private let hasher: PasswordHasher

    public init(path: String, hasher: PasswordHasher) throws {
        self.hasher = hasher
        try DataDirectory.prepare(URL(fileURLWithPath: path).deletingLastPathComponent())
        do {
            database = try DatabasePool(path: path)
            // An account that was answered "registered" must survive a power cut. Set on the pool's
            // one writer connection: GRDB sets NORMAL after `prepareDatabase` when it enables WAL.
            try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            try Self.migrator.migrate(database)
        } catch {
            throw Error.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// Moves every committed account from the write-ahead log into the database file and closes
    /// it, so that the file alone is a complete copy once the locator has stopped.
    public func close() throws {
        try database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        try database.close()
    }

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
        return migrator
    }

    /// Logs `user` in, registering the name on its first use when `mayRegister` allows it and
    /// `admitRegistration` (asked only then: the registration rate) agrees.
    public func login(
        user: String, password: String, mayRegister: Bool, admitRegistration: @Sendable () -> Bool = { true }
    ) async throws -> LoginOutcome {
        let stored = try await database.read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM account WHERE name = ?", arguments: [user])
        }
        if let stored {
            guard hasher.verify(password, against: stored) else { throw Error.wrongPassword }
            try await database.write { db in
                try db.execute(sql: "UPDATE account SET lastLoginAt = ? WHERE name = ?", arguments: [Date(), user])
            }
            return .welcome
        }
        guard mayRegister else { throw Error.registrationClosed(user) }
        guard admitRegistration() else { throw Error.tooManyRegistrations }
        let hash = try hasher.hash(password)
        // Two first logins of the same name can race; the primary key lets only one of them register.
        let inserted = try await database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO account (name, passwordHash, createdAt, lastLoginAt) VALUES (?, ?, ?, ?)",
                arguments: [user, hash, Date(), Date()])
            return db.changesCount > 0
        }
        if inserted { return .registered }
        return try await login(user: user, password: password, mayRegister: false)
    }

    public func accountCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") ?? 0 }
    }

    /// The stored hash, for tests that check no clear password is kept.
    public func storedHash(of user: String) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM account WHERE name = ?", arguments: [user])
        }
    }
}
