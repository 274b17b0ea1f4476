import ChatIdentity
import Foundation
import GRDB
import NIOCore

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
        /// The service-wide budget of new accounts is spent for now.
        case registrationBudgetSpent
        /// Too many passwords wait to be checked (from this address, or in all).
        case hashingBusy
        case cannotOpen(path: String, reason: String)

        public var description: String {
            switch self {
            case .wrongPassword: "wrong password"
            case .registrationClosed(let user): "registration is closed and '\(user)' is not on the roster"
            case .tooManyRegistrations: "too many new accounts from this address"
            case .registrationBudgetSpent: "too many new accounts in all"
            case .hashingBusy: "too many logins waiting"
            case .cannotOpen(let path, let reason): "cannot open account database \(path): \(reason)"
            }
        }
    }

    /// What a registration is checked against before its password is hashed.
    public enum Admission: Sendable {
        case admitted
        /// Over this address's rate.
        case tooManyFromAddress
        /// Over the service-wide budget.
        case budgetSpent
    }

    private let database: DatabasePool
    private let hasher: PasswordHasher
    private let work: PasswordWork

    /// `hashingWorkers` passwords are hashed at once at most (default: one per core), and at most
    /// `hashingQueuePerAddress` from one address wait for their turn.
    public init(
        path: String, hasher: PasswordHasher, hashingWorkers: Int = System.coreCount, hashingQueuePerAddress: Int = 64
    ) throws {
        self.hasher = hasher
        self.work = PasswordWork(workers: hashingWorkers, maxWaitingPerAddress: hashingQueuePerAddress)
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
    /// `admitRegistration` (asked only then: the registration rates) agrees. The password is
    /// hashed on the shared workers, in `host`'s turn (see `PasswordWork`).
    public func login(
        user: String, password: String, mayRegister: Bool, from host: String = "",
        admitRegistration: @Sendable () -> Admission = { .admitted }
    ) async throws -> LoginOutcome {
        let stored = try await database.read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM account WHERE name = ?", arguments: [user])
        }
        if let stored {
            let hasher = hasher
            let matches = try await hashing(.login, for: host) { hasher.verify(password, against: stored) }
            guard matches else { throw Error.wrongPassword }
            try await database.write { db in
                try db.execute(sql: "UPDATE account SET lastLoginAt = ? WHERE name = ?", arguments: [Date(), user])
            }
            return .welcome
        }
        guard mayRegister else { throw Error.registrationClosed(user) }
        switch admitRegistration() {
        case .admitted: break
        case .tooManyFromAddress: throw Error.tooManyRegistrations
        case .budgetSpent: throw Error.registrationBudgetSpent
        }
        let hasher = hasher
        let hash = try await hashing(.registration, for: host) { try hasher.hash(password) }
        // Two first logins of the same name can race; the primary key lets only one of them register.
        let inserted = try await database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO account (name, passwordHash, createdAt, lastLoginAt) VALUES (?, ?, ?, ?)",
                arguments: [user, hash, Date(), Date()])
            return db.changesCount > 0
        }
        if inserted { return .registered }
        return try await login(user: user, password: password, mayRegister: false, from: host)
    }

    private func hashing<Value: Sendable>(
        _ lane: PasswordWork.Lane, for host: String, _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        do {
            return try await work.run(lane, for: host, body)
        } catch is PasswordWork.Busy {
            throw Error.hashingBusy
        }
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
