import Foundation
import TestSupport
import Testing

extension EndToEndTests {
    @Test("--auto-accept and --downloads reach the files: one under the size lands in that directory unasked, one over it waits")
    func autoAcceptAndDownloadsOptions() async throws {
        try await Scenario.run { scenario in
            let (_, port) = try await scenario.startLocator()
            let inbox = scenario.path("inbox")
            let bob = try await scenario.startClient("bob", locatorPort: port, options: ["--auto-accept", "1K", "--downloads", inbox.path])
            try await Self.login(bob, as: "bob")
            let alice = try await scenario.startClient("alice", locatorPort: port)
            try await Self.login(alice, as: "alice")
            try await Self.befriend(alice, bob)

            let small = scenario.path("outbox/small.txt"), large = scenario.path("outbox/large.txt")
            try FileManager.default.createDirectory(at: small.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(repeating: 0x61, count: 1024).write(to: small)
            try Data(repeating: 0x62, count: 1025).write(to: large)

            try alice.send("/file bob \(small.path)")
            let received = try await bob.waitForEvent("file_received", ["peer": "alice", "name": "small.txt"], timeout: .seconds(30))
            #expect(received["path"] == inbox.appendingPathComponent("small.txt").path)
            #expect(try Data(contentsOf: inbox.appendingPathComponent("small.txt")) == Data(repeating: 0x61, count: 1024))

            let start = bob.mark()
            try alice.send("/file bob \(large.path)")
            let offer = try await bob.waitForEvent("file_offer", ["peer": "alice", "name": "large.txt"], after: start, timeout: .seconds(30))
            #expect(offer["waiting"] == "true")
        }
    }
}
