import ChatIdentity
import Foundation
import NIOCore

/// The locator's accounts: logins and registrations checked against scrypt hashes kept in a
/// `LocatorStore` (SQLite or PostgreSQL). Only the hashes are stored.
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

    /// Where the accounts are: a SQLite file or a PostgreSQL database.
    public let store: any LocatorStore
    private let hasher: PasswordHasher
    private let work: PasswordWork

    /// `hashingWorkers` passwords are hashed at once at most (default: one per core), and at most
    /// `hashingQueuePerAddress` registrations from one address wait for their turn.
    public init(
        store: any LocatorStore, hasher: PasswordHasher, hashingWorkers: Int = System.coreCount,
        hashingQueuePerAddress: Int = 64
    ) {
        self.store = store
        self.hasher = hasher
        self.work = PasswordWork(workers: hashingWorkers, maxWaitingPerAddress: hashingQueuePerAddress)
    }

    /// The accounts in the SQLite file at `path`.
    public convenience init(
        path: String, hasher: PasswordHasher, hashingWorkers: Int = System.coreCount, hashingQueuePerAddress: Int = 64
    ) throws {
        self.init(
            store: try SQLiteLocatorStore(path: path), hasher: hasher, hashingWorkers: hashingWorkers,
            hashingQueuePerAddress: hashingQueuePerAddress)
    }

    /// Finishes writing and closes the store; a SQLite file is then a complete copy by itself.
    public func close() async throws {
        try await store.close()
    }

    /// Logs `user` in, registering the name on its first use when `mayRegister` allows it and
    /// `admitRegistration` (asked only then: the registration rates) agrees. The password is
    /// hashed on the shared workers, in `host`'s turn (see `PasswordWork`).
    public func login(
        user: String, password: String, mayRegister: Bool, from host: String = "",
        admitRegistration: @Sendable () -> Admission = { .admitted }
    ) async throws -> LoginOutcome {
        let stored = try await store.passwordHash(of: user)
        if let stored {
            let hasher = hasher
            let matches = try await hashing(.login, for: host) { hasher.verify(password, against: stored) }
            guard matches else { throw Error.wrongPassword }
            try await store.noteLogin(of: user)
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
        // Two first logins of the same name can race; the unique name lets only one of them register.
        if try await store.insertAccount(user, passwordHash: hash) { return .registered }
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
        try await store.accountCount()
    }

    /// The stored hash, for tests that check no clear password is kept.
    public func storedHash(of user: String) async throws -> String? {
        try await store.passwordHash(of: user)
    }
}
