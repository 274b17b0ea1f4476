import Testing

extension EndToEndTests {
    @Test("messages from a friend you are not talking to are unread; in the current conversation they are read")
    func unreadMarks() async throws {
        try await Scenario.run { scenario in
            let (_, _, alice, bob) = try await Self.friends(in: scenario)

            try await bob.run("/msg alice one for later", expecting: "sent", ["to": "alice"])
            try await alice.waitForEvent("message", ["from": "bob", "text": "one for later"])
            let before = try await alice.run("/friends", expecting: "friends")
            let bobBefore = (before.fields["friends"]?.array ?? []).first { $0["id"]?.text == "bob" }
            #expect(bobBefore?["unread"]?.text == "1", "\(before)")

            // Talking to bob: what he writes now is read as it arrives, and /history reads the rest.
            try await alice.run("/chat bob", expecting: "info")
            try await alice.run("/history bob", expecting: "history", ["with": "bob"])
            try await bob.run("/msg alice and one now", expecting: "sent", ["to": "alice"])
            try await alice.waitForEvent("message", ["from": "bob", "text": "and one now"])
            let after = try await alice.run("/friends", expecting: "friends")
            let bobAfter = (after.fields["friends"]?.array ?? []).first { $0["id"]?.text == "bob" }
            #expect(bobAfter?["unread"]?.text == "0", "\(after)")
        }
    }
}
