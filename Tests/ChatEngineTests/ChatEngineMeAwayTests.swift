import ChatEngine
import Testing

@Suite("ChatEngine: actions and away")
struct ChatEngineMeAwayTests {
    @Test("an action is delivered and stored as an action, and found by search")
    func action() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            #expect(try await alice.engine.send("waves hello", to: "bob", action: true).delivery == .delivered)
            let arrived = await bob.events.first { $0.message?.body == "waves hello" }
            #expect(arrived?.message?.isAction == true)
            #expect(try await bob.engine.history(with: "alice").map(\.isAction) == [true])
            #expect(try await alice.engine.history(with: "bob").map(\.isAction) == [true])
            #expect(try await bob.engine.search("waves").map(\.isAction) == [true])
        }
    }

    @Test("away is told to friends, shows in their friend list, and so is coming back")
    func away() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            try await alice.engine.setAway("lunch")
            #expect(await alice.engine.awayReason == "lunch")
            #expect(await bob.events.first { $0 == .away(.changed(user: "alice", reason: "lunch")) } != nil)
            #expect(try await bob.engine.friends().map(\.away) == ["lunch"])
            try await alice.engine.setAway(nil)
            #expect(await bob.events.first { $0 == .away(.changed(user: "alice", reason: nil)) } != nil)
            #expect(try await bob.engine.friends().map(\.away) == [nil])
            await #expect(throws: AwayError.reasonTooLong(256)) {
                try await alice.engine.setAway(String(repeating: "x", count: 300))
            }
        }
    }

    @Test("a friend who restarts learns the away status on the next connection")
    func awayAfterRestart() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            try await alice.engine.setAway("gone fishing")
            let bobAgain = try await network.restart(bob)
            // A message makes the connection; the status travels with it.
            try await bobAgain.engine.send("are you there?", to: "alice")
            #expect(await bobAgain.events.first { $0 == .away(.changed(user: "alice", reason: "gone fishing")) } != nil)
        }
    }
}
