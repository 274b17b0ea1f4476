import Foundation
import Testing
import TestSupport

/// Running out of file descriptors, with the built locator under `ulimit -n 96` and clients from
/// three loopback addresses, none of which reaches the per-address cap.
@Suite("p2pchat locator: the open-file limit", .serialized, .timeLimit(.minutes(1)))
struct LocatorFileLimitTests {
    static let sources = ["127.0.8.10", "127.0.8.11", "127.0.8.12"]

    @Test("the connection cap stays below the open-file limit, and a newcomer is served when it is full")
    func capBelowTheLimit() async throws {
        let locator = try await LimitedLocator.start(fileLimit: 96)
        defer { Task { await locator.stop() } }
        #expect(locator.output.contains("at most 32 connections"), "\(locator.output)")
        var clients: [LegacyCourseClient] = []
        defer { for client in clients { client.close() } }
        for index in 0..<45 {
            let client = try await LegacyCourseClient.connect(port: locator.port, from: Self.sources[index % 3])
            #expect(try await client.request("q2017011000") == "n")
            clients.append(client)
        }
        #expect(try await LegacyCourseClient.ask("q2017011000", port: locator.port, from: "127.0.8.20") == "n")
        #expect(try await LegacyCourseClient.ask("2017011000_net2019", port: locator.port, from: "127.0.8.20") == "lol")
        await locator.stop()
    }

    @Test("with a cap above the limit, running out of descriptors backs off instead of spinning, and recovers")
    func outOfDescriptors() async throws {
        let locator = try await LimitedLocator.start(fileLimit: 96, arguments: ["--max-connections", "1000"])
        defer { Task { await locator.stop() } }
        var clients: [LegacyCourseClient] = []
        defer { for client in clients { client.close() } }
        for index in 0..<120 {
            clients.append(try await LegacyCourseClient.connect(port: locator.port, from: Self.sources[index % 3]))
        }
        // The locator has accepted what it could; the rest wait in the listen queue.
        try await Task.sleep(for: .milliseconds(500))
        let before = locator.cpuSeconds
        let started = ContinuousClock.now
        try await Task.sleep(for: .seconds(2))
        let used = locator.cpuSeconds - before
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        #expect(used < elapsed / 2, "the locator used \(used) s of CPU in \(elapsed) s while out of descriptors")
        for client in clients.prefix(80) { client.close() }
        #expect(
            await eventually(timeout: .seconds(10), every: .milliseconds(200)) {
                (try? await LegacyCourseClient.ask("q2017011000", port: locator.port, from: "127.0.8.20")) == "n"
            })
        await locator.stop()
    }
}
