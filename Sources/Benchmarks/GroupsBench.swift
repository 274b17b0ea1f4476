import ArgumentParser
import ChatEngine
import CommandLineSupport
import Foundation
import Locator
import Logging
import NIOCore

extension Bench {
    struct GroupsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "groups",
            abstract: "Send group messages from one member to groups of growing size on loopback and time them.",
            discussion: """
                For each size N, starts an in-process locator and N users in a temporary directory; \
                the first befriends the others and makes a group of all N, then sends --count group \
                messages with --concurrency in flight. A message counts when every other member has \
                stored it and acked it. Linear cost in N shows as member deliveries/s staying level.
                """
        )

        @Option(parsing: .upToNextOption, help: ArgumentHelp("Group sizes to measure, members counting the sender.", valueName: "n"))
        var members: [Int] = [2, 8, 32, 64]

        @Option(help: ArgumentHelp("Messages to send to each group.", valueName: "n"))
        var count = 100

        @Option(help: ArgumentHelp("Messages in flight at once.", valueName: "n"))
        var concurrency = 8

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard !members.isEmpty, members.allSatisfy({ (2...128).contains($0) }) else {
                throw ValidationError("--members must be sizes in 2...128")
            }
            guard (1...100_000).contains(count) else { throw ValidationError("--count must be 1...100000") }
            guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be 1...1000") }
        }

        func run() async throws {
            var logger = common.makeLogger(label: "p2pchat.bench")
            logger.logLevel = max(logger.logLevel, .warning)
            say("group benchmark: \(count) messages per group, \(concurrency) in flight, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            say("  members  messages/s  deliveries/s  p50 to last   p99 to last")
            var first: Double?
            for size in members {
                let result = try await measure(size: size, logger: logger)
                let deliveries = result.messagesPerSecond * Double(size - 1)
                first = first ?? deliveries
                say(String(
                    format: "  %7d  %10.1f  %12.1f  %11@  %11@", size, result.messagesPerSecond, deliveries,
                    result.latencies.percentile(0.50).formattedMicroseconds as NSString,
                    result.latencies.percentile(0.99).formattedMicroseconds as NSString))
            }
            if let first, members.count > 1 {
                say("  deliveries/s stay level when the cost grows linearly with N (first size: \(Int(first))/s)")
            }
        }

        private struct Result {
            var messagesPerSecond: Double
            var latencies: Latencies
        }

        private func measure(size: Int, logger: Logger) async throws -> Result {
            let locator = try await BenchLocator.start(logger: logger)
            let scratch = locator.scratch
            let engines = try (0..<size).map { index in
                try ChatEngine(
                    configuration: EngineConfiguration(
                        user: "member\(index)", dataDirectory: scratch.appendingPathComponent("member\(index)"),
                        locators: [LocatorAddress(host: "127.0.0.1", port: locator.port)], listenHost: "127.0.0.1"),
                    logger: logger)
            }
            let sender = engines[0], others = Array(engines.dropFirst())
            let tally = DeliveryTally(expected: size - 1)
            let following = Task { for await event in sender.events { if case .messaging(.delivered(_, let id)) = event { await tally.delivered(id) } } }
            defer { following.cancel() }
            // The others' events are not needed, but a stream nobody reads only grows.
            let draining = others.map { engine in Task { for await _ in engine.events {} } }
            defer { for task in draining { task.cancel() } }
            for engine in engines { try await engine.login(password: "benchmark") }
            for other in others { try await befriend(sender, other) }
            try await sender.createGroup("bench", members: others.map(\.user))
            for other in others {
                while try await other.groups().isEmpty { try await Task.sleep(for: .milliseconds(20)) }
            }

            let clock = ContinuousClock()
            let start = clock.now
            var latencies: [Duration] = []
            try await withThrowingTaskGroup(of: Duration.self) { group in
                var next = 0
                func launch() async throws {
                    let sent = clock.now
                    let message = try await sender.sendToGroup("benchmark message \(next)", group: "#bench")
                    next += 1
                    let done = tally.waiter(for: message.id)
                    group.addTask {
                        await done.value
                        return clock.now - sent
                    }
                }
                for _ in 0..<min(concurrency, count) { try await launch() }
                for try await latency in group {
                    latencies.append(latency)
                    if next < count { try await launch() }
                }
            }
            let elapsed = clock.now - start
            for engine in engines { await engine.close() }
            await locator.stop()
            return Result(messagesPerSecond: Double(count) / elapsed.inSeconds, latencies: Latencies(latencies))
        }

        private func befriend(_ sender: ChatEngine, _ other: ChatEngine) async throws {
            try await sender.addFriend(other.user)
            while try await other.requests().incoming.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
            try await other.acceptFriend(sender.user)
            while try await sender.friends().contains(where: { $0.id == other.user }) == false {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
    }
}
