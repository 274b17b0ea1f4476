import ChatIdentity
import ChatWire
import Foundation
@testable import Locator
import Testing
import TestSupport

/// Leases are the database's business: PostgreSQL runs here with its wall clock an hour ahead of
/// the replicas', or an hour behind (libfaketime on the server; the replicas keep the machine's
/// clock). A lease written or judged by a replica's clock would be an hour off the database's:
/// the users would vanish at the first sweep, or a dead replica's users would stay online an hour.
@Suite(
    "p2pchat locator replicas: leases by the database's clock", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.clockShiftUnavailableReason == nil, "\(TestPostgres.clockShiftUnavailableReason ?? "")"))
struct LocatorReplicaClockTests {
    static let aliceKey = LocatorReplicaFaultTests.aliceKey
    static let bobKey = String(repeating: "b2", count: 32)
    static let aliceAt = PeerAddress(host: "127.0.0.1", port: 40100, fingerprint: aliceKey)
    static let bobAt = PeerAddress(host: "127.0.0.1", port: 40200, fingerprint: bobKey)

    @Test(
        "the database's clock an hour off the replicas': users on each replica stay online past two leases, and a replica killed with -9 loses its users one lease after its last heartbeat, by the database's clock",
        arguments: ["+1h", "-1h"])
    func leasesFollowTheDatabaseClock(shift: String) async throws {
        try await withTestPostgres(clockShift: shift) { postgres in
            // The premise: the database's clock is an hour off this process's, which the replicas share.
            let ahead = try postgres.clockAhead()
            let expected: Double = shift.hasPrefix("-") ? -3600 : 3600
            try #require(abs(ahead - expected) < 60, "the database's clock is \(ahead) s ahead of ours, not \(expected)")
            let lease = Double(PostgresPresenceLog.leaseSeconds)

            try await LocatorReplicaFaultTests.withTwoReplicas(postgres) { doomed, survivor in
                // carol on the survivor watches alice on the doomed replica; dave there watches bob here.
                let carol = try await LocatorReplicaFaultTests.watcher(
                    "carol", of: "alice", port: survivor.port, pin: .expect(survivor.fingerprint))
                let dave = try await LocatorReplicaFaultTests.watcher("dave", of: "bob", port: doomed.port)

                let alice = try await LocatorReplicaFaultTests.advertising("alice", port: doomed.port, at: 40100)
                #expect(try await carol.nextPush() == .presence("alice", Self.aliceAt))
                let bob = try await ModernLocatorClient.connect(to: survivor)
                _ = try await bob.login("bob", password: "pw")
                _ = try await bob.request(.advertise(port: 40200, fingerprint: Self.bobKey))
                #expect(try await dave.nextPush() == .presence("bob", Self.bobAt))

                // Two leases on, by the database's clock, with both replicas' heartbeats renewed
                // past it: a lease taken at login and never renewed would have lapsed by now, and
                // one judged by a replica's clock lapsed at the first sweep.
                let start = try #require(Double(try postgres.psql("SELECT extract(epoch FROM now())")))
                let renewed = try await eventually(timeout: .seconds(45), every: .milliseconds(500)) {
                    try postgres.psql(
                        "SELECT count(*) FROM replica WHERE heartbeat_at > to_timestamp(\(start)) + make_interval(secs => \(2 * lease))"
                    ) == "2"
                }
                #expect(renewed, "both replicas renewed their leases two leases on")
                // Neither watcher was told anything meanwhile (the answer to a QUERY comes after any
                // push sent before it), and each still finds the other replica's user.
                #expect(try await carol.request(.query(user: "alice")) == .user("alice", Self.aliceAt))
                #expect(await carol.pushesWaiting() == [])
                #expect(try await dave.request(.query(user: "bob")) == .user("bob", Self.bobAt))
                #expect(await dave.pushesWaiting() == [])

                guard case .ok("TOKEN", let details) = try await alice.request(.token), let word = details.first else {
                    Issue.record("no resumption token from the doomed replica")
                    return
                }
                let token = try #require(ResumeToken(text: word))
                let doomedID = try postgres.psql("SELECT replica FROM presence WHERE user_name = 'alice'")
                doomed.process.signal(SIGKILL)
                _ = doomed.process.waitUntilExit()
                let lastBeat = try #require(
                    Double(try postgres.psql("SELECT extract(epoch FROM heartbeat_at) FROM replica WHERE id = '\(doomedID)'")),
                    "the killed replica's heartbeat row is there")

                #expect(try await carol.nextPush(timeout: .seconds(30)) == .presence("alice", nil))
                // The sweep that took her offline wrote its time (the database's) on the change.
                let sweptAt = try #require(Double(try postgres.psql(
                    "SELECT extract(epoch FROM at) FROM presence_change WHERE user_name = 'alice' AND host IS NULL ORDER BY seq DESC LIMIT 1")))
                #expect(sweptAt - lastBeat > lease, "swept \(sweptAt - lastBeat) s after the last heartbeat, by the database's clock")
                #expect(try await carol.request(.query(user: "bob")) == .user("bob", Self.bobAt), "the survivor's own user stays")

                // The token's expiry is the database's too: it logs alice in on the survivor.
                let back = try await ModernLocatorClient.connect(to: survivor)
                #expect(try await back.request(.resume(user: "alice", token: token)) == .ok(verb: "RESUME", details: ["alice", "welcome"]))
                for client in [back, alice, bob, carol, dave] { await client.close() }
            }
        }
    }
}
