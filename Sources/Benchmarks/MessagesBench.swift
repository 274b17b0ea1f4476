import ArgumentParser
import ChatEngine
import CommandLineSupport
import Foundation
import Locator
import Logging
import NIOCore

extension Bench {
    struct MessagesBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "messages",
            abstract: "Send messages between two engines on loopback and time them.",
            discussion: """
                Starts an in-process locator and two users in a temporary directory, makes them \
                friends, then sends --count messages from one to the other for each number of \
                sends in flight (--concurrency, repeatable). A send counts when the receiver has \
                stored it and its Ack is back. Also measures the disk's own durable commit time \
                in the same directory, and prints how many messages shared each commit.
                """
        )

        @Option(help: ArgumentHelp("Messages to send for each concurrency.", valueName: "n"))
        var count = 5000

        @Option(help: ArgumentHelp("Sends in flight at once; repeat for several runs.", valueName: "n"))
        var concurrency: [Int] = [1, 16, 64]

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be 1...1000000") }
            guard concurrency.allSatisfy({ (1...1000).contains($0) }) else { throw ValidationError("--concurrency must be 1...1000") }
        }

        func run() async throws {
            var logger = common.makeLogger(label: "p2pchat.bench")
            logger.logLevel = max(logger.logLevel, .warning)
            let locator = try await BenchLocator.start(logger: logger)
            let scratch = locator.scratch
            let commitTime = try ChatStore.measureCommitTime(in: scratch)
            func engine(_ user: String) throws -> ChatEngine {
                var configuration = EngineConfiguration(
                    user: user, dataDirectory: scratch.appendingPathComponent(user),
                    locators: [LocatorAddress(host: "127.0.0.1", port: locator.port)], listenHost: "127.0.0.1")
                configuration.parts.messaging.ackWait = .seconds(30)
                return try ChatEngine(configuration: configuration, logger: logger)
            }
            let alice = try engine("alice"), bob = try engine("bob")
            try await alice.login(password: "benchmark")
            try await bob.login(password: "benchmark")
            try await alice.addFriend("bob")
            try await waitFor(bob.events) { if case .friends(.request) = $0 { true } else { false } }
            try await bob.acceptFriend("alice")
            try await waitFor(alice.events) { $0 == .friends(.added(id: "bob")) }

            say("message benchmark: \(count) messages per run, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            say("  disk: one durable commit (WAL, synchronous=FULL) takes \(commitTime.formattedMicroseconds): "
                + "\(Int(1 / commitTime.inSeconds)) commits/s, the ceiling of one message per commit")
            for inFlight in concurrency {
                let commitsBefore = alice.store.commits + bob.store.commits
                let run = try await send(count, inFlight: inFlight, from: alice)
                await alice.drain(within: .seconds(30))
                let commits = alice.store.commits + bob.store.commits - commitsBefore
                let latencies = Latencies(run.latencies)
                let perSecond = Double(count) / run.elapsed.inSeconds
                say(String(format: "  %4d in flight: %7.0f messages/s (%.1f× the one-commit ceiling)", inFlight, perSecond, perSecond * commitTime.inSeconds))
                say("                  round trip p50 \(latencies.percentile(0.50).formattedMicroseconds), "
                    + "p99 \(latencies.percentile(0.99).formattedMicroseconds), p99.9 \(latencies.percentile(0.999).formattedMicroseconds)")
                say(String(format: "                  %.1f messages per commit (%d commits on both sides), %d still queued",
                           Double(count) / Double(max(commits, 1)), commits, run.queued))
            }
            await alice.close()
            await bob.close()
            await locator.stop()
        }

        private func send(_ count: Int, inFlight: Int, from alice: ChatEngine) async throws -> (latencies: [Duration], elapsed: Duration, queued: Int) {
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
                for _ in 0..<min(inFlight, count) { launch() }
                for try await (latency, delivery) in group {
                    latencies.append(latency)
                    if delivery == .queued { queued += 1 }
                    if next < count { launch() }
                }
            }
            return (latencies, clock.now - start, queued)
        }

        private func waitFor(_ events: AsyncStream<EngineEvent>, _ predicate: (EngineEvent) -> Bool) async throws {
            for await event in events where predicate(event) { return }
            throw ValidationError("the engine stopped before the expected event")
        }
    }
}
