import ChatWire
import Foundation
import Locator
import Testing
import TestSupport

/// Locators whose accounts are in PostgreSQL: two over one database share them, the course
/// protocol stays byte for byte, and a database that goes away gives `ERR server`, not a hang.
@Suite(
    "LocatorServer: PostgreSQL store", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
struct LocatorServerPostgresTests {
    /// Runs `body` with `count` locators over one fresh PostgreSQL database.
    func withLocators(
        _ count: Int, _ body: (TestPostgres, [TestLocator]) async throws -> Void
    ) async throws {
        try await withTestPostgres { postgres in
            let directory = try TemporaryDirectory(prefix: "p2pchat-replicas")
            defer { directory.remove() }
            var locators: [TestLocator] = []
            do {
                for index in 0..<count {
                    let home = directory.url.appendingPathComponent("replica\(index)")
                    locators.append(try await TestLocator.start(in: home) { $0.postgres = postgres.settings() })
                }
                try await body(postgres, locators)
            } catch {
                for locator in locators { await locator.stop() }
                throw error
            }
            for locator in locators { await locator.stop() }
        }
    }

    @Test("an account registered on one locator logs in on the other; a wrong password is refused there")
    func sharedAccounts() async throws {
        try await withLocators(2) { _, locators in
            let onA = try await ModernLocatorClient.connect(to: locators[0])
            #expect(try await onA.login("alice", password: "correct horse") == .ok(verb: "LOGIN", details: ["alice", "registered"]))
            await onA.close()
            let onB = try await ModernLocatorClient.connect(to: locators[1])
            let refused = try await onB.login("alice", password: "hunter2")
            #expect(refused.error?.code == .auth)
            #expect(try await onB.login("alice", password: "correct horse") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            await onB.close()
        }
    }

    static let aliceKey = String(repeating: "a1", count: 32)
    static let bobKey = String(repeating: "b2", count: 32)

    @Test("a WATCH on one replica hears a login, an ADVERTISE and a LOGOUT on the other")
    func watchAcrossReplicas() async throws {
        try await withLocators(2) { _, locators in
            let watcher = try await ModernLocatorClient.connect(to: locators[0])
            _ = try await watcher.login("alice", password: "pw")
            #expect(try await watcher.request(.watch(users: ["bob"])) == .ok(verb: "WATCH", details: ["1"]))
            #expect(try await watcher.nextPush() == .presence("bob", nil))

            let bob = try await ModernLocatorClient.connect(to: locators[1])
            _ = try await bob.login("bob", password: "pw")
            #expect(try await bob.request(.advertise(port: 40200, fingerprint: Self.bobKey)) == .ok(verb: "ADVERTISE", details: []))
            let bobAt = PeerAddress(host: "127.0.0.1", port: 40200, fingerprint: Self.bobKey)
            #expect(try await watcher.nextPush() == .presence("bob", bobAt))
            #expect(try await watcher.request(.query(user: "bob")) == .user("bob", bobAt))

            #expect(try await bob.request(.logout) == .ok(verb: "LOGOUT", details: []))
            #expect(try await watcher.nextPush() == .presence("bob", nil))
            await bob.close()
            await watcher.close()
        }
    }

    @Test("a course login on one replica answers q<id> on the other, byte for byte; logout too")
    func courseAcrossReplicas() async throws {
        try await withLocators(2) { _, locators in
            let onA = try await LegacyCourseClient.connect(port: locators[0].port)
            defer { onA.close() }
            #expect(try await onA.request("2017011000_net2019") == "lol")
            // Seen on B once B has read the change: wait for that event, then compare bytes.
            let onB = try await LegacyCourseClient.connect(port: locators[1].port)
            defer { onB.close() }
            func askB() async throws -> [UInt8] {
                try await onB.send("q2017011000")
                return try #require(try await onB.receiveBytes())
            }
            let seen = try await eventually { try await askB() != Array("n".utf8) }
            #expect(seen)
            #expect(try await askB() == Array("127.0.0.1".utf8))
            #expect(try await onA.request("logout2017011000") == "loo")
            #expect(try await eventually { try await askB() == Array("n".utf8) })
        }
    }

    @Test("the newer login wins: a login and ADVERTISE on B tells the session on A 'BYE replaced'")
    func newerLoginReplaces() async throws {
        try await withLocators(2) { _, locators in
            let old = try await ModernLocatorClient.connect(to: locators[0])
            _ = try await old.login("alice", password: "pw")
            _ = try await old.request(.advertise(port: 40100, fingerprint: Self.aliceKey))
            let new = try await ModernLocatorClient.connect(to: locators[1])
            #expect(try await new.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            _ = try await new.request(.advertise(port: 40101, fingerprint: Self.aliceKey))
            #expect(try await old.nextPush() == .bye(reason: "replaced"))
            #expect(try await old.waitUntilClosed() == nil)
            // Everyone, on either replica, finds the new one.
            let asker = try await ModernLocatorClient.connect(to: locators[0])
            _ = try await asker.login("carol", password: "pw")
            #expect(try await asker.request(.query(user: "alice")) == .user("alice", PeerAddress(host: "127.0.0.1", port: 40101, fingerprint: Self.aliceKey)))
            await asker.close()
            await new.close()
        }
    }

    @Test("two replicas register one new name at once: one wins, the other gets ERR")
    func registrationRaceAcrossReplicas() async throws {
        try await withLocators(2) { _, locators in
            let onA = try await ModernLocatorClient.connect(to: locators[0])
            let onB = try await ModernLocatorClient.connect(to: locators[1])
            async let first = onA.login("dave", password: "first")
            async let second = onB.login("dave", password: "second")
            let replies = try await [first, second]
            #expect(replies.filter { $0 == .ok(verb: "LOGIN", details: ["dave", "registered"]) }.count == 1, "\(replies)")
            #expect(replies.filter { $0.error?.code == .auth }.count == 1, "\(replies)")
            await onA.close()
            await onB.close()
        }
    }

    @Test("after PostgreSQL restarts, the replicas listen again: a WATCH on A hears a login on B")
    func presenceAfterRestart() async throws {
        try await withLocators(2) { postgres, locators in
            let watcher = try await ModernLocatorClient.connect(to: locators[0])
            _ = try await watcher.login("alice", password: "pw")
            _ = try await watcher.request(.watch(users: ["bob"]))
            #expect(try await watcher.nextPush() == .presence("bob", nil))

            postgres.stopServer()
            try await postgres.startServer()
            let bob = try await ModernLocatorClient.connect(to: locators[1])
            // The first tries may meet the pool's dead connections: ERR server, and the client retries.
            let loggedIn = try await eventually(timeout: .seconds(15), every: .milliseconds(200)) {
                try await bob.login("bob", password: "pw").error == nil
            }
            #expect(loggedIn)
            _ = try await bob.request(.advertise(port: 40200, fingerprint: Self.bobKey))
            #expect(
                try await watcher.nextPush(timeout: .seconds(10))
                    == .presence("bob", PeerAddress(host: "127.0.0.1", port: 40200, fingerprint: Self.bobKey)))
            await bob.close()
            await watcher.close()
        }
    }

    @Test("the course protocol is byte for byte the same on a PostgreSQL-backed locator")
    func courseBytes() async throws {
        try await withLocators(1) { _, locators in
            let client = try await LegacyCourseClient.connect(port: locators[0].port)
            defer { client.close() }
            func exchange(_ request: String) async throws -> [UInt8] {
                try await client.send(request)
                return try #require(try await client.receiveBytes(), "closed after '\(request)'")
            }
            #expect(try await exchange("2017011000_net2019") == Array("lol".utf8))
            #expect(try await exchange("q2017011000") == Array("127.0.0.1".utf8))
            #expect(try await exchange("q2019011001") == Array("n".utf8))
            #expect(try await exchange("logout2017011000") == Array("loo".utf8))
        }
    }

    @Test("while PostgreSQL is down a login is answered 'ERR server'; once it is back, logins work again")
    func databaseRestart() async throws {
        try await withLocators(1) { postgres, locators in
            let registering = try await ModernLocatorClient.connect(to: locators[0])
            _ = try await registering.login("alice", password: "pw")
            await registering.close()

            postgres.stopServer()
            let during = try await ModernLocatorClient.connect(to: locators[0])
            let refused = try await during.request(.login(user: "alice", password: "pw"), timeout: .seconds(15))
            #expect(refused.error?.code == .server)
            await during.close()

            try await postgres.startServer()
            let after = try await ModernLocatorClient.connect(to: locators[0])
            #expect(try await after.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            await after.close()
        }
    }
}

extension LocatorReply {
    /// The error, when this is an `ERR` line.
    var error: LocatorError? {
        if case .error(let error) = self { return error }
        return nil
    }
}
