import Foundation
import Testing

extension EndToEndTests {
    @Test("edits, a delete and a reply reach a friend who was offline, after a kill -9 of the sender, as lines a user reads")
    func editDeleteReply() async throws {
        try await Scenario.run { scenario in
            let (_, port, alice, bob) = try await Self.friends(in: scenario)

            // Bob goes; alice writes, changes her mind twice, and deletes her second message.
            let beforeLogout = alice.mark()
            try await bob.run("/logout", expecting: "logged_out", ["user": "bob"])
            try await alice.waitForEvent("presence", ["id": "bob", "online": "false"], after: beforeLogout)
            try await alice.run("/chat bob", expecting: "info")
            let first = try await alice.run("/msg bob see you at ten", expecting: "sent", ["to": "bob"])
            try await alice.run("/msg bob bring the cake", expecting: "sent", ["to": "bob"])
            let edited = try await alice.run("/edit 2 see you at eleven", expecting: "sent", ["to": "bob"])
            #expect(edited["id"] == first["id"], "/edit 2 is the message before the last")
            try await alice.run("/delete", expecting: "sent", ["to": "bob"])
            try await alice.run("/edit 3 no", expecting: "error", ["message": "you have only 1 message with bob: N counts back from your last one, 1 to 1"])
            let status = try await alice.run("/status", expecting: "status")
            #expect(status["queued"] == "4", "two messages, an edit and a delete wait for bob")

            // Everything alice queued is on disk: kill -9, and start her again.
            alice.signal(SIGKILL)
            #expect(try await alice.waitForExit() == 128 + SIGKILL)
            let aliceAgain = try await scenario.startClient("alice", locatorPort: port)
            try await Self.login(aliceAgain, as: "alice")

            // Bob comes back at a terminal-like, human-readable session.
            bob.closeInput()
            _ = try await bob.waitForExit()
            let bobAgain = try await scenario.startClient("bob", locatorPort: port, json: false)
            try bobAgain.send("/login bob")
            try await bobAgain.waitForLine("the edited message") { $0.hasSuffix("<alice> see you at eleven (edited)") }
            try await bobAgain.waitForLine("the deleted message") { $0.hasSuffix("<alice> [deleted]") }

            let beforeHistory = bobAgain.mark()
            try bobAgain.send("/chat alice")
            try bobAgain.send("/history")
            let numbered = try await bobAgain.waitForLine(after: beforeHistory, "the history") { $0.hasPrefix("1 [") }
            #expect(numbered.hasSuffix("<alice> see you at eleven (edited)"))
            try await bobAgain.waitForLine(after: beforeHistory, "the second line of the history") {
                $0.hasPrefix("2 [") && $0.hasSuffix("<alice> [deleted]")
            }
            // Edited and deleted while queued, the old texts never reached bob, live or in his history.
            #expect(!bobAgain.output.lines.contains { $0.contains("see you at ten") || $0.contains("cake") }, "\(bobAgain.report())")

            // Bad input gets one line each (on standard error); the reply after them still runs, and
            // quotes what it answers.
            try bobAgain.send("/reply 999 what?")
            try bobAgain.send("/delete")
            try bobAgain.send("/reply 1 eleven is fine")
            try await bobAgain.waitForLine(after: beforeHistory, "the reply") {
                $0.contains("<bob> [re alice: see you at eleven] eleven is fine")
            }
            let errors = bobAgain.errors.lines
            #expect(errors.contains("error: there is no message 999 with alice: /history alice shows the numbers"), "\(errors)")
            #expect(errors.contains("error: you have no message with alice to change"), "\(errors)")
            let reply = try await aliceAgain.waitForEvent("message", ["from": "bob", "text": "eleven is fine"])
            #expect(reply["reply_to"] == first["id"])
            let history = try await aliceAgain.run("/history bob", expecting: "history", ["with": "bob"])
            let messages = history.fields["messages"]?.array ?? []
            #expect(messages.map { $0["text"]?.text ?? "?" } == ["see you at eleven", "", "eleven is fine"], "\(history)")
            #expect(messages.map { $0["number"]?.text ?? "?" } == ["1", "2", "3"], "\(history)")

            bobAgain.closeInput()
            aliceAgain.closeInput()
            _ = try await bobAgain.waitForExit()
            #expect(try await aliceAgain.waitForExit() == 0, "\(aliceAgain.report())")
        }
    }
}
