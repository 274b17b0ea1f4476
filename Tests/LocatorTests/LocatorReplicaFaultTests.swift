import ChatIdentity
import ChatWire
import Foundation
@testable import Locator
import Testing
import TestSupport

/// Faults of replicas over one PostgreSQL, with a real `p2pchat locator` process to kill.
@Suite(
    "p2pchat locator replicas: faults", .serialized, .timeLimit(.minutes(3)),
    .enabled(if: TestPostgres.isAvailable, "\(TestPostgres.unavailableReason ?? "")"))
struct LocatorReplicaFaultTests {
    static let aliceKey = String(repeating: "a1", count: 32)

    /// `locator` options for a replica process over `postgres`, its password in a file in `directory`.
    static func storeArguments(_ postgres: TestPostgres, in directory: TemporaryDirectory) throws -> [String] {
        let passwordFile = directory.url.appendingPathComponent("pgpass")
        try Data(TestPostgres.password.utf8).write(to: passwordFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: passwordFile.path)
        return ["--store", postgres.url(), "--store-password-file", passwordFile.path]
    }

    /// A replica process over `postgres`, a replica in this process beside it, and `body` with
    /// both; both are stopped after.
    static func withTwoReplicas(
        _ postgres: TestPostgres, _ body: (LimitedLocator, TestLocator) async throws -> Void
    ) async throws {
        let directory = try TemporaryDirectory(prefix: "p2pchat-replica-faults")
        defer { directory.remove() }
        let process = try await LimitedLocator.start(
            fileLimit: 1024, arguments: try storeArguments(postgres, in: directory))
        let inProcess: TestLocator
        do {
            inProcess = try await TestLocator.start(in: directory.url.appendingPathComponent("in-process")) {
                $0.postgres = postgres.settings()
            }
        } catch {
            await process.stop()
            throw error
        }
        do {
            try await body(process, inProcess)
        } catch {
            await inProcess.stop()
            await process.stop()
            throw error
        }
        await inProcess.stop()
        await process.stop()
    }

    static func online(_ user: String, port: Int) -> LocatorReply {
        .presence(user, PeerAddress(host: "127.0.0.1", port: port, fingerprint: aliceKey))
    }

    /// `name` logged in on the replica at `port`, watching `user`, whom it is told is offline.
    static func watcher(
        _ name: String, of user: String, port: Int, pin: PinPolicy = .trustOnFirstUse
    ) async throws -> ModernLocatorClient {
        let watcher = try await ModernLocatorClient.connect(port: port, pin: pin)
        _ = try await watcher.login(name, password: "pw")
        _ = try await watcher.request(.watch(users: [user]))
        #expect(try await watcher.nextPush() == .presence(user, nil))
        return watcher
    }

    /// `name` logged in on the replica at `port`, advertising `advertised` with alice's key.
    static func advertising(
        _ name: String, port: Int, pin: PinPolicy = .trustOnFirstUse, at advertised: Int
    ) async throws -> ModernLocatorClient {
        let client = try await ModernLocatorClient.connect(port: port, pin: pin)
        _ = try await client.login(name, password: "pw")
        _ = try await client.request(.advertise(port: advertised, fingerprint: aliceKey))
        return client
    }

    /// Pauses `replica` (SIGSTOP) while the test holds the sweep lock, so that the pause does not
    /// land in the middle of its own sweep: paused holding the sweep lock (and the append lock
    /// the sweep takes), it would be swept by nobody, and every replica's appends would wait.
    static func pause(_ replica: LimitedLocator, in postgres: TestPostgres) async throws {
        let holder = "p2pchat-test-pause"
        let locks = try await postgres.holdAdvisoryLocks([PostgresPresenceLog.sweepLock], holder: holder)
        replica.process.signal(SIGSTOP)
        try postgres.releaseLocks(holder: holder, process: locks)
    }

    /// Waits until the replica that holds `user` has read the whole log, her login among it: until
    /// then a change from elsewhere does not replace its session. Whether it did within 20 s.
    static func holderReadBack(_ user: String, in postgres: TestPostgres) async throws -> Bool {
        try await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
            try postgres.psql(
                """
                SELECT count(*) FROM replica r JOIN presence p ON p.replica = r.id
                WHERE p.user_name = '\(user)' AND r.read_through >= (SELECT max(seq) FROM presence_change)
                """) == "1"
        }
    }

    @Test("kill -9 of a replica: the other shows its users offline within the lease (at most 15 s), not online for good; a resumption token from the dead replica logs in on the other")
    func killedReplica() async throws {
        try await withTestPostgres { postgres in
            try await Self.withTwoReplicas(postgres) { doomed, survivor in
                let watcher = try await ModernLocatorClient.connect(to: survivor)
                _ = try await watcher.login("carol", password: "pw")
                _ = try await watcher.request(.watch(users: ["alice"]))
                #expect(try await watcher.nextPush() == .presence("alice", nil))

                let alice = try await ModernLocatorClient.connect(port: doomed.port, pin: .trustOnFirstUse)
                #expect(try await alice.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "registered"]))
                _ = try await alice.request(.advertise(port: 40100, fingerprint: Self.aliceKey))
                #expect(try await watcher.nextPush() == .presence("alice", PeerAddress(host: "127.0.0.1", port: 40100, fingerprint: Self.aliceKey)))
                guard case .ok("TOKEN", let details) = try await alice.request(.token), let word = details.first else {
                    Issue.record("no resumption token from the doomed replica")
                    return
                }
                let token = try #require(ResumeToken(text: word))

                doomed.process.signal(SIGKILL)
                let killed = ContinuousClock.now
                #expect(try await watcher.nextPush(timeout: .seconds(20)) == .presence("alice", nil))
                let took = ContinuousClock.now - killed
                #expect(took <= .seconds(15), "offline after \(took)")
                #expect(try await watcher.request(.query(user: "alice")) == .user("alice", nil))
                await alice.close()

                // The token the dead replica gave out logs alice in on the survivor, without her password.
                let back = try await ModernLocatorClient.connect(to: survivor)
                #expect(try await back.request(.resume(user: "alice", token: token)) == .ok(verb: "RESUME", details: ["alice", "welcome"]))
                _ = try await back.request(.advertise(port: 40101, fingerprint: Self.aliceKey))
                #expect(try await watcher.nextPush() == .presence("alice", PeerAddress(host: "127.0.0.1", port: 40101, fingerprint: Self.aliceKey)))
                await back.close()
                await watcher.close()
            }
        }
    }

    @Test("a replica paused longer than its lease (SIGSTOP) is taken for dead, and when it resumes (SIGCONT) its users are online again")
    func pausedReplicaComesBack() async throws {
        try await withTestPostgres { postgres in
            try await Self.withTwoReplicas(postgres) { paused, other in
                let watcher = try await Self.watcher("carol", of: "alice", port: other.port, pin: .expect(other.fingerprint))
                let alice = try await Self.advertising("alice", port: paused.port, at: 40100)
                #expect(try await watcher.nextPush() == Self.online("alice", port: 40100))

                try await Self.pause(paused, in: postgres)
                let offline = try await watcher.nextPush(timeout: .seconds(30))
                paused.process.signal(SIGCONT)
                #expect(offline == .presence("alice", nil), "the sweep took the silent replica's users offline")
                // Back: alice's connection was open all along, and she is online again.
                #expect(try await watcher.nextPush(timeout: .seconds(20)) == Self.online("alice", port: 40100))
                #expect(try await watcher.request(.query(user: "alice")) == .user("alice", PeerAddress(host: "127.0.0.1", port: 40100, fingerprint: Self.aliceKey)))
                #expect(try await alice.request(.ping(token: "still")) == .pong(token: "still"))
                await alice.close()
                await watcher.close()
            }
        }
    }

    @Test("a user who logs in on the other replica while a replica swept as dead republishes its users stays there: the newer login wins, not the return")
    func returnYieldsToNewerLogin() async throws {
        try await withTestPostgres { postgres in
            try await Self.withTwoReplicas(postgres) { returning, other in
                let watcher = try await ModernLocatorClient.connect(to: other)
                _ = try await watcher.login("carol", password: "pw")
                _ = try await watcher.request(.watch(users: ["alice", "erin"]))
                let first = [try await watcher.nextPush(), try await watcher.nextPush()]
                #expect(Set(first.compactMap { $0 }) == [.presence("alice", nil), .presence("erin", nil)])
                let aliceThere = try await Self.advertising("alice", port: returning.port, at: 40100)
                #expect(try await watcher.nextPush() == Self.online("alice", port: 40100))
                // The replica has read its own login back from the log (its heartbeat says how far it read).
                #expect(try await Self.holderReadBack("alice", in: postgres))

                try await Self.pause(returning, in: postgres)
                #expect(try await watcher.nextPush(timeout: .seconds(30)) == .presence("alice", nil))
                // The test holds the sweep lock (nobody sweeps) and the append lock (every
                // replica's change waits for it, in the order they came).
                let holder = try await postgres.holdAdvisoryLocks([PostgresPresenceLog.sweepLock, PostgresPresenceLog.appendLock])
                returning.process.signal(SIGCONT)
                // Back, the replica finds itself swept and republishes alice: it waits for the lock.
                var waiters: [Int32] = []
                #expect(try await eventually(timeout: .seconds(20), every: .milliseconds(50)) {
                    waiters = try postgres.advisoryLockWaiters()
                    return waiters.count == 1
                })
                let republishing = try #require(waiters.first)
                // Meanwhile alice logs in on the other replica: that change waits behind.
                let aliceHere = try await ModernLocatorClient.connect(to: other)
                #expect(try await aliceHere.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
                _ = try await aliceHere.request(.advertise(port: 40101, fingerprint: Self.aliceKey))
                #expect(try await eventually(timeout: .seconds(20), every: .milliseconds(50)) {
                    try postgres.advisoryLockWaiters().count == 2
                })
                // The republish fails once and is retried: the login on the other replica goes first.
                try postgres.psql("SELECT pg_cancel_backend(\(republishing))")
                #expect(try await eventually(timeout: .seconds(20), every: .milliseconds(50)) {
                    try !postgres.advisoryLockWaiters().contains(republishing)
                })
                try postgres.releaseLocks(process: holder)

                // Its retried republish is in once a later change of its own is: erin logs in there.
                let erin = try await Self.advertising("erin", port: returning.port, at: 40300)
                var seen: [LocatorReply] = []
                while let push = try? await watcher.nextPush(timeout: .seconds(20)) {
                    seen.append(push)
                    if push == Self.online("erin", port: 40300) { break }
                }
                #expect(seen.last == Self.online("erin", port: 40300), "erin, logged in on the returning replica, is seen: \(seen)")
                #expect(!seen.contains(Self.online("alice", port: 40100)), "the return took alice back: \(seen)")
                #expect(try await watcher.request(.query(user: "alice")) == .user("alice", PeerAddress(host: "127.0.0.1", port: 40101, fingerprint: Self.aliceKey)))
                // The newer login's session is still open, and was told nothing.
                #expect((try? await aliceHere.request(.ping(token: "still"))) == .pong(token: "still"))
                #expect(await aliceHere.pushesWaiting() == [], "no BYE for the newer login")
                // The returning replica's session yields to the newer login.
                #expect((try? await aliceThere.nextPush(timeout: .seconds(20))) == .bye(reason: "replaced"))
                for client in [erin, aliceHere, aliceThere, watcher] { await client.close() }
            }
        }
    }

    @Test("a replica swept as dead that comes back to a pruned log yields a user who logged in on the other replica meanwhile: its old session is told BYE replaced, and its queries and watchers see her new address")
    func returnToPrunedLogYieldsToNewerLogin() async throws {
        try await withTestPostgres { postgres in
            try await Self.withTwoReplicas(postgres) { returning, other in
                let watcherHere = try await Self.watcher("carol", of: "alice", port: other.port, pin: .expect(other.fingerprint))
                let watcherThere = try await Self.watcher("dave", of: "alice", port: returning.port)
                let aliceThere = try await Self.advertising("alice", port: returning.port, at: 40100)
                #expect(try await watcherHere.nextPush() == Self.online("alice", port: 40100))
                #expect(try await watcherThere.nextPush() == Self.online("alice", port: 40100))
                // The replica has read its own login back from the log: the position it resumes
                // from is that login's.
                #expect(try await Self.holderReadBack("alice", in: postgres))

                try await Self.pause(returning, in: postgres)
                #expect(try await watcherHere.nextPush(timeout: .seconds(30)) == .presence("alice", nil))
                // While it is away, alice logs in on the other replica: a newer login.
                let aliceHere = try await ModernLocatorClient.connect(to: other)
                #expect(try await aliceHere.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
                _ = try await aliceHere.request(.advertise(port: 40101, fingerprint: Self.aliceKey))
                #expect(try await watcherHere.nextPush() == Self.online("alice", port: 40101))
                // The other replica has read everything, so the sweep prunes the log down to its
                // newest change (alice's new login): the paused replica's position is gone.
                #expect(try await eventually(timeout: .seconds(20), every: .milliseconds(100)) {
                    try postgres.psql(
                        """
                        SELECT count(*) FROM presence_change c JOIN presence p
                            ON p.user_name = c.user_name AND p.replica = c.replica AND p.port = c.port
                        WHERE c.user_name = 'alice' AND p.port = 40101 AND (SELECT count(*) FROM presence_change) = 1
                        """) == "1"
                })
                returning.process.signal(SIGCONT)

                // Back, the replica loads the presence table and yields: its old session is replaced.
                #expect((try? await aliceThere.nextPush(timeout: .seconds(20))) == .bye(reason: "replaced"))
                var seen: [LocatorReply] = []
                while let push = try? await watcherThere.nextPush(timeout: .seconds(20)) {
                    seen.append(push)
                    if push == Self.online("alice", port: 40101) { break }
                }
                #expect(seen.last == Self.online("alice", port: 40101), "a watcher on the returning replica sees alice's new address: \(seen)")
                #expect(try await watcherThere.request(.query(user: "alice")) == .user("alice", PeerAddress(host: "127.0.0.1", port: 40101, fingerprint: Self.aliceKey)))
                // The newer login's session is still open, and was told nothing.
                #expect((try? await aliceHere.request(.ping(token: "still"))) == .pong(token: "still"))
                #expect(await aliceHere.pushesWaiting() == [], "no BYE for the newer login")
                #expect(try await watcherHere.request(.query(user: "alice")) == .user("alice", PeerAddress(host: "127.0.0.1", port: 40101, fingerprint: Self.aliceKey)))
                for client in [aliceHere, aliceThere, watcherThere, watcherHere] { await client.close() }
            }
        }
    }
}
