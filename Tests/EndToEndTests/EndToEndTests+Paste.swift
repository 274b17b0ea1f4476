import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, lines arriving together are a paste even when the terminal does not mark it: a pasted /remove asks first",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func unmarkedPasteAsksFirst() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)

            // A command and its Return in one go is typing, not a paste: it runs at once.
            try await tmux.press("/friends", "Enter", in: pane)
            try await tmux.waitForScreen(pane, "the friend list") { rows in rows.contains { $0.hasPrefix("-!- friends:") } }

            // Five lines in one send-keys call arrive as a paste does without bracketed paste.
            try await tmux.press(
                "first line", "Enter", "second line", "Enter", "/remove bob", "Enter", "fourth line", "Enter", "fifth line",
                "Enter", in: pane)
            let asked = try await tmux.waitForScreen(pane, "the paste question") { rows in
                rows.last?.hasPrefix("paste 5 lines? (y)es, (n)o") == true
            }
            #expect(!asked.contains { $0.contains("no longer your friend") }, "\(asked.joined(separator: "\n"))")

            try await tmux.type("n", into: pane)
            let answered = try await tmux.waitForScreen(pane, "the paste dropped") { rows in
                rows.contains { $0.contains("paste of 5 lines dropped") } && rows.last?.hasPrefix("[alice") == true
            }
            let shown = answered.joined(separator: "\n")
            #expect(!answered.contains { $0.contains("no longer your friend") }, "\(shown)")
            #expect(!answered.contains { $0.contains("first line") }, "no pasted line ran as typed:\n\(shown)")

            // bob is still alice's friend, as his own client sees it.
            let friends = try await bob.run("/friends", expecting: "friends")
            let ids = (friends.fields["friends"]?.array ?? []).compactMap { $0["id"]?.text }
            #expect(ids == ["alice"], "\(friends)")
            #expect(bob.events("friend_removed").isEmpty, "\(bob.report())")
        }
    }
}
