import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, Ctrl-R starts from the newest line, keeps its line through incoming messages, and arrows and Enter leave it cleanly",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func reverseSearch() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            // Each line waits for the one before to be answered: lines that reach a busy shell
            // together are a paste, which it asks about.
            for (line, answer) in [("/whoami", "-!- you are alice"), ("/status", "-!- logged in as alice"), ("/friends", "-!- friends:")] {
                try await tmux.type(line, into: pane)
                try await tmux.press("Enter", in: pane)
                try await tmux.waitForScreen(pane, "the answer to \(line)") { rows in rows.contains { $0.hasPrefix(answer) } }
            }

            try await tmux.press("C-r", in: pane)
            try await tmux.type("who", into: pane)
            try await tmux.waitForScreen(pane, "the match") { $0.last == "(reverse-i-search)'who': /whoami" }

            // A message during the search prints above it; the search line is drawn again, once.
            try await bob.run("/msg alice while searching", expecting: "sent", ["to": "alice"])
            let screen = try await tmux.waitForScreen(pane, "bob's message") { rows in
                rows.contains { $0.hasSuffix("<bob> while searching") }
            }
            #expect(screen.last == "(reverse-i-search)'who': /whoami", "\(screen.joined(separator: "\n"))")
            #expect(screen.filter { $0.contains("reverse-i-search") }.count == 1, "\(screen.joined(separator: "\n"))")

            // An arrow leaves the search with the match to edit, and is not typed as "[C".
            try await tmux.press("Right", in: pane)
            try await tmux.waitForScreen(pane, "the line to edit") { $0.last == "[alice +bob:1] /whoami" }
            try await tmux.press("C-u", in: pane)
            try await tmux.waitForScreen(pane, "an empty line") { $0.last == "[alice +bob:1]" }

            // The next search starts from the newest line again, and Enter runs the match.
            try await tmux.press("C-r", in: pane)
            try await tmux.type("/", into: pane)
            try await tmux.waitForScreen(pane, "the newest line") { $0.last == "(reverse-i-search)'/': /friends" }
            try await tmux.press("C-r", in: pane)
            try await tmux.waitForScreen(pane, "the one before") { $0.last == "(reverse-i-search)'/': /status" }
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "the status") { rows in
                rows.contains { $0.hasPrefix("-!- logged in as alice, locator connected") } && rows.last == "[alice +bob:1]"
            }
        }
    }
}
