import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, a line of yours still waiting for its ack stays above what arrives meanwhile",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func ownLineStaysAboveWhatCameLater() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob, port) = try await Self.aliceAtTerminalWithFriendBobAndLocator(scenario)
            let carol = try await Self.friendOfAliceAtTerminal("carol", tmux, pane, scenario: scenario, locatorPort: port)
            try await tmux.press("/chat bob", "Enter", in: pane)
            try await tmux.waitForScreen(pane, "the conversation") { rows in rows.last?.hasPrefix("[alice→bob]") == true }

            // bob stops answering (still online, connection open): alice's line waits for its ack.
            bob.signal(SIGSTOP)
            defer { bob.signal(SIGCONT) }
            try await tmux.press("are you there", "Enter", in: pane)
            try await tmux.waitForScreen(pane, "the line taken from the prompt") { rows in rows.last == "[alice→bob]" }
            try await carol.run("/msg alice carol here", expecting: "sent", ["delivery": "delivered"])

            let screen = try await tmux.waitForScreen(pane, "both lines", timeout: .seconds(30)) { rows in
                rows.contains { $0.contains("<alice> are you there") } && rows.contains { $0.contains("<carol> carol here") }
            }
            let shown = screen.joined(separator: "\n")
            let mine = try #require(screen.firstIndex { $0.contains("<alice> are you there") })
            let hers = try #require(screen.firstIndex { $0.contains("<carol> carol here") })
            #expect(mine < hers, "alice typed hers first:\n\(shown)")
            #expect(screen.last?.hasPrefix("[alice→bob") == true, "\(shown)")
        }
    }
}
