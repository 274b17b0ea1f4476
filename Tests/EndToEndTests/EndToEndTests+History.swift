import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, each user has their own history, and a password never enters it",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func historyPerUser() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, _) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            try await Self.enter("/whoami", in: pane, tmux) { $0.contains("-!- you are alice") }
            try await Self.enter("/logout", in: pane, tmux) { $0.contains("logged out (alice)") }

            // Carol, on the same data directory, starts with a history of her own: empty.
            try await Self.enter("/login carol \(Scenario.password)", in: pane, tmux, timeout: .seconds(30)) {
                $0.contains("logged in as carol")
            }
            try await tmux.waitForScreen(pane, "carol's prompt") { $0.last == "[carol]" }
            try await tmux.press("Up", in: pane)
            try await Task.sleep(for: .milliseconds(300))
            let carol = try await tmux.visibleRows(pane)
            #expect(carol.last == "[carol]", "Up showed a line carol never typed:\n\(carol.joined(separator: "\n"))")
            try await Self.enter("/logout", in: pane, tmux) { $0.contains("logged out (carol)") }

            // Alice gets hers back: her last lines, newest first.
            try await Self.enter("/login alice \(Scenario.password)", in: pane, tmux, timeout: .seconds(30)) {
                $0.contains("logged in as alice")
            }
            try await tmux.waitForScreen(pane, "alice's prompt") { $0.last == "[alice]" }
            try await tmux.press("Up", in: pane)
            try await tmux.waitForScreen(pane, "alice's last line") { $0.last == "[alice] /logout" }
            try await tmux.press("Up", in: pane)
            try await tmux.waitForScreen(pane, "the line before") { $0.last == "[alice] /whoami" }

            // No history file holds the password.
            let files = FileManager.default.enumerator(atPath: scenario.path("alice").path)?
                .compactMap { $0 as? String }.filter { $0.hasSuffix("history") } ?? []
            #expect(files.count >= 3, "the shell's, alice's and carol's history files: \(files)")
            for file in files {
                let text = try String(contentsOf: scenario.path("alice").appendingPathComponent(file), encoding: .utf8)
                #expect(!text.contains(Scenario.password), "\(file) holds the password")
            }
        }
    }

    /// Types `line`, presses Enter, and waits until a row of the screen satisfies `shown`.
    private static func enter(
        _ line: String, in pane: String, _ tmux: Tmux, timeout: Duration = .seconds(10), shown: @escaping (String) -> Bool
    ) async throws {
        try await tmux.type(line, into: pane)
        try await tmux.press("Enter", in: pane)
        try await tmux.waitForScreen(pane, "after \(line.prefix(20))", timeout: timeout) { rows in rows.contains(where: shown) }
    }
}
