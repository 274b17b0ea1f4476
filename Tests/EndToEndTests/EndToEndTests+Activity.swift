import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal: lines say where they went, the prompt counts unread live, the bell rings, /chat replays unread",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func activityAtTheTerminal() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)

            // Outside a conversation, your own line names whom it went to.
            try await tmux.type("/msg bob to you", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "alice's line to bob") { $0.contains { $0.hasSuffix("<alice→bob> to you") } }

            // In the conversation with bob, his message is read at once: no count, no bell.
            try await tmux.type("/chat bob", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "the conversation") { $0.last?.hasPrefix("[alice→bob]") == true }
            try await bob.run("/msg alice seen at once", expecting: "sent", ["to": "alice"])
            try await tmux.waitForScreen(pane, "bob's message") { $0.contains { $0.hasSuffix("<bob> seen at once") } }
            #expect(try await tmux.display("#{window_bell_flag}", pane) == "0", "a message in the conversation rang")

            // Elsewhere, each message counts in the prompt as it arrives, without a key pressed, and rings.
            try await tmux.type("/chat", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "no conversation") { $0.last == "[alice]" }
            for text in ["one", "two", "three"] {
                try await bob.run("/msg alice \(text)", expecting: "sent", ["to": "alice"])
            }
            try await tmux.waitForScreen(pane, "three unread in the prompt") { $0.last == "[alice +bob:3]" }
            #expect(try await tmux.display("#{window_bell_flag}", pane) == "1", "a message elsewhere did not ring")

            // /chat bob shows the three under a marker, once, and the count goes.
            try await tmux.type("/chat bob", into: pane)
            try await tmux.press("Enter", in: pane)
            let screen = try await tmux.waitForScreen(pane, "the unread messages") { $0.last == "[alice→bob]" }
            let marker = try #require(screen.lastIndex(of: "--- unread ---"), "\(screen.joined(separator: "\n"))")
            #expect(
                screen[(marker + 1)...].prefix(3).map { $0.split(separator: " ").suffix(2).joined(separator: " ") }
                    == ["<bob> one", "<bob> two", "<bob> three"],
                "\(screen.joined(separator: "\n"))")
        }
    }

    @Test(
        "at a terminal: a pasted block asks first and never runs a command unasked; Tab cycles ids in text",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func pasteAndIDCompletion() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            try await tmux.type("/chat bob", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "the conversation") { $0.last?.hasPrefix("[alice→bob]") == true }

            // Three lines, one of them a command: the shell asks, and "n" drops them all.
            try await tmux.tmux(["set-buffer", "-b", "block", "/remove bob\nsecond line\nthird line\n"])
            try await tmux.tmux(["paste-buffer", "-p", "-b", "block", "-t", pane])
            try await tmux.waitForScreen(pane, "the question") {
                $0.last == "paste 3 lines to bob? (y)es, (n)o, (o)ne message"
            }
            try await tmux.type("n", into: pane)
            try await tmux.waitForScreen(pane, "the paste dropped") { $0.contains { $0.hasSuffix("paste of 3 lines dropped") } }

            // "o" sends the block as one message, the /remove in it as text.
            try await tmux.tmux(["paste-buffer", "-p", "-b", "block", "-t", pane])
            try await tmux.waitForScreen(pane, "the question again") { $0.last?.hasPrefix("paste 3 lines to bob?") == true }
            try await tmux.type("o", into: pane)
            try await bob.waitForEvent("message", ["from": "alice", "text": "/remove bob\nsecond line\nthird line"])
            try await tmux.type("/friends", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "bob still a friend") { $0.contains { $0.hasPrefix("    bob (online") } }

            // Tab at the start of a line: "bob: "; in the middle: "bob ".
            try await tmux.type("b", into: pane)
            try await tmux.press("Tab", in: pane)
            try await tmux.waitForScreen(pane, "bob: at the start") { $0.last == "[alice→bob] bob:" }
            try await tmux.type("hi b", into: pane)
            try await tmux.press("Tab", in: pane)
            try await tmux.waitForScreen(pane, "bob in the text") { $0.last == "[alice→bob] bob: hi bob" }
            let cursor = try await tmux.display("#{cursor_x}", pane)
            #expect(cursor == "\("[alice→bob] bob: hi bob ".count)", "the cursor stands after 'bob '")
        }
    }

    @Test(
        "at a terminal, Alt-A, Alt-1 and Ctrl-N switch conversations and keep the half-typed line; /help keys lists them",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func conversationKeys() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            try await bob.run("/msg alice are you there", expecting: "sent", ["to": "alice"])
            try await tmux.waitForScreen(pane, "the unread count") { $0.last == "[alice +bob:1]" }

            try await tmux.type("half", into: pane)
            try await tmux.press("M-a", in: pane)
            let screen = try await tmux.waitForScreen(pane, "the oldest unread conversation") { $0.last == "[alice→bob] half" }
            #expect(screen.contains("--- unread ---"), "\(screen.joined(separator: "\n"))")

            try await tmux.press("C-u", in: pane)
            try await tmux.type("/chat", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "no conversation") { $0.last == "[alice]" }
            try await tmux.press("M-1", in: pane)
            try await tmux.waitForScreen(pane, "the first conversation") { $0.last == "[alice→bob]" }
            try await tmux.type("/chat", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "no conversation again") { $0.last == "[alice]" }
            try await tmux.press("C-n", in: pane)
            try await tmux.waitForScreen(pane, "the next conversation") { $0.last == "[alice→bob]" }

            try await tmux.type("/help keys", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "the keys") { rows in rows.contains { $0.contains("Alt-A") && $0.contains("oldest unread") } }
        }
    }
}
