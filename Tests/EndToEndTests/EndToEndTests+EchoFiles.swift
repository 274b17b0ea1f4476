import Foundation
import Testing

extension EndToEndTests {
    @Test("the echo user answers a file with its size and SHA-256, keeps no copy, and declines one over its limit")
    func echoUserHashesFiles() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            let echoData = scenario.path("echo")
            _ = try await scenario.startEcho(locatorPort: port)
            let alice = try await scenario.startClient("alice", locatorPort: port)
            try await Self.login(alice, as: "alice")
            try alice.send("/add echo")
            try await alice.waitForEvent("friend_added", ["id": "echo"])

            let source = scenario.path("outbox/sample.bin")
            try Self.makeFile(source, megabytes: 3)
            let expected = try Self.sha256(source.path)
            let start = alice.mark()
            try alice.send("/file echo \(source.path)")
            try await alice.waitForEvent(
                "message", ["from": "echo", "text": "echo: received sample.bin, \(3 << 20) bytes, sha256 \(expected)"],
                after: start, timeout: .seconds(60))
            let downloads = echoData.appendingPathComponent("downloads").path
            let kept = try? FileManager.default.contentsOfDirectory(atPath: downloads)
            #expect(kept == [], "echo's downloads directory holds \(kept.map { "\($0)" } ?? "nothing: it is not there")")

            // Sparse, so the test writes nothing: only its size matters.
            let huge = scenario.path("outbox/huge.bin")
            #expect(FileManager.default.createFile(atPath: huge.path, contents: nil))
            let handle = try FileHandle(forWritingTo: huge)
            try handle.truncate(atOffset: 101 << 20)
            try handle.close()
            let offered = alice.mark()
            try alice.send("/file echo \(huge.path)")
            try await alice.waitForEvent("file_cancelled", ["peer": "echo", "name": "huge.bin", "reason": "declined by echo"], after: offered)
            try await alice.waitForEvent(
                "message", ["from": "echo", "text": "echo: huge.bin is \(101 << 20) bytes; I take files up to \(100 << 20) bytes"],
                after: offered)
        }
    }
}
