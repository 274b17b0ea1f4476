import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, /help keys is one table whose second column lines up with /help's",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func helpKeysLinesUpWithHelp() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, _) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            try await tmux.tmux(["resize-window", "-t", pane, "-x", "160", "-y", "100"])
            try await tmux.press("C-l", in: pane)
            try await tmux.press("/help", "Enter", in: pane)
            let help = try await tmux.waitForScreen(pane, "the command list") { rows in
                rows.contains { $0.contains("/help COMMAND tells more") }
            }
            try await tmux.press("C-l", in: pane)
            try await tmux.press("/help keys", "Enter", in: pane)
            let keys = try await tmux.waitForScreen(pane, "the keys") { rows in
                rows.contains { $0.contains("keys at the prompt:") } && rows.contains { $0.contains("leave as /quit") }
            }
            let commands = Array(help.drop { !$0.contains("-!- commands:") }.dropFirst().prefix { $0.hasPrefix("    ") })
            let keyRows = Array(keys.drop { !$0.contains("keys at the prompt:") }.dropFirst().prefix { $0.hasPrefix("    ") })
            #expect(!commands.isEmpty && !keyRows.isEmpty, "\(help.joined(separator: "\n"))\n\(keys.joined(separator: "\n"))")
            let helpColumns = Set(commands.compactMap(Self.secondColumn))
            let keyColumns = Set(keyRows.compactMap(Self.secondColumn))
            #expect(helpColumns.count == 1, "\(commands.joined(separator: "\n"))")
            #expect(keyColumns == helpColumns, "\(keyRows.joined(separator: "\n"))\n\(commands.joined(separator: "\n"))")
        }
    }

    /// Where the second column of a table row starts: after the first gap of two spaces or more.
    private static func secondColumn(_ row: String) -> Int? {
        let characters = Array(row)
        var index = 4
        while index + 1 < characters.count, !(characters[index] == " " && characters[index + 1] == " ") { index += 1 }
        guard index + 1 < characters.count else { return nil }
        while index < characters.count, characters[index] == " " { index += 1 }
        return index
    }
}
