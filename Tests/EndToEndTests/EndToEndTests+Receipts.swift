import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "read receipts and typing through the built program: alice at a terminal reads bob's message and types to him; bob, who shares both, gets read and typing events",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func receiptsAndTypingReachAFriendWhoSharesThem() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            for setting in ["/set receipts on", "/set typing on"] {
                try await tmux.press(setting, "Enter", in: pane)
                try await bob.run(setting, expecting: "info")
            }
            try await tmux.waitForScreen(pane, "both settings") { rows in rows.contains("-!- typing = on") }
            try await tmux.press("/chat bob", "Enter", in: pane)
            try await tmux.waitForScreen(pane, "the conversation") { rows in rows.last == "[alice→bob]" }

            // alice has bob in front: his message is read as it arrives, and he learns it.
            let sent = try await bob.run("/msg alice are you there?", expecting: "sent", ["to": "alice"])
            let id = try #require(sent["id"])
            try await bob.waitForEvent("read", ["from": "alice", "id": id])

            // Keys in bob's query say "typing"; clearing the line says it stopped.
            try await tmux.type("almost", into: pane)
            try await bob.waitForEvent("typing", ["from": "alice", "active": "true"])
            let typing = bob.mark()
            try await tmux.press("C-u", in: pane)
            try await bob.waitForEvent("typing", ["from": "alice", "active": "false"], after: typing)

            // bob's side: /history marks how far alice read.
            let history = try await bob.run("/history alice", expecting: "history")
            #expect(history["read_up_to"] == id, "\(bob.report())")
        }
    }

    @Test(
        "at a terminal, a friend typing shows in the prompt as [alice→bob …] and stops when the line is cleared, sent, or keys stop",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func typingShowsInThePrompt() async throws {
        try await Scenario.run { scenario in
            let (tmux, alice, bobScripted, port) = try await Self.aliceAtTerminalWithFriendBobAndLocator(scenario)
            // bob at a terminal too: the scripted bob logs out, and bob logs in in a pane of his own.
            try bobScripted.send("/quit")
            _ = try await bobScripted.waitForExit()
            let bob = try await Self.userAtTerminal("bob", tmux, scenario: scenario, locatorPort: port)
            for (pane, peer) in [(alice, "bob"), (bob, "alice")] {
                try await tmux.press("/set typing on", "Enter", in: pane)
                try await tmux.press("/chat \(peer)", "Enter", in: pane)
                try await tmux.waitForScreen(pane, "the conversation with \(peer)") { rows in
                    rows.last?.hasSuffix("→\(peer)]") == true && rows.contains("-!- typing = on")
                }
            }

            try await tmux.type("hello ali", into: bob)
            try await tmux.waitForScreen(alice, "bob typing") { rows in rows.last == "[alice→bob …]" }
            try await tmux.press("C-u", in: bob)
            try await tmux.waitForScreen(alice, "bob no longer typing") { rows in rows.last == "[alice→bob]" }

            try await tmux.type("hi there", into: bob)
            try await tmux.waitForScreen(alice, "bob typing again") { rows in rows.last == "[alice→bob …]" }
            try await tmux.press("Enter", in: bob)
            let screen = try await tmux.waitForScreen(alice, "bob's message, and no more typing") { rows in
                rows.last == "[alice→bob]" && rows.contains { $0.hasSuffix("<bob> hi there") }
            }
            #expect(!screen.contains { $0.contains("is typing") || $0.contains("stopped typing") }, "typing is no line:\n\(screen.joined(separator: "\n"))")

            // One key and no more: bob's side says it stopped after 5 seconds.
            try await tmux.type("h", into: bob)
            try await tmux.waitForScreen(alice, "bob typing one key") { rows in rows.last == "[alice→bob …]" }
            try await tmux.waitForScreen(alice, "the indicator gone without a key", timeout: .seconds(20)) { rows in
                rows.last == "[alice→bob]"
            }
        }
    }
}
