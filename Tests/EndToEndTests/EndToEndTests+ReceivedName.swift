import Foundation
import Testing

extension EndToEndTests {
    @Test(
        "at a terminal, a file that arrives under a name already taken is named as saved, with its folder",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func receivedLineNamesTheSavedFile() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            let source = scenario.path("outbox/photo.jpg")
            try Self.makeFile(source, megabytes: 1)

            // Twice the same name, each taken without asking (under alice's auto-accept size).
            try await bob.run("/file alice \(source.path)", expecting: "file_sent", timeout: .seconds(60))
            try await tmux.waitForScreen(pane, "the first file") { rows in rows.contains { $0.contains("received photo.jpg (") } }
            try await bob.run("/file alice \(source.path)", expecting: "file_sent", timeout: .seconds(60))
            let folder = scenario.path("alice").path
            let joined = await poll(timeout: .seconds(15), every: .milliseconds(100)) { () -> [String]? in
                // -J joins the rows the terminal wrapped, so a long line reads as one.
                guard let rows = try? await tmux.tmux(["capture-pane", "-p", "-J", "-t", pane]),
                    rows.contains(where: { $0.contains("received photo (1).jpg") })
                else { return nil }
                return rows
            }
            let screen = try await tmux.screen(pane).joined(separator: "\n")
            let line = try #require(joined?.first { $0.contains("received photo (1).jpg") }, "no line for the second file:\n\(screen)")
            #expect(line.contains("received photo (1).jpg (sent as photo.jpg) (1.05 MB, sha256 "), "\(line)")
            let directory = try #require(line.range(of: "…) in ").map { String(line[$0.upperBound...]) }, "\(line)")
            #expect(directory.hasPrefix(folder), "the folder is alice's downloads: \(line)")
            #expect(FileManager.default.fileExists(atPath: directory + "/photo (1).jpg"), "\(line)")
            #expect(try Self.sha256(directory + "/photo (1).jpg") == (try Self.sha256(source.path)))
        }
    }
}
