import ChatWire
import Foundation
import Locator
import Testing
import TestSupport

/// The shared presence log does not grow for ever, and a replica that cannot read what was
/// pruned loads who is online in full instead of missing it.
@Suite(
    "LocatorServer: pruning the presence log", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
struct LocatorPresenceLogTests {
    static let aliceKey = String(repeating: "a1", count: 32)
    static let aliceAt = PeerAddress(host: "127.0.0.1", port: 40100, fingerprint: aliceKey)

    /// How many changes the log holds now, or those of `user`.
    static func logLength(_ postgres: TestPostgres, of user: String? = nil) throws -> Int {
        let filter = user.map { " WHERE user_name = '\($0)'" } ?? ""
        return Int(try postgres.psql("SELECT count(*) FROM presence_change\(filter)")) ?? -1
    }

    /// Logs `user` in on `locator` and out again, `times` times: two changes each.
    static func churn(_ user: String, times: Int, on locator: TestLocator) async throws {
        for round in 0..<times {
            let client = try await ModernLocatorClient.connect(to: locator)
            _ = try await client.login(user, password: "pw")
            _ = try await client.request(.advertise(port: 41000 + round, fingerprint: aliceKey))
            _ = try await client.request(.logout)
            await client.close()
        }
    }

    @Test("changes every replica has read are pruned; a replica that starts after loads who is online from the presence table")
    func prunedAndLoaded() async throws {
        try await withTestPostgres { postgres in
            let directory = try TemporaryDirectory(prefix: "p2pchat-presence-log")
            defer { directory.remove() }
            let first = try await TestLocator.start(in: directory.url.appendingPathComponent("first")) { $0.postgres = postgres.settings() }
            var later: TestLocator?
            do {
                let alice = try await ModernLocatorClient.connect(to: first)
                _ = try await alice.login("alice", password: "pw")
                _ = try await alice.request(.advertise(port: 40100, fingerprint: Self.aliceKey))
                try await Self.churn("bob", times: 40, on: first)
                // 81 changes are appended (in the background, batched), whatever is pruned meanwhile.
                let appended = try await eventually(timeout: .seconds(10), every: .milliseconds(100)) {
                    (Int(try postgres.psql("SELECT last_value FROM presence_change_seq_seq")) ?? 0) >= 81
                }
                #expect(appended)
                // The sweep prunes what the one replica has read, keeping the newest change.
                let pruned = try await eventually(timeout: .seconds(20), every: .milliseconds(200)) {
                    try Self.logLength(postgres) <= 2
                }
                let length = try Self.logLength(postgres)
                #expect(pruned, "the log still holds \(length) changes")
                #expect(try Self.logLength(postgres, of: "alice") == 0)

                let second = try await TestLocator.start(in: directory.url.appendingPathComponent("second")) {
                    $0.postgres = postgres.settings()
                }
                later = second
                let watcher = try await ModernLocatorClient.connect(to: second)
                _ = try await watcher.login("carol", password: "pw")
                let loaded = try await eventually(timeout: .seconds(10), every: .milliseconds(50)) {
                    try await watcher.request(.query(user: "alice")) == .user("alice", Self.aliceAt)
                }
                #expect(loaded, "the new replica does not know alice is online")
                #expect(try await watcher.request(.query(user: "bob")) == .user("bob", nil))
                await watcher.close()
                await alice.close()
            } catch {
                await later?.stop()
                await first.stop()
                throw error
            }
            await later?.stop()
            await first.stop()
        }
    }

    @Test("a replica cut off from PostgreSQL longer than the log keeps comes back and tells its watchers of a login it missed")
    func awayLongerThanTheLog() async throws {
        try await withTestPostgres { postgres in
            // The replica that goes away logs in as a role of its own, which can be barred.
            try postgres.psql("CREATE ROLE away SUPERUSER LOGIN PASSWORD '\(TestPostgres.password)'")
            let directory = try TemporaryDirectory(prefix: "p2pchat-presence-away")
            defer { directory.remove() }
            let staying = try await TestLocator.start(in: directory.url.appendingPathComponent("staying")) {
                $0.postgres = postgres.settings()
            }
            var awaySettings = postgres.settings()
            awaySettings.user = "away"
            let away: TestLocator
            do {
                away = try await TestLocator.start(in: directory.url.appendingPathComponent("away")) { $0.postgres = awaySettings }
            } catch {
                await staying.stop()
                throw error
            }
            do {
                let watcher = try await ModernLocatorClient.connect(to: away)
                _ = try await watcher.login("carol", password: "pw")
                _ = try await watcher.request(.watch(users: ["alice"]))
                #expect(try await watcher.nextPush() == .presence("alice", nil))

                try postgres.psql("ALTER ROLE away NOLOGIN")
                try postgres.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'away'")
                let alice = try await ModernLocatorClient.connect(to: staying)
                _ = try await alice.login("alice", password: "pw")
                _ = try await alice.request(.advertise(port: 40100, fingerprint: Self.aliceKey))
                try await Self.churn("bob", times: 2, on: staying)
                // Once the away replica's lease has ended, nobody holds the log back: alice's change goes.
                let pruned = try await eventually(timeout: .seconds(40), every: .milliseconds(250)) {
                    try Self.logLength(postgres, of: "alice") == 0
                }
                #expect(pruned, "alice's change is still in the log")

                try postgres.psql("ALTER ROLE away LOGIN")
                #expect(try await watcher.nextPush(timeout: .seconds(15)) == .presence("alice", Self.aliceAt))
                await alice.close()
                await watcher.close()
            } catch {
                await away.stop()
                await staying.stop()
                throw error
            }
            await away.stop()
            await staying.stop()
        }
    }
}
