import Foundation
import Locator
import Testing

/// What every `LocatorStore` must do, seen through `AccountStore` as the locator uses it. The
/// SQLite and PostgreSQL suites run these same checks, each on its own kind of store.
///
/// `open` opens a store over the same data each time it is called: a second call is the locator
/// restarted, or a second replica.
enum LocatorStoreContract {
    typealias Open = @Sendable () async throws -> any LocatorStore
    static let hasher = PasswordHasher(costExponent: 10)

    static func loginAndRegistration(_ open: Open) async throws {
        let store = AccountStore(store: try await open(), hasher: hasher)
        #expect(try await store.login(user: "alice", password: "pw", mayRegister: true) == .registered)
        #expect(try await store.login(user: "alice", password: "pw", mayRegister: true) == .welcome)
        #expect(try await store.login(user: "alice", password: "pw", mayRegister: false) == .welcome)
        await #expect(throws: AccountStore.Error.wrongPassword) {
            try await store.login(user: "alice", password: "PW", mayRegister: true)
        }
        #expect(try await store.accountCount() == 1)
        let hash = try #require(try await store.storedHash(of: "alice"))
        #expect(!hash.contains("pw"))
        try await store.close()
    }

    static func registrationClosedStoresNothing(_ open: Open) async throws {
        let store = AccountStore(store: try await open(), hasher: hasher)
        await #expect(throws: AccountStore.Error.registrationClosed("bob")) {
            try await store.login(user: "bob", password: "pw", mayRegister: false)
        }
        #expect(try await store.accountCount() == 0)
        #expect(try await store.storedHash(of: "bob") == nil)
        try await store.close()
    }

    static func survivesReopening(_ open: Open) async throws {
        let first = AccountStore(store: try await open(), hasher: hasher)
        #expect(try await first.login(user: "alice", password: "pw", mayRegister: true) == .registered)
        try await first.close()
        let reopened = AccountStore(store: try await open(), hasher: hasher)
        #expect(try await reopened.login(user: "alice", password: "pw", mayRegister: false) == .welcome)
        await #expect(throws: AccountStore.Error.wrongPassword) {
            try await reopened.login(user: "alice", password: "other", mayRegister: false)
        }
        #expect(try await reopened.accountCount() == 1)
        try await reopened.close()
    }

    /// Two stores over the same data (two replicas) register one new name at once with different
    /// passwords: exactly one registers it, and the other is refused, by the unique name.
    static func racingRegistrationsOnTwoStores(_ open: Open) async throws {
        let one = AccountStore(store: try await open(), hasher: hasher)
        let other = AccountStore(store: try await open(), hasher: hasher)
        async let first = Result { try await one.login(user: "carol", password: "first", mayRegister: true) }
        async let second = Result { try await other.login(user: "carol", password: "second", mayRegister: true) }
        let outcomes = await [first, second]
        let registered = outcomes.filter { (try? $0.get()) == .registered }.count
        let refused = outcomes.filter {
            if case .failure(let error) = $0 { return error as? AccountStore.Error == .wrongPassword }
            return false
        }.count
        #expect(registered == 1, "\(outcomes)")
        #expect(refused == 1, "\(outcomes)")
        #expect(try await one.accountCount() == 1)
        try await one.close()
        try await other.close()
    }

    /// Resumption tokens (as digests): spent once and only by their user, expired ones and
    /// revoked ones refused, at most `kept` per user; a second store over the same data (another
    /// replica) spends a token the first one kept.
    static func resumeTokens(_ open: Open) async throws {
        let accounts = AccountStore(store: try await open(), hasher: hasher)
        _ = try await accounts.login(user: "alice", password: "pw", mayRegister: true)
        _ = try await accounts.login(user: "bob", password: "pw", mayRegister: true)
        let store = accounts.store
        let replica = try await open()
        try await store.saveResumeToken("d1", of: "alice", lifetime: .seconds(60), kept: 8)
        #expect(try await !replica.spendResumeToken("d1", of: "bob"), "another user's token")
        #expect(try await !replica.spendResumeToken("d0", of: "alice"), "a token never issued")
        #expect(try await replica.spendResumeToken("d1", of: "alice"))
        #expect(try await !store.spendResumeToken("d1", of: "alice"), "a token spent already")

        try await store.saveResumeToken("expired", of: "alice", lifetime: .zero, kept: 8)
        #expect(try await !replica.spendResumeToken("expired", of: "alice"))

        try await store.saveResumeToken("d2", of: "alice", lifetime: .seconds(60), kept: 8)
        try await store.saveResumeToken("d3", of: "bob", lifetime: .seconds(60), kept: 8)
        try await replica.revokeResumeTokens(of: "alice")
        #expect(try await !store.spendResumeToken("d2", of: "alice"), "revoked at logout")
        #expect(try await store.spendResumeToken("d3", of: "bob"), "another user's logout revokes nothing of bob's")

        for index in 1...3 { try await store.saveResumeToken("k\(index)", of: "alice", lifetime: .seconds(60 + index), kept: 2) }
        #expect(try await !store.spendResumeToken("k1", of: "alice"), "only the newest 2 are kept")
        #expect(try await store.spendResumeToken("k2", of: "alice"))
        #expect(try await store.spendResumeToken("k3", of: "alice"))
        try await replica.close()
        try await accounts.close()
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
