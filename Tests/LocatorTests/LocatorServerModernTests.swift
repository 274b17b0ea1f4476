import ChatIdentity
import ChatWire
import Foundation
import Locator
import NIOCore
import Testing
import TestSupport

/// The modern protocol over TLS, as the p2pchat client speaks it.
@Suite("LocatorServer: modern protocol", .timeLimit(.minutes(1)))
struct LocatorServerModernTests {
    static let aliceKey = String(repeating: "a1", count: 32)
    static let carolKey = String(repeating: "c3", count: 32)

    @Test("first LOGIN registers, a later one is welcomed; LOGOUT answers and the server closes")
    func registerThenLogin() async throws {
        try await withTestLocator { locator throws in
            let first = try await ModernLocatorClient.connect(to: locator)
            #expect(try await first.login("alice", password: "correct horse") == .ok(verb: "LOGIN", details: ["alice", "registered"]))
            #expect(try await first.request(.logout) == .ok(verb: "LOGOUT", details: []))
            #expect(try await first.nextReplyLine() == nil)
            #expect(try await first.waitUntilClosed() == nil)

            let second = try await ModernLocatorClient.connect(to: locator)
            #expect(try await second.login("alice", password: "correct horse") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            await second.close()
        }
    }

    @Test("a wrong password is 'ERR auth', and the connection may try again")
    func wrongPassword() async throws {
        try await withTestLocator { locator throws in
            let registering = try await ModernLocatorClient.connect(to: locator)
            _ = try await registering.login("alice", password: "right")
            await registering.close()

            let client = try await ModernLocatorClient.connect(to: locator)
            let refused = try await client.login("alice", password: "hunter2")
            guard case .error(let error) = refused else {
                Issue.record("a wrong password was answered \(refused)")
                return
            }
            #expect(error.code == .auth)
            #expect(!error.message.contains("hunter2"))
            // Not logged in after the refusal.
            #expect(try await client.request(.query(user: "alice")) == .error(LocatorError(.notLoggedIn, "LOGIN first")))
            #expect(try await client.login("alice", password: "right") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            await client.close()
        }
    }

    @Test("QUERY: address seen by the locator, advertised port and fingerprint; offline until advertised")
    func query() async throws {
        try await withTestLocator { locator throws in
            let alice = try await ModernLocatorClient.connect(to: locator)
            let bob = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            _ = try await bob.login("bob", password: "b")
            #expect(try await bob.request(.query(user: "alice")) == .user("alice", nil))
            #expect(try await alice.request(.advertise(port: 40123, fingerprint: Self.aliceKey)) == .ok(verb: "ADVERTISE", details: []))
            #expect(
                try await bob.request(.query(user: "alice"))
                    == .user("alice", PeerAddress(host: "127.0.0.1", port: 40123, fingerprint: Self.aliceKey)))
            #expect(try await bob.request(.query(user: "nobody")) == .user("nobody", nil))
            // The wire form, as `openssl s_client` shows it.
            bob.send(line: "QUERY alice")
            #expect(try await bob.nextReplyLine() == "USER alice online 127.0.0.1 40123 \(Self.aliceKey)")
            await alice.close()
            await bob.close()
        }
    }

    @Test("before LOGIN only PING is answered; errors keep the connection usable")
    func errorsBeforeLogin() async throws {
        try await withTestLocator { locator throws in
            let client = try await ModernLocatorClient.connect(to: locator)
            #expect(try await client.request(.ping(token: "t1")) == .pong(token: "t1"))
            #expect(try await client.request(.ping(token: nil)) == .pong(token: nil))
            for request in [LocatorRequest.query(user: "bob"), .advertise(port: 1, fingerprint: Self.aliceKey), .watch(users: ["bob"]), .logout] {
                #expect(try await client.request(request) == .error(LocatorError(.notLoggedIn, "LOGIN first")))
            }
            func code(_ line: String) async throws -> LocatorError.Code? {
                client.send(line: line)
                guard case .error(let error)? = try await client.nextReplyLine().flatMap(LocatorReply.init(parsing:)) else { return nil }
                return error.code
            }
            #expect(try await code("HELLO") == .unknownCommand)
            #expect(try await code("QUERY  bob") == .syntax)
            #expect(try await code("LOGIN -bob pw") == .invalidName)
            #expect(try await code("") == .syntax)
            #expect(try await client.login("alice", password: "pw") == .ok(verb: "LOGIN", details: ["alice", "registered"]))
            let again = try await client.login("alice", password: "pw")
            #expect({ if case .error(let e) = again { e.code == .alreadyLoggedIn } else { false } }())
            #expect(try await client.request(.ping(token: "after")) == .pong(token: "after"))
            await client.close()
        }
    }

    @Test("WATCH pushes the state now, then each change: advertise, legacy login, disconnect after the grace")
    func watch() async throws {
        try await withTestLocator { locator throws in
            let bob = try await ModernLocatorClient.connect(to: locator)
            _ = try await bob.login("bob", password: "b")
            #expect(try await bob.request(.watch(users: ["alice", "2017011000"])) == .ok(verb: "WATCH", details: ["2"]))
            #expect(try await bob.nextPush() == .presence("alice", nil))
            #expect(try await bob.nextPush() == .presence("2017011000", nil))

            let alice = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            _ = try await alice.request(.advertise(port: 40123, fingerprint: Self.aliceKey))
            #expect(try await bob.nextPush() == .presence("alice", PeerAddress(host: "127.0.0.1", port: 40123, fingerprint: Self.aliceKey)))

            #expect(try await LegacyCourseClient.ask("2017011000_net2019", port: locator.port) == "lol")
            #expect(try await bob.nextPush() == .presence("2017011000", PeerAddress(host: "127.0.0.1", port: nil, fingerprint: nil)))

            // Alice's connection drops without LOGOUT: offline only once the grace period has passed.
            let dropped = ContinuousClock.now
            await alice.close()
            #expect(try await bob.nextPush() == .presence("alice", nil))
            #expect(ContinuousClock.now - dropped >= locator.configuration.presenceGrace)
            #expect(try await bob.request(.query(user: "alice")) == .user("alice", nil))

            #expect(try await LegacyCourseClient.ask("logout2017011000", port: locator.port) == "loo")
            #expect(try await bob.nextPush() == .presence("2017011000", nil))
            await bob.close()
        }
    }

    @Test("LOGOUT takes the user offline at once, for watchers and queries")
    func logoutPushesOffline() async throws {
        try await withTestLocator(configure: { $0.presenceGrace = .seconds(30) }) { locator throws in
            let bob = try await ModernLocatorClient.connect(to: locator)
            _ = try await bob.login("bob", password: "b")
            let alice = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            _ = try await alice.request(.advertise(port: 40123, fingerprint: Self.aliceKey))
            _ = try await bob.request(.watch(users: ["alice"]))
            #expect(try await bob.nextPush()?.isOnline == true)
            #expect(try await alice.request(.logout) == .ok(verb: "LOGOUT", details: []))
            // With a 30 s grace, only LOGOUT can explain an offline push within the test's time limit.
            #expect(try await bob.nextPush() == .presence("alice", nil))
            #expect(try await bob.request(.query(user: "alice")) == .user("alice", nil))
            await bob.close()
        }
    }

    @Test("UNWATCH stops the pushes for those users only")
    func unwatch() async throws {
        try await withTestLocator { locator throws in
            let bob = try await ModernLocatorClient.connect(to: locator)
            _ = try await bob.login("bob", password: "b")
            _ = try await bob.request(.watch(users: ["alice", "carol"]))
            _ = try await bob.nextPush()
            _ = try await bob.nextPush()
            #expect(try await bob.request(.unwatch(users: ["alice"])) == .ok(verb: "UNWATCH", details: ["1"]))

            let alice = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            _ = try await alice.request(.advertise(port: 40123, fingerprint: Self.aliceKey))
            let carol = try await ModernLocatorClient.connect(to: locator)
            _ = try await carol.login("carol", password: "c")
            _ = try await carol.request(.advertise(port: 40124, fingerprint: Self.carolKey))
            // Alice changed first; had her push not been stopped it would come before Carol's.
            #expect(try await bob.nextPush() == .presence("carol", PeerAddress(host: "127.0.0.1", port: 40124, fingerprint: Self.carolKey)))
            for client in [alice, bob, carol] { await client.close() }
        }
    }

    @Test("a reconnect within the grace period is seamless: no offline push, still online after")
    func reconnectWithinGrace() async throws {
        try await withTestLocator(configure: { $0.presenceGrace = .seconds(1) }) { locator throws in
            let bob = try await ModernLocatorClient.connect(to: locator)
            _ = try await bob.login("bob", password: "b")
            let alice = try await ModernLocatorClient.connect(to: locator)
            _ = try await alice.login("alice", password: "a")
            _ = try await alice.request(.advertise(port: 40123, fingerprint: Self.aliceKey))
            _ = try await bob.request(.watch(users: ["alice", "carol"]))
            _ = try await bob.nextPush()
            _ = try await bob.nextPush()

            await alice.close()
            let back = try await ModernLocatorClient.connect(to: locator)
            _ = try await back.login("alice", password: "a")
            _ = try await back.request(.advertise(port: 40200, fingerprint: Self.aliceKey))
            #expect(try await bob.nextPush() == .presence("alice", PeerAddress(host: "127.0.0.1", port: 40200, fingerprint: Self.aliceKey)))
            // "Nothing happens" cannot be polled: wait out the grace period, then let a later change
            // (Carol) show that no offline push for Alice was queued before it.
            try await Task.sleep(for: locator.configuration.presenceGrace + .milliseconds(300))
            let carol = try await ModernLocatorClient.connect(to: locator)
            _ = try await carol.login("carol", password: "c")
            _ = try await carol.request(.advertise(port: 40124, fingerprint: Self.carolKey))
            #expect(try await bob.nextPush() == .presence("carol", PeerAddress(host: "127.0.0.1", port: 40124, fingerprint: Self.carolKey)))
            #expect(try await bob.request(.query(user: "alice"))  == .user("alice", PeerAddress(host: "127.0.0.1", port: 40200, fingerprint: Self.aliceKey)))
            for client in [back, bob, carol] { await client.close() }
        }
    }

    @Test("logging in elsewhere replaces the old session: 'BYE replaced', then the old connection closes")
    func replaced() async throws {
        try await withTestLocator { locator throws in
            let old = try await ModernLocatorClient.connect(to: locator)
            _ = try await old.login("alice", password: "a")
            _ = try await old.request(.advertise(port: 40123, fingerprint: Self.aliceKey))
            let new = try await ModernLocatorClient.connect(to: locator)
            #expect(try await new.login("alice", password: "a") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
            #expect(try await old.nextPush() == .bye(reason: "replaced"))
            #expect(try await old.nextReplyLine() == nil)
            #expect(try await old.waitUntilClosed() == nil)
            // The new session owns the name: its LOGOUT takes Alice offline.
            let bob = try await ModernLocatorClient.connect(to: locator)
            _ = try await bob.login("bob", password: "b")
            #expect(try await new.request(.logout) == .ok(verb: "LOGOUT", details: []))
            #expect(try await bob.request(.query(user: "alice")) == .user("alice", nil))
            await bob.close()
        }
    }

    @Test("registration closed: only names on the roster may register")
    func registrationClosed() async throws {
        try await withTestLocator(configure: { $0.registration = .closed; $0.roster = ["alice", "2017011000"] }) { locator throws in
            let client = try await ModernLocatorClient.connect(to: locator)
            let refused = try await client.login("mallory", password: "m")
            #expect({ if case .error(let e) = refused { e.code == .registrationClosed } else { false } }())
            #expect(try await client.login("alice", password: "a") == .ok(verb: "LOGIN", details: ["alice", "registered"]))
            await client.close()
            // The same roster limits the course protocol.
            #expect(try await LegacyCourseClient.ask("2019011001_net2019", port: locator.port) == "Incorrect No.")
            #expect(try await LegacyCourseClient.ask("2017011000_net2019", port: locator.port) == "lol")
        }
    }

    @Test("a restarted server on the same files keeps its accounts, its password checks and its fingerprint")
    func restartKeepsAccounts() async throws {
        let directory = try TemporaryDirectory(prefix: "p2pchat-locator-restart")
        defer { directory.remove() }
        let first = try await TestLocator.start(in: directory.url)
        let client = try await ModernLocatorClient.connect(to: first)
        #expect(try await client.login("alice", password: "correct horse") == .ok(verb: "LOGIN", details: ["alice", "registered"]))
        await client.close()
        let fingerprint = first.fingerprint
        await first.stop()

        let second = try await TestLocator.start(in: directory.url)
        #expect(second.fingerprint == fingerprint)
        let again = try await ModernLocatorClient.connect(port: second.port, pin: .expect(fingerprint))
        let wrong = try await again.login("alice", password: "battery staple")
        #expect({ if case .error(let e) = wrong { e.code == .auth } else { false } }())
        #expect(try await again.login("alice", password: "correct horse") == .ok(verb: "LOGIN", details: ["alice", "welcome"]))
        await again.close()
        await second.stop()
    }

    @Test("the password is stored only as a scrypt hash: not in the account row, not in the database files")
    func passwordNotStored() async throws {
        let password = "pw-\(UUID().uuidString)"
        try await withTestLocator { locator throws in
            let client = try await ModernLocatorClient.connect(to: locator)
            _ = try await client.login("alice", password: password)
            await client.close()

            let store = try AccountStore(path: locator.configuration.databasePath, hasher: PasswordHasher(costExponent: 10))
            let hash = try #require(try await store.storedHash(of: "alice"))
            #expect(hash.hasPrefix("scrypt$"))
            #expect(!hash.contains(password))
            #expect(PasswordHasher(costExponent: 10).verify(password, against: hash))
            let files = try FileManager.default.contentsOfDirectory(atPath: URL(fileURLWithPath: locator.configuration.databasePath).deletingLastPathComponent().path)
            for file in files where file.hasPrefix("accounts.sqlite") {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: locator.configuration.databasePath).deletingLastPathComponent().appendingPathComponent(file))
                #expect(bytes.range(of: Data(password.utf8)) == nil, "\(file) holds the password in clear")
            }
        }
    }

    @Test("a client pinning another fingerprint refuses the server; the server carries on")
    func wrongPin() async throws {
        try await withTestLocator { locator throws in
            let impostorKey = try Identity.generate(commonName: "not the locator").fingerprint
            let client = try await ModernLocatorClient.connect(port: locator.port, pin: .expect(impostorKey))
            client.send(line: "LOGIN alice :secret")
            let error = try await client.waitUntilClosed()
            let mismatch = try #require(error as? PinMismatchError, "ended with \(String(describing: error))")
            #expect(mismatch.presented == locator.fingerprint)
            #expect(mismatch.expected == impostorKey)

            let pinned = try await ModernLocatorClient.connect(to: locator)
            #expect(try await pinned.request(.ping(token: "ok")) == .pong(token: "ok"))
            await pinned.close()
        }
    }
}

extension LocatorReply {
    /// Whether this is a `PRESENCE … online …`.
    var isOnline: Bool {
        if case .presence(_, .some) = self { return true }
        return false
    }
}
