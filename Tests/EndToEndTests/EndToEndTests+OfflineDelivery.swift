import Testing

extension EndToEndTests {
    @Test("a message to an offline friend is queued, and delivered exactly once when both are back")
    func offlineDelivery() async throws {
        try await Scenario.run { scenario in
            let (_, port, alice, bob) = try await Self.friends(in: scenario)

            // Bob logs out; alice sees him go, and her message can only be queued.
            let beforeLogout = alice.mark()
            try await bob.run("/logout", expecting: "logged_out", ["user": "bob"])
            try await alice.waitForEvent("presence", ["id": "bob", "online": "false"], after: beforeLogout)
            let sent = try await alice.run("/msg bob while you were away", expecting: "sent", ["to": "bob"])
            #expect(sent["delivery"] == "queued", "\(alice.report())")
            let id = try #require(sent["id"])
            let status = try await alice.run("/status", expecting: "status")
            #expect(status["queued"] == "1")
            alice.closeInput()
            #expect(try await alice.waitForExit() == 0, "\(alice.report())")

            // Bob comes back while alice is away: nothing can arrive yet.
            try await Self.login(bob, as: "bob")

            // Alice comes back (a new process on the same data): the queued message goes out.
            let aliceAgain = try await scenario.startClient("alice", locatorPort: port)
            try await Self.login(aliceAgain, as: "alice")
            try await aliceAgain.waitForEvent("delivered", ["to": "bob", "id": id])
            let received = try await bob.waitForEvent("message", ["from": "alice", "id": id])
            #expect(received["text"] == "while you were away")
            #expect(received["to"] == "bob")
            let queued = try await aliceAgain.run("/status", expecting: "status")
            #expect(queued["queued"] == "0")

            // Exactly once: one event, one history entry, also after everything settled.
            let history = try await bob.run("/history alice", expecting: "history", ["with": "alice"])
            let entries = history.fields["messages"]?.array ?? []
            #expect(entries.filter { $0["id"]?.text == id }.count == 1, "\(history)")
            #expect(entries.filter { $0["text"]?.text == "while you were away" }.count == 1, "\(history)")
            #expect(bob.events("message", ["id": id]).count == 1, "\(bob.report())")
            let aliceHistory = try await aliceAgain.run("/history bob", expecting: "history", ["with": "bob"])
            let mine = (aliceHistory.fields["messages"]?.array ?? []).filter { $0["id"]?.text == id }
            #expect(mine.count == 1 && mine.first?["delivery"]?.text == "delivered", "\(aliceHistory)")

            bob.closeInput()
            aliceAgain.closeInput()
            #expect(try await bob.waitForExit() == 0, "\(bob.report())")
            #expect(try await aliceAgain.waitForExit() == 0, "\(aliceAgain.report())")
        }
    }
}
