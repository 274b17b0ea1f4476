import Foundation
import TestSupport
import Testing

extension EndToEndTests {
    /// A file of `megabytes` MiB of varied bytes (so that a misplaced block changes the hash).
    static func makeFile(_ url: URL, megabytes: Int) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var state: UInt32 = 2_463_534_242
        for index in block.indices {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            block[index] = UInt8(truncatingIfNeeded: state)
        }
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        for number in 0..<megabytes {
            block[0] = UInt8(truncatingIfNeeded: number)
            block[1] = UInt8(truncatingIfNeeded: number >> 8)
            try handle.write(contentsOf: block)
        }
    }

    /// `sha256sum`'s answer for the file at `path`.
    static func sha256(_ path: String) throws -> String {
        let output = try SpawnedProcess.run("/usr/bin/sha256sum", [path]).output
        return output.split(separator: " ").first.map(String.init) ?? ""
    }

    static func fileSize(_ path: String) -> Int64 {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
    }

    @Test("/file sends 10 MB that arrives verified; /files and /wait file_received see it")
    func tenMegabytes() async throws {
        try await Scenario.run { scenario in
            let (_, _, alice, bob) = try await Self.friends(in: scenario)
            let source = scenario.path("outbox/report.bin")
            try Self.makeFile(source, megabytes: 10)
            let start = alice.mark()
            try alice.send("/file bob \(source.path)")
            let sent = try await alice.waitForEvent("file_sent", ["peer": "bob", "name": "report.bin"], after: start, timeout: .seconds(60))
            try bob.send("/wait file_received name=report.bin timeout=30")
            let received = try await bob.waitForEvent("file_received", ["peer": "alice", "name": "report.bin"])
            let expected = try Self.sha256(source.path)
            #expect(sent["sha256"] == expected)
            #expect(received["sha256"] == expected)
            #expect(received["size"] == "\(10 << 20)")
            let path = try #require(received["path"])
            #expect(path == scenario.path("bob/bob/downloads/report.bin").path)
            #expect(try Self.sha256(path) == expected)
            let listing = try await bob.run("/files", expecting: "files")
            let first = listing.fields["transfers"]?.array?.first
            #expect(first?["state"]?.text == "done")
            #expect(first?["direction"]?.text == "incoming")
        }
    }

    @Test("kill -9 of the receiver half-way: after a restart it goes on from its .part, and the hash matches")
    func receiverKilledHalfWay() async throws {
        try await Scenario.run { scenario in
            let (_, port, alice, bob) = try await Self.friends(in: scenario)
            let source = scenario.path("outbox/big.bin")
            try Self.makeFile(source, megabytes: 64)
            try alice.send("/file bob \(source.path)")
            try await bob.waitForEvent("file_progress", ["name": "big.bin"], timeout: .seconds(60))
            bob.signal(SIGKILL)
            #expect(try await bob.waitForExit() == 128 + SIGKILL)
            let part = scenario.path("bob/bob/downloads/big.bin.part").path
            let held = Self.fileSize(part)
            #expect(held > 0 && held < Int64(64 << 20), "bob held \(held) bytes")

            let resumedAt = alice.mark()
            let bobAgain = try await scenario.startClient("bob", locatorPort: port)
            try await Self.login(bobAgain, as: "bob")
            let received = try await bobAgain.waitForEvent("file_received", ["name": "big.bin"], timeout: .seconds(90))
            #expect(received["sha256"] == (try Self.sha256(source.path)))
            #expect(try Self.sha256(try #require(received["path"])) == received["sha256"])
            // The sender went on from bob's bytes: its first progress after the restart is past them.
            let progress = try await alice.waitForEvent("file_progress", ["name": "big.bin"], after: resumedAt)
            #expect(Int64(progress["bytes"] ?? "") ?? 0 > held, "\(progress)")
            try await alice.waitForEvent("file_sent", ["name": "big.bin"], after: resumedAt, timeout: .seconds(30))
        }
    }

    @Test("kill -9 of the sender half-way: after a restart it goes on by itself, and the hash matches")
    func senderKilledHalfWay() async throws {
        try await Scenario.run { scenario in
            let (_, port, alice, bob) = try await Self.friends(in: scenario)
            let source = scenario.path("outbox/big.bin")
            try Self.makeFile(source, megabytes: 64)
            try alice.send("/file bob \(source.path)")
            try await alice.waitForEvent("file_progress", ["name": "big.bin"], timeout: .seconds(60))
            alice.signal(SIGKILL)
            #expect(try await alice.waitForExit() == 128 + SIGKILL)
            let part = scenario.path("bob/bob/downloads/big.bin.part").path
            // What bob holds once he has noticed alice is gone.
            try await bob.waitForEvent("presence", ["id": "alice", "online": "false"], timeout: .seconds(60))
            let held = Self.fileSize(part)
            #expect(held > 0 && held < Int64(64 << 20), "bob held \(held) bytes")

            let aliceAgain = try await scenario.startClient("alice", locatorPort: port)
            try await Self.login(aliceAgain, as: "alice")
            let progress = try await aliceAgain.waitForEvent("file_progress", ["name": "big.bin"], timeout: .seconds(60))
            #expect(Int64(progress["bytes"] ?? "") ?? 0 > held, "\(progress)")
            let received = try await bob.waitForEvent("file_received", ["name": "big.bin"], timeout: .seconds(90))
            #expect(received["sha256"] == (try Self.sha256(source.path)))
            try await aliceAgain.waitForEvent("file_sent", ["name": "big.bin"], timeout: .seconds(30))
        }
    }

    @Test(
        "at a terminal, /file shows a progress line above the prompt, then the sent line; the half-typed line survives",
        .enabled(if: Tmux.installed != nil, "tmux is not installed: the interactive shell cannot be driven")
    )
    func interactiveProgressLine() async throws {
        try await Scenario.run { scenario in
            let (tmux, pane, bob) = try await Self.aliceAtTerminalWithFriendBob(scenario)
            // Over bob's auto-accept size: it waits for his /get, so the transfer starts when the test says.
            let source = scenario.path("outbox/movie.bin")
            try Self.makeFile(source, megabytes: 200)
            try await tmux.type("/file bob \(source.path)", into: pane)
            try await tmux.press("Enter", in: pane)
            let offer = try await bob.waitForEvent("file_offer", ["name": "movie.bin", "waiting": "true"], timeout: .seconds(30))
            try await tmux.type("half typ", into: pane)
            try bob.send("/get \(offer["transfer"] ?? "1")")

            let running = try await tmux.waitForScreen(pane, "a progress line") { rows in
                rows.contains { $0.hasPrefix("→ bob movie.bin ") && $0.contains("% ") && $0.contains(" MB/s ETA ") }
            }
            #expect(running.last?.hasSuffix("half typ") == true, "the typed text is intact:\n\(running.joined(separator: "\n"))")
            let done = try await tmux.waitForScreen(pane, "the sent line", timeout: .seconds(90)) { rows in
                // An event's status line starts with the time: `[12:03] -!- sent …`.
                rows.contains { $0.contains("] -!- sent movie.bin (210 MB, sha256 ") && $0.hasSuffix("…) to bob") }
            }
            let shown = done.joined(separator: "\n")
            #expect(!done.contains { $0.hasPrefix("→ bob movie.bin") }, "the progress line is gone:\n\(shown)")
            #expect(done.last?.hasSuffix("half typ") == true, "the typed text is intact:\n\(shown)")
            #expect(done.filter { $0.contains("half typ") }.count == 1, "no stale copy of the line:\n\(shown)")
            try await bob.waitForEvent("file_received", ["name": "movie.bin"], timeout: .seconds(30))
        }
    }
}
