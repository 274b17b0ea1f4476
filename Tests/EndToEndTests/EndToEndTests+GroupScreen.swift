import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, a group line shows as sent once a member has it, (queued for N) while none has, and a left group is gone",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func groupLinesAtATerminal() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob, port) = try await Self.aliceAtTerminalWithFriendBobAndLocator(scenario)
            let carol = try await Self.friendOfAliceAtTerminal("carol", tmux, pane, scenario: scenario, locatorPort: port)

            try await tmux.press("/group create crew bob carol", "Enter", in: pane)
            try await bob.waitForEvent("group_created", ["group": "#crew"])
            try await carol.waitForEvent("group_created", ["group": "#crew"])

            // Everyone online has it at once: no (queued).
            try await tmux.press("/msg #crew hello crew", "Enter", in: pane)
            try await bob.waitForEvent("group_message", ["text": "hello crew"])
            try await carol.waitForEvent("group_message", ["text": "hello crew"])
            var screen = try await tmux.waitForScreen(pane, "the line to the group") { rows in
                rows.contains { $0.contains("#crew <alice> hello crew") }
            }
            var line = try #require(screen.first { $0.contains("#crew <alice> hello crew") })
            #expect(!line.contains("queued"), "\(screen.joined(separator: "\n"))")

            // carol goes: bob has the next line, so it is sent; /group info says carol still waits for it.
            try carol.send("/quit")
            _ = try await carol.waitForExit()
            try await tmux.waitForScreen(pane, "carol offline") { rows in rows.contains { $0.contains("carol is offline") } }
            try await tmux.press("/msg #crew only bob now", "Enter", in: pane)
            try await bob.waitForEvent("group_message", ["text": "only bob now"])
            screen = try await tmux.waitForScreen(pane, "the second line") { rows in
                rows.contains { $0.contains("#crew <alice> only bob now") }
            }
            line = try #require(screen.first { $0.contains("#crew <alice> only bob now") })
            #expect(!line.contains("queued"), "\(screen.joined(separator: "\n"))")
            try await tmux.press("/group info crew", "Enter", in: pane)
            screen = try await tmux.waitForScreen(pane, "the group's members") { rows in
                rows.contains { $0.contains("carol (offline, waits for 1 of your texts)") }
            }
            #expect(screen.contains { $0.hasPrefix("    bob (online)") }, "\(screen.joined(separator: "\n"))")

            // A line from bob while alice looks elsewhere counts on the prompt, until she leaves the group.
            try await bob.run("/msg #crew from bob", expecting: "sent")
            try await tmux.waitForScreen(pane, "the unread count") { rows in rows.last?.contains("+#crew:1") == true }

            // bob goes too: no member has the next line, and it says for how many it waits.
            try bob.send("/quit")
            _ = try await bob.waitForExit()
            try await tmux.waitForScreen(pane, "bob offline") { rows in rows.contains { $0.contains("bob is offline") } }
            try await tmux.press("/msg #crew anyone", "Enter", in: pane)
            try await tmux.waitForScreen(pane, "the queued line") { rows in
                rows.contains { $0.contains("#crew <alice> anyone (queued for 2)") }
            }

            try await tmux.press("/group leave crew", "Enter", in: pane)
            screen = try await tmux.waitForScreen(pane, "the leave") { rows in
                rows.contains { $0.contains("you are no longer in #crew") }
            }
            screen = try await tmux.waitForScreen(pane, "the prompt without the group's count") { rows in
                rows.last?.hasPrefix("[alice") == true && rows.last?.contains("#crew") == false
            }
            try await tmux.press("/group info crew", "Enter", in: pane)
            screen = try await tmux.waitForScreen(pane, "when alice left") { rows in
                rows.contains { $0.contains("-!- you left #crew at ") }
            }
            #expect(!screen.contains { $0.contains("has not got the group yet") }, "\(screen.joined(separator: "\n"))")
        }
    }
}
