import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, an incoming message prints above a half-typed line, which survives; Tab completes a friend",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func interactiveShell() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)

            // Any line, so that nothing below depends on what the shell learnt while no line ran.
            try await tmux.type("/friends", into: pane)
            try await tmux.press("Enter", in: pane)
            try await tmux.waitForScreen(pane, "the friend list") { rows in rows.contains { $0.hasPrefix("-!- friends:") } }

            // A half-typed line, then a message arrives.
            try await tmux.type("/msg bob half typ", into: pane)
            try await tmux.waitForScreen(pane, "the half-typed line") { rows in rows.last?.hasSuffix("/msg bob half typ") == true }
            let sent = try await bob.run("/msg alice hello from bob", expecting: "sent", ["to": "alice"])
            #expect(sent["delivery"] == "delivered", "\(bob.report())")
            let screen = try await tmux.waitForScreen(pane, "bob's message above the prompt") { rows in
                rows.contains { $0.contains("<bob> hello from bob") }
            }
            let shown = screen.joined(separator: "\n")
            let messageRow = try #require(screen.lastIndex { $0.contains("<bob> hello from bob") })
            let promptRow = screen.count - 1
            #expect(messageRow < promptRow, "the message is above the prompt:\n\(shown)")
            #expect(screen[promptRow].hasPrefix("[alice"), "the prompt shows who I am:\n\(shown)")
            #expect(screen[promptRow].hasSuffix("/msg bob half typ"), "the typed text is intact:\n\(shown)")
            #expect(!screen[messageRow].contains("half typ"), "the message is not mixed into the line:\n\(shown)")
            #expect(screen.filter { $0.contains("half typ") }.count == 1, "no stale copy of the line is left:\n\(shown)")

            // Finishing the line sends what was typed before and after the interruption.
            try await tmux.type("ed", into: pane)
            try await tmux.press("Enter", in: pane)
            try await bob.waitForEvent("message", ["from": "alice", "text": "half typed"])

            // Tab completes a friend's id and adds a space.
            try await Self.expectTabCompletesBob(tmux, pane)
        }
    }

    @Test(
        "at a terminal, Tab completes a friend added since the last line was entered",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func interactiveCompletionOfNewFriend() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, _) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            // Bob became a friend after alice's last Enter (/add bob): Tab must know him already.
            try await Self.expectTabCompletesBob(tmux, pane, timeout: .seconds(3))
        }
    }

    /// A locator, bob as a scripted client, and alice at a terminal (a tmux pane, 100×30, no colours)
    /// who logs in, asks bob to be her friend, and sees him accept.
    static func aliceAtTerminalWithFriendBob(
        _ scenario: Scenario
    ) async throws -> (tmux: Tmux, pane: String, bob: ChildProcess) {
        let (tmux, pane, bob, _) = try await aliceAtTerminalWithFriendBobAndLocator(scenario)
        return (tmux, pane, bob)
    }

    /// As `aliceAtTerminalWithFriendBob`, and the locator's port, for more clients; with `color`, the
    /// shell paints as it does at a colour terminal.
    static func aliceAtTerminalWithFriendBobAndLocator(
        _ scenario: Scenario, color: Bool = false
    ) async throws -> (tmux: Tmux, pane: String, bob: ChildProcess, locatorPort: Int) {
        let (_, port) = try await scenario.startLocator()
        let bob = try await scenario.startClient("bob", locatorPort: port)
        try await login(bob, as: "bob")

        let tmux = try Tmux(scenario: scenario)
        let pane = try await userAtTerminal("alice", tmux, scenario: scenario, locatorPort: port, color: color)
        try await tmux.type("/add bob", into: pane)
        try await tmux.press("Enter", in: pane)
        try await bob.waitForEvent("friend_request", ["from": "alice"])
        try bob.send("/accept alice")
        try await tmux.waitForScreen(pane, "bob is now a friend") { rows in rows.contains { $0.contains("bob is now your friend") } }
        return (tmux, pane, bob, port)
    }

    /// `name` at a terminal (a pane of `tmux` named after them, 100×30, no colours unless `color`), logged in.
    static func userAtTerminal(
        _ name: String, _ tmux: Tmux, scenario: Scenario, locatorPort: Int, color: Bool = false
    ) async throws -> String {
        let command = (
            (color ? ["exec", "env", "-u", "NO_COLOR", "COLORFGBG=15;0", scenario.binary.path] : ["exec", "env", "NO_COLOR=1", scenario.binary.path, "--no-color"])
                + ["--locator", "127.0.0.1:\(locatorPort)", "--listen", "127.0.0.1:0", "--data-dir", scenario.path(name).path]
        ).map(shellQuoted).joined(separator: " ")
        try await tmux.newSession(name, width: 100, height: 30, command: command)
        if let pid = Int32(try await tmux.display("#{pane_pid}", name)) {
            scenario.onTearDown { _ = kill(pid, SIGKILL) }
        }
        try await tmux.waitForScreen(name, "the greeting") { rows in rows.contains { $0.contains("/login ID to start") } }
        try await tmux.type("/login \(name) \(Scenario.password)", into: name)
        try await tmux.press("Enter", in: name)
        try await tmux.waitForScreen(name, "the login", timeout: .seconds(30)) { rows in
            rows.contains { $0.contains("logged in as \(name)") }
        }
        return name
    }

    /// Starts `name` as a scripted client and makes them alice's friend from her terminal (`/add`, accepted).
    static func friendOfAliceAtTerminal(
        _ name: String, _ tmux: Tmux, _ pane: String, scenario: Scenario, locatorPort: Int
    ) async throws -> ChildProcess {
        let friend = try await scenario.startClient(name, locatorPort: locatorPort)
        try await login(friend, as: name)
        try await tmux.press("/add \(name)", "Enter", in: pane)
        try await friend.waitForEvent("friend_request", ["from": "alice"])
        try friend.send("/accept alice")
        try await tmux.waitForScreen(pane, "\(name) as a friend") { rows in rows.contains { $0.contains("\(name) is now your friend") } }
        return friend
    }

    /// Types `/msg b` and Tab: the line must read `/msg bob ` with the cursor after the space.
    private static func expectTabCompletesBob(_ tmux: Tmux, _ pane: String, timeout: Duration = .seconds(10)) async throws {
        try await tmux.type("/msg b", into: pane)
        try await tmux.waitForScreen(pane, "the typed '/msg b'") { rows in rows.last?.hasSuffix("/msg b") == true }
        try await tmux.press("Tab", in: pane)
        let completed = await poll(timeout: timeout, every: .milliseconds(100)) { () -> [String]? in
            guard let rows = try? await tmux.visibleRows(pane), rows.last?.hasSuffix("/msg bob") == true else { return nil }
            return rows
        }
        let screen = try await tmux.visibleRows(pane)
        #expect(completed != nil, "Tab did not complete '/msg b' to '/msg bob '; the pane shows:\n\(screen.joined(separator: "\n"))")
        guard let prompt = completed?.last else { return }
        let cursor = Int(try await tmux.display("#{cursor_x}", pane))
        #expect(cursor == prompt.count + 1, "the cursor stands after 'bob ' (column \(String(describing: cursor))): \(prompt)")
    }

    /// `word` in single quotes for `sh`.
    static func shellQuoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
