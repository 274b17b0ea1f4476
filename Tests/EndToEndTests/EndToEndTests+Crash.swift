import Foundation
import Testing

extension EndToEndTests {
    @Test("kill -9 of both clients right after delivery loses nothing and duplicates nothing")
    func killNineLosesNothing() async throws {
        try await Scenario.run { scenario in
            let (_, port, alice, bob) = try await Self.friends(in: scenario)

            let text = "this must survive kill -9"
            let start = alice.mark()
            try alice.send("/msg bob \(text)")
            // Bob has stored it once he prints it: kill him at once, before he can do anything else.
            let received = try await bob.waitForEvent("message", ["from": "alice", "text": text])
            bob.signal(SIGKILL)
            let sent = try await alice.waitForEvent("sent", ["to": "bob"], after: start)
            #expect(sent["id"] == received["id"])
            let id = try #require(sent["id"])
            // Bob acknowledges right after storing; if his ack still went out before the kill,
            // alice has it on record now, and her process dies too.
            let acked = sent["delivery"] == "delivered"
            alice.signal(SIGKILL)
            #expect(try await bob.waitForExit() == 128 + SIGKILL)
            #expect(try await alice.waitForExit() == 128 + SIGKILL)

            // Both start again on the same data directories.
            let bobAgain = try await scenario.startClient("bob", locatorPort: port)
            try await Self.login(bobAgain, as: "bob")
            let aliceAgain = try await scenario.startClient("alice", locatorPort: port)
            try await Self.login(aliceAgain, as: "alice")
            // alice records acks in batches after `send` was answered: the kill may have beaten
            // bob's ack (rare) or her record of it. Either way she still has the message queued
            // and sends it again; bob recognises it and only acknowledges. Nothing is lost.
            var status = try await aliceAgain.run("/status", expecting: "status")
            if !acked || status["queued"] != "0" {
                try await aliceAgain.waitForEvent("delivered", ["to": "bob", "id": id], timeout: .seconds(40))
                status = try await aliceAgain.run("/status", expecting: "status")
            }

            let bobHistory = try await bobAgain.run("/history alice", expecting: "history", ["with": "alice"])
            let stored = (bobHistory.fields["messages"]?.array ?? []).filter { $0["id"]?.text == id }
            #expect(stored.count == 1, "bob's history: \(bobHistory)")
            #expect(stored.first?["text"]?.text == text)

            #expect(status["queued"] == "0", "\(status)")
            let aliceHistory = try await aliceAgain.run("/history bob", expecting: "history", ["with": "bob"])
            let mine = (aliceHistory.fields["messages"]?.array ?? []).filter { $0["id"]?.text == id }
            #expect(mine.count == 1, "alice's history: \(aliceHistory)")
            #expect(mine.first?["delivery"]?.text == "delivered")
            // Nothing shows up again as a new message after the restart.
            #expect(bobAgain.events("message", ["id": id]).isEmpty, "\(bobAgain.report())")
        }
    }
}

extension EndToEndTests {
    @Test("kill -9 of the receiver while it stores a burst in shared commits: every message once, in order")
    func killNineDuringGroupCommit() async throws {
        try await Scenario.run { scenario in
            let (_, port, alice, bob) = try await Self.friends(in: scenario)

            // bob goes away; alice queues a burst for him.
            let before = alice.mark()
            try await bob.run("/logout", expecting: "logged_out", ["user": "bob"])
            try await alice.waitForEvent("presence", ["id": "bob", "online": "false"], after: before, timeout: .seconds(30))
            let texts = (1...150).map { "burst message \($0)" }
            let queuedFrom = alice.mark()
            for text in texts { try alice.send("/msg bob \(text)") }
            _ = await poll(timeout: .seconds(60)) { alice.events("sent").filter { $0.index >= queuedFrom }.count == texts.count ? true : nil }
            #expect(alice.events("sent", ["delivery": "queued"]).filter { $0.index >= queuedFrom }.count == texts.count)

            // bob comes back: the burst arrives at once and is stored in shared commits. Kill him
            // as soon as the first of it is on his disk, while the rest is being written.
            let arrivals = bob.mark()
            try bob.send("/login bob")
            try await bob.waitForEvent("message", ["from": "alice"], after: arrivals, timeout: .seconds(30))
            bob.signal(SIGKILL)
            #expect(try await bob.waitForExit() == 128 + SIGKILL)
            let shownBeforeKill = bob.events("message", ["from": "alice"]).compactMap { $0["text"] }
            print("group-commit kill: bob had shown \(shownBeforeKill.count) of \(texts.count) messages when killed")

            let bobAgain = try await scenario.startClient("bob", locatorPort: port)
            try await Self.login(bobAgain, as: "bob")
            // alice sends again whatever bob had not acked; he stores it once.
            let drained: Bool? = try await poll(timeout: .seconds(60), every: .milliseconds(500)) {
                let status = try await alice.run("/status", expecting: "status")
                return status["queued"] == "0" ? true : nil
            }
            #expect(drained == true, "alice still has messages queued: \(alice.report())")

            let history = try await bobAgain.run("/history alice 500", expecting: "history", ["with": "alice"])
            let stored = (history.fields["messages"]?.array ?? []).compactMap { $0["text"]?.text }.filter { $0.hasPrefix("burst") }
            #expect(stored == texts, "each message once, in alice's order; \(shownBeforeKill.count) were shown before the kill")
            // A message stored just before the kill is not shown again after the restart.
            let shown = shownBeforeKill + bobAgain.events("message", ["from": "alice"]).compactMap { $0["text"] }
            #expect(Set(shown).count == shown.count, "a message was shown twice")
        }
    }
}
