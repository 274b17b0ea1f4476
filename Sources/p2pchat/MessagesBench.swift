import ArgumentParser
import ChatEngine
import Foundation
import Locator
import Logging
import NIOCore

extension P2PChat {
    struct MessagesBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "messages",
            abstract: "Send messages between two engines on loopback and time them.",
            discussion: """
                Starts an in-process locator and two users in a temporary directory, makes them \
                friends, then sends --count messages from one to the other with --concurrency sends \
                in flight. Each send counts when the receiver has stored it and its Ack is back.
                """
        )

        @Option(help: ArgumentHelp("Messages to send.", valueName: "n"))
        var count = 2000

        @Option(help: ArgumentHelp("Sends in flight at once.", valueName: "n"))
        var concurrency = 16

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be 1...1000000") }
            guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be 1...1000") }
        }

        func run() async throws {
            var logger = common.makeLogger(label: "p2pchat.bench")
            logger.logLevel = max(logger.logLevel, .warning)
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }

            let locator = try await LocatorServer.bind(
                configuration: LocatorConfiguration(host: "127.0.0.1", port: 0, directory: scratch.appendingPathComponent("locator")),
                logger: logger)
            let serving = Task { try await locator.run() }
            defer { serving.cancel() }
            func engine(_ user: String) throws -> ChatEngine {
                try ChatEngine(
                    configuration: EngineConfiguration(
                        user: user, dataDirectory: scratch.appendingPathComponent(user),
                        locatorPort: locator.localAddress.port ?? 0, listenHost: "127.0.0.1", ackWait: .seconds(30)),
                    logger: logger)
            }
            let alice = try engine("alice"), bob = try engine("bob")
            try await alice.login(password: "benchmark")
            try await bob.login(password: "benchmark")
            try await alice.addFriend("bob")
            try await waitFor(bob.events) { if case .friendRequest = $0 { true } else { false } }
            try await bob.acceptFriend("alice")
            try await waitFor(alice.events) { $0 == .friendAdded(id: "bob") }

            let clock = ContinuousClock()
            let start = clock.now
            var latencies: [Duration] = []
            var queued = 0
            try await withThrowingTaskGroup(of: (Duration, ChatEngine.Delivery).self) { group in
                var next = 0
                func launch() {
                    let index = next
                    next += 1
                    group.addTask {
                        let sent = clock.now
                        let result = try await alice.send("benchmark message \(index)", to: "bob")
                        return (clock.now - sent, result.delivery)
                    }
                }
                for _ in 0..<min(concurrency, count) { launch() }
                for try await (latency, delivery) in group {
                    latencies.append(latency)
                    if delivery == .queued { queued += 1 }
                    if next < count { launch() }
                }
            }
            let elapsed = clock.now - start
            await alice.close()
            await bob.close()
            await locator.shutdown()

            let roundTrips = Latencies(latencies)
            say("message benchmark: \(count) messages, \(concurrency) in flight, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            say("  acked        \(count - queued) (\(queued) still queued)")
            say("  throughput   \(Int(Double(count) / elapsed.inSeconds)) messages/s (sent, stored, acked)")
            say("  round trip   p50 \(roundTrips.percentile(0.50).formattedMicroseconds), p99 \(roundTrips.percentile(0.99).formattedMicroseconds)")
        }

        private func waitFor(_ events: AsyncStream<EngineEvent>, _ predicate: (EngineEvent) -> Bool) async throws {
            for await event in events where predicate(event) { return }
            throw ValidationError("the engine stopped before the expected event")
        }
    }
}
