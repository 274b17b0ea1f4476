import Foundation
import Locator
import Testing
import TestSupport

@Suite("AccountStore")
struct AccountStoreTests {
    let hasher = PasswordHasher(costExponent: 10)

    @Test("first login registers, later ones are welcomed, a wrong password is refused")
    func login() async throws {
        try await withTemporaryDirectory { directory in
            let store = try AccountStore(path: directory.appendingPathComponent("a.sqlite").path, hasher: hasher)
            #expect(try await store.login(user: "alice", password: "pw", mayRegister: true) == .registered)
            #expect(try await store.login(user: "alice", password: "pw", mayRegister: true) == .welcome)
            #expect(try await store.login(user: "alice", password: "pw", mayRegister: false) == .welcome)
            await #expect(throws: AccountStore.Error.wrongPassword) {
                try await store.login(user: "alice", password: "PW", mayRegister: true)
            }
            #expect(try await store.accountCount() == 1)
        }
    }

    @Test("without permission to register, a new name is refused and nothing is stored")
    func registrationClosed() async throws {
        try await withTemporaryDirectory { directory in
            let store = try AccountStore(path: directory.appendingPathComponent("a.sqlite").path, hasher: hasher)
            await #expect(throws: AccountStore.Error.registrationClosed("bob")) {
                try await store.login(user: "bob", password: "pw", mayRegister: false)
            }
            #expect(try await store.accountCount() == 0)
            #expect(try await store.storedHash(of: "bob") == nil)
        }
    }

    @Test("accounts survive reopening the file; creates missing parent directories")
    func persistence() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nested/dir/a.sqlite").path
            do {
                let store = try AccountStore(path: path, hasher: hasher)
                _ = try await store.login(user: "alice", password: "pw", mayRegister: true)
            }
            let reopened = try AccountStore(path: path, hasher: hasher)
            #expect(try await reopened.login(user: "alice", password: "pw", mayRegister: false) == .welcome)
            await #expect(throws: AccountStore.Error.wrongPassword) {
                try await reopened.login(user: "alice", password: "other", mayRegister: false)
            }
        }
    }

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
