import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import Testing
import TestSupport

@Suite("ChatEngine: login, query, search")
struct ChatEngineTests {
    @Test("the first login registers the name, a later one is welcomed back")
    func loginRegistersThenWelcomes() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice", login: false)
            #expect(try await alice.login() == .registered)
            #expect(await alice.engine.isLoggedIn)
            #expect(await alice.events.first { $0 == .session(.loggedIn(user: "alice", registered: true)) } != nil)

            await alice.engine.logout()
            #expect(await alice.events.first { $0 == .session(.loggedOut(user: "alice")) } != nil)
            #expect(await !alice.engine.isLoggedIn)

            #expect(try await alice.login() == .welcome)
            #expect(await alice.events.first { $0 == .session(.loggedIn(user: "alice", registered: false)) } != nil)
            #expect(await alice.engine.isLocatorConnected)
        }
    }

    @Test("query shows where another user listens and the certificate it presents")
    func queryFindsAnotherUser() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")

            let found = try #require(try await alice.engine.query("bob"))
            #expect(found.host == "127.0.0.1")
            #expect(found.port != nil)
            #expect(found.port == (await bob.engine.peerPort))
            #expect(found.fingerprint == bob.engine.fingerprint.hex)
            #expect(found.fingerprint != alice.engine.fingerprint.hex)

            #expect(try await alice.engine.query("nobody") == nil)
            await bob.engine.logout()
            #expect(try await eventually { try await alice.engine.query("bob") == nil })
        }
    }

    @Test("search finds a word of a received message in the stored history")
    func searchFindsReceivedWord() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)

            let sent = try await alice.engine.send("the quick zebra jumps over the fence", to: "bob")
            let other = try await alice.engine.send("nothing to see here", to: "bob")
            #expect(sent.delivery == .delivered)
            #expect(other.delivery == .delivered)
            #expect(await bob.events.first { $0.message?.id == other.id } != nil)

            let found = try await bob.engine.search("ZEBRA")
            #expect(found.map(\.id) == [sent.id])
            #expect(found.first?.sender == "alice")
            #expect(found.first?.direction == .incoming)
            #expect(try await bob.engine.search("zeb").map(\.id) == [sent.id], "a word's beginning finds it too")
            #expect(try await bob.engine.search("fence quick").map(\.id) == [sent.id])
            #expect(try await bob.engine.search("giraffe").isEmpty)
            #expect(try await alice.engine.search("zebra").map(\.id) == [sent.id], "the sender's copy is indexed too")
        }
    }
}
