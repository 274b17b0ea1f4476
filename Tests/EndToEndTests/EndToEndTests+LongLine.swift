import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, a 10,000-character line entered leaves no row of itself on screen: only the message and the prompt",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func longLineRedrawsCleanly() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            try await tmux.press("/chat bob", "Enter", in: pane)
            try await tmux.waitForScreen(pane, "the conversation") { rows in rows.last?.hasPrefix("[alice→bob]") == true }

            let text = String(repeating: "x", count: 9_999) + "y"
            try await tmux.type(text, into: pane)
            try await tmux.waitForScreen(pane, "the end of the typed line") { rows in rows.last?.hasSuffix("xxy") == true }
            try await tmux.press("Enter", in: pane)
            try await bob.waitForEvent("message", ["from": "alice"], timeout: .seconds(30))
            let screen = try await tmux.waitForScreen(pane, "the message and a fresh prompt") { rows in
                rows.last == "[alice→bob]" && rows.contains { $0.hasSuffix("xxy") }
            }
            let shown = screen.joined(separator: "\n")
            // Every row of x's is a row of the message: its first (`<alice>`) or one indented under its text.
            let indent = String(repeating: " ", count: "[00:00] <alice> ".count)
            for row in screen where row.contains("xx") {
                #expect(row.contains("<alice> x") || row.hasPrefix(indent + "x"), "a row of the typed line is left:\n\(shown)")
            }
            #expect(!screen.dropLast().contains { $0.hasPrefix("[alice") }, "no stale prompt above the message:\n\(shown)")

            // Nor in tmux's history: what the shell wiped is not kept there as a screen it cleared.
            let history = try await tmux.tmux(["capture-pane", "-p", "-S", "-", "-t", pane])
            let message = try #require(history.lastIndex { $0.contains("<alice> x") }, "\(history.suffix(40).joined(separator: "\n"))")
            let above = history[..<message].last { !$0.allSatisfy(\.isWhitespace) } ?? ""
            #expect(!above.hasPrefix("[alice→bob]"), "a stale prompt above the message in the history:\n\(history[..<message].suffix(5).joined(separator: "\n"))")
        }
    }
}
