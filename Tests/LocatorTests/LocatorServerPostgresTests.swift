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
