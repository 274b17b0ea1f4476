@testable import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Locator
import NIOCore
import NIOPosix
import Testing
// Scoped: TestSupport has a ModernLocatorClient of its own.
import class TestSupport.TestLocator
import class TestSupport.TestTurnServer
import func TestSupport.withTemporaryDirectory
import func TestSupport.withTestTurnServer

/// The relay and the paths in a login and a dial, on loopback: a real locator handing out coturn
/// credentials, a real `turnserver`, real engines.
@Suite("Paths: the relay at login, and dials over a friend's candidates", .timeLimit(.minutes(2)))
struct PeerRelayTests {
    /// Two engines on a locator that offers `server` as its relay, both logged in.
    /// Their hole punching is off: on loopback it turns a relayed connection into a punched one
    /// within a second (the namespace tests punch through real NATs).
    private func withRelayedPair(
        _ server: TestTurnServer, credentialLifetime: Duration = .seconds(3600), _ body: (TestUser, TestUser) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory(prefix: "p2pchat-relay-test") { root in
            let locator = try await TestLocator.start(in: root.appendingPathComponent("locator")) {
                $0.turnRelay = TurnRelay(host: server.host, port: server.port, secret: server.secret, credentialLifetime: credentialLifetime)
            }
            let alice = try TestUser("alice", locator: locator, root: root) { $0.punchesHoles = false }
            let bob = try TestUser("bob", locator: locator, root: root) { $0.punchesHoles = false }
            do {
                try await alice.login()
                try await bob.login()
                try await body(alice, bob)
            } catch {
                await alice.engine.close()
                await bob.engine.close()
                await locator.stop()
                throw error
            }
            await alice.engine.close()
            await bob.engine.close()
            await locator.stop()
        }
    }

    /// The relayed candidate `user` has published, as `asker` reads it from the locator; waits for it.
    private func relayedCandidate(of user: TestUser, readBy asker: TestUser, otherThan old: PeerCandidate? = nil) async throws -> PeerCandidate {
        var found: PeerCandidate?
        let published = await eventually(within: .seconds(20)) {
            guard let locator = await asker.engine.session?.locator as? ModernLocatorClient else { return false }
            found = (try? await locator.paths(of: user.name))?.first { $0.kind == .relayed && $0 != old }
            return found != nil
        }
        try #require(published, "\(user.name) published no relayed candidate")
        return try #require(found)
    }

    @Test(
        "a friend who can only take the relayed path: a friend request and messages go through coturn, pinned, shown as relayed",
        .enabled(if: TestTurnServer.isInstalled, TestTurnServer.missingReason))
    func relayedPath() async throws {
        try await withTestTurnServer { server in
            try await withRelayedPair(server) { alice, bob in
                let relayed = try await relayedCandidate(of: bob, readBy: alice)
                #expect(relayed.host == server.host)
                let session = try await alice.engine.requireSession()
                let connection = try await alice.engine.dial(
                    "bob", candidates: [relayed], pin: .expect(bob.engine.fingerprint), node: session.node)
                #expect(connection.path == .relayed)

                // The connection is the one the request and the messages take.
                try await befriend(alice, bob)
                let sent = try await alice.engine.send("through coturn", to: "bob")
                #expect(sent.delivery == .delivered)
                #expect(await bob.events.first { $0.message?.body == "through coturn" } != nil)
                #expect(try await bob.engine.send("and back", to: "alice").delivery == .delivered)
                #expect(await alice.events.first { $0.message?.body == "and back" } != nil)
                #expect(await alice.engine.path(to: "bob")?.kind == .relayed)
                #expect(await bob.engine.path(to: "alice")?.kind == .relayed)
                #expect(try await alice.engine.friends().first?.path?.kind == .relayed)
            }
        }
    }

    @Test(
        "logout frees the allocation: its relayed address stops taking connections, and the locator lists it no more",
        .enabled(if: TestTurnServer.isInstalled, TestTurnServer.missingReason))
    func logoutFreesAllocation() async throws {
        try await withTestTurnServer { server in
            try await withRelayedPair(server) { alice, bob in
                let relayed = try await relayedCandidate(of: bob, readBy: alice)
                #expect(await Self.accepts(relayed), "the relayed address took no connection while bob was logged in")
                await bob.engine.logout()
                #expect(await eventually { await !Self.accepts(relayed) }, "the relayed address still takes connections")
                let locator = try #require(await alice.engine.session?.locator as? ModernLocatorClient)
                #expect(try await locator.paths(of: "bob").isEmpty)
            }
        }
    }

    /// Whether a TCP connection to `candidate` opens.
    private static func accepts(_ candidate: PeerCandidate) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(2))
                .connect(host: candidate.host, port: candidate.port).get()
            try? await channel.close()
            return true
        } catch {
            return false
        }
    }

    @Test(
        "credentials about to expire: a new allocation is published before they do, and it carries a connection",
        .enabled(if: TestTurnServer.isInstalled, TestTurnServer.missingReason))
    func renewedBeforeExpiry() async throws {
        try await withTestTurnServer { server in
            try await withRelayedPair(server, credentialLifetime: .seconds(8)) { alice, bob in
                let first = try await relayedCandidate(of: bob, readBy: alice)
                let renewed = try await relayedCandidate(of: bob, readBy: alice, otherThan: first)
                let session = try await alice.engine.requireSession()
                let connection = try await alice.engine.dial(
                    "bob", candidates: [renewed], pin: .expect(bob.engine.fingerprint), node: session.node)
                #expect(connection.path == .relayed)
                #expect(await bob.events.count { $0.sessionError != nil } == 0, "the renewal was not silent")
            }
        }
    }

    @Test("a forged path whose certificate is not the friend's: one security warning, nothing goes over it; a true path beside it wins")
    func forgedPath() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            let mallory = try await network.user("mallory")
            let malloryPort = try #require(await mallory.engine.peerPort)
            let bobPort = try #require(await bob.engine.peerPort)
            let forged = try #require(PeerCandidate(kind: .lan, host: "127.0.0.1", port: malloryPort))
            let session = try await alice.engine.requireSession()

            let mark = await alice.events.mark()
            await #expect(throws: EngineError.self) {
                try await alice.engine.dial("bob", candidates: [forged], pin: .expect(bob.engine.fingerprint), node: session.node)
            }
            let warning = await alice.events.first(after: mark) { $0.securityWarning != nil }?.securityWarning ?? ""
            #expect(await alice.events.count(after: mark) { $0.securityWarning != nil } == 1)
            #expect(warning.contains("bob") && warning.contains("lan 127.0.0.1:\(malloryPort)") && !warning.contains("\n"), "\(warning)")
            #expect(await alice.engine.existingConnection(to: "bob") == nil)
            #expect(await mallory.engine.existingConnection(to: "alice") == nil, "mallory got a connection")

            // The forged path is tried first (lan); the true one (direct) wins, and nothing else is said.
            let second = await alice.events.mark()
            let truePath = try #require(PeerCandidate(kind: .direct, host: "127.0.0.1", port: bobPort))
            let connection = try await alice.engine.dial(
                "bob", candidates: [truePath, forged], pin: .expect(bob.engine.fingerprint), node: session.node)
            #expect(connection.peer == "bob" && connection.fingerprint == bob.engine.fingerprint)
            #expect(await alice.events.count(after: second) { $0.securityWarning != nil } <= 1)
            try await alice.engine.addFriend("bob")
            #expect(await bob.events.first { $0.friendRequestFrom == "alice" } != nil)
            #expect(await mallory.events.count { $0.friendRequestFrom != nil } == 0)
        }
    }
}
