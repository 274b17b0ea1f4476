import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a colour terminal, bob and carol are painted in different colours of the 256-colour palette",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func nickColoursDiffer() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob, port) = try await Self.aliceAtTerminalWithFriendBobAndLocator(scenario, color: true)
            let carol = try await Self.friendOfAliceAtTerminal("carol", tmux, pane, scenario: scenario, locatorPort: port)

            try await bob.run("/msg alice hi from bob", expecting: "sent")
            try await carol.run("/msg alice hi from carol", expecting: "sent")
            try await tmux.waitForScreen(pane, "both messages") { rows in
                rows.contains { $0.contains("<bob> hi from bob") } && rows.contains { $0.contains("<carol> hi from carol") }
            }
            // With -e the rows keep their escape sequences: the one just before each id is its colour.
            let painted = try await tmux.tmux(["capture-pane", "-p", "-e", "-t", pane])
            func colour(of id: String) -> String? {
                guard let row = painted.first(where: { $0.contains("\(id)\u{1B}[") && $0.contains("hi from \(id)") }),
                    let pattern = try? Regex("\u{1B}\\[([0-9;]*)m\(id)\u{1B}\\["), let match = row.firstMatch(of: pattern)
                else { return nil }
                return match.output[1].substring.map(String.init)
            }
            let bobsColour = colour(of: "bob"), carolsColour = colour(of: "carol")
            #expect(bobsColour?.contains("38;5;") == true, "\(painted.joined(separator: "\n").debugDescription)")
            #expect(carolsColour?.contains("38;5;") == true, "\(painted.joined(separator: "\n").debugDescription)")
            #expect(bobsColour != carolsColour, "bob \(String(describing: bobsColour)), carol \(String(describing: carolsColour))")
        }
    }
}
