import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, Tab completes /file's friend and then its path, and Enter sends the file",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func interactiveFileCompletion() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            let source = scenario.path("outbox/photo.jpg")
            try Self.makeFile(source, megabytes: 1)
            let directory = source.deletingLastPathComponent().path

            try await tmux.type("/file b", into: pane)
            try await tmux.press("Tab", in: pane)
            try await tmux.waitForScreen(pane, "'/file bob '") { rows in rows.last?.hasSuffix("/file bob") == true }
            try await tmux.type("\(directory)/ph", into: pane)
            try await tmux.press("Tab", in: pane)
            try await tmux.waitForScreen(pane, "the completed path") { rows in rows.last?.hasSuffix("\(directory)/photo.jpg") == true }
            try await tmux.press("Enter", in: pane)

            let received = try await bob.waitForEvent("file_received", ["peer": "alice", "name": "photo.jpg"], timeout: .seconds(30))
            #expect(received["sha256"] == (try Self.sha256(source.path)))
            try await tmux.waitForScreen(pane, "the sent line") { rows in rows.contains { $0.contains("sent photo.jpg") } }
        }
    }
}
