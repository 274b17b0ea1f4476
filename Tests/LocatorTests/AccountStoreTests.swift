import Foundation
import Locator
import Testing
import TestSupport

/// Two logins of one new name on one `AccountStore`, and a damaged SQLite file. What every store
/// must do is `LocatorStoreContract`, which each store's suite runs.
@Suite("AccountStore")
struct AccountStoreTests {
    let hasher = PasswordHasher(costExponent: 10)

    @Test("two first logins of one name at once: one registers, the other is checked against it")
    func registrationRace() async throws {
        try await withTemporaryDirectory { directory in
            let store = try AccountStore(path: directory.appendingPathComponent("a.sqlite").path, hasher: hasher)
            async let first = store.login(user: "alice", password: "pw", mayRegister: true)
            async let second = store.login(user: "alice", password: "pw", mayRegister: true)
            let outcomes = try await [first, second]
            #expect(outcomes.filter { $0 == .registered }.count == 1)
            #expect(outcomes.filter { $0 == .welcome }.count == 1)
            #expect(try await store.accountCount() == 1)
        }
    }

    @Test("a file that is not a database is a clear error naming the path")
    func cannotOpen() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("not-a-database").path
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
            do {
                _ = try AccountStore(path: path, hasher: hasher)
                Issue.record("opened a file of 'A's as an account database")
            } catch let error as AccountStore.Error {
                #expect(error.description.contains(path))
            }
        }
    }
}
