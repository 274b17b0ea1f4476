@testable import ChatEngine
import Testing

/// The locator client's connection and its reconnecting are work of the login session: they run
/// in the session's tree, so that nothing of a session outlives it.
@Suite("ChatEngine: the locator client's work belongs to the session")
struct SessionTreeLocatorTests {
    @Test("ending a session's tree closes its locator connection: a friend sees the user go offline")
    func endingTheTreeClosesTheLocatorConnection() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let tree = try #require(await alice.engine.sessionScope)
            let mark = await bob.events.mark()
            tree.end()
            #expect(await bob.events.first(after: mark) { $0.isPresence("alice", online: false) } != nil)
            // The reconnecting that the lost connection asks for is refused by a tree that is
            // over; the logout that follows finds nothing running, and a new login works.
            await alice.engine.logout()
            let again = await bob.events.mark()
            try await alice.login()
            #expect(await bob.events.first(after: again) { $0.isPresence("alice", online: true) } != nil)
        }
    }
}
