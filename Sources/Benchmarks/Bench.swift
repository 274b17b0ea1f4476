import ArgumentParser
import ChatWire
import CommandLineSupport
import Foundation
import Locator
import Logging
import NIOCore
import NIOPosix

/// `p2pchat bench`: every benchmark, each printing its figures beside the ceiling it measured in the same run.
public struct Bench: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Measure p2pchat's parts and print the figures.",
        subcommands: [
            LocatorBench.self, AttackBench.self, MessagesBench.self, FilesBench.self, CallBench.self, GroupsBench.self, PathsBench.self, EchoServerBench.self,
            EchoBench.self,
        ]
    )

    public init() {}
}

extension Bench {
    struct LocatorBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "locator",
            abstract: "Load a locator with queries over concurrent connections, or hold idle sessions and weigh them.",
            discussion: """
                Each connection logs in one id, then sends a query and waits for the reply, again \
                and again: `q<id>` in the course protocol, or `QUERY` over persistent TLS sessions \
                with --modern. Without --target a locator is started as a process of its own on \
                127.0.0.1. With --sessions N, N idle connections (TLS sessions with --modern) are \
                opened instead, and the locator's resident memory is printed: fresh, warmed up by 100 \
                sessions, with the N, per session, and after they close, for each of --rounds rounds. \
                With --replicas (root, Debian's postgresql): a PostgreSQL of its own, two locator \
                replicas over it and one over SQLite, and the C server given by --refserver, in one \
                run: course queries per second on each (--rounds interleaved rounds, medians, and \
                their ratios), modern logins per second on SQLite and PostgreSQL, the time from a \
                login on one replica to the PRESENCE line on a watcher of the other (p50, p99), and \
                a reconnect storm: --storm clients logged in on one replica move to the other after \
                its kill -9, with the time until all are back and the survivor's memory per session.
                """
        )

        @Option(help: ArgumentHelp("A running locator to measure (loopback or a test host only).", valueName: "host:port"))
        var target: HostPort?

        @Option(help: ArgumentHelp("Concurrent connections.", valueName: "n"))
        var connections = 64

        @Option(help: ArgumentHelp("How long to measure, in seconds.", valueName: "seconds"))
        var duration = 5.0

        @Flag(help: "Use the modern protocol: persistent TLS sessions sending QUERY.")
        var modern = false

        @Option(help: ArgumentHelp("Hold this many idle sessions and print the locator's memory per session.", valueName: "n"))
        var sessions: Int?

        @Option(help: ArgumentHelp(
            "With --sessions: open and close the sessions this many times (default 1); with --replicas: interleaved rounds of course queries (default 3).",
            valueName: "n"))
        var rounds: Int?

        @Flag(help: "Compare replicas over a PostgreSQL of the benchmark's own with the SQLite store and the C server.")
        var replicas = false

        @Option(help: ArgumentHelp("With --replicas: a built refserver (the C epoll server) to measure beside the locators.", valueName: "path"),
                completion: .file())
        var refserver: String?

        @Option(help: ArgumentHelp("With --replicas: clients in the reconnect storm.", valueName: "n"))
        var storm = 2000

        @Option(help: ArgumentHelp("With --replicas: users registered and logged in again to time logins.", valueName: "n"))
        var logins = 200

        @Option(help: ArgumentHelp("With --replicas: logins timed from one replica to a watcher of the other.", valueName: "n"))
        var presenceSamples = 100

        @OptionGroup var failover: LocatorFailoverOptions

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard (1...1000).contains(connections) else { throw ValidationError("--connections must be 1...1000") }
            guard duration > 0, duration <= 600 else { throw ValidationError("--duration must be in (0, 600] seconds") }
            if let sessions {
                guard (1...1_000_000).contains(sessions) else { throw ValidationError("--sessions must be 1...1000000") }
                guard target == nil else { throw ValidationError("--sessions weighs a locator it starts itself: leave out --target") }
            }
            if let rounds, !(1...100).contains(rounds) { throw ValidationError("--rounds must be 1...100") }
            if replicas {
                guard target == nil, sessions == nil, !modern else {
                    throw ValidationError("--replicas starts its own locators and measures the course protocol: leave out --target, --sessions and --modern")
                }
                guard (1...20000).contains(storm) else { throw ValidationError("--storm must be 1...20000") }
                guard (1...10000).contains(logins) else { throw ValidationError("--logins must be 1...10000") }
                guard (1...Limits.maxWatchBatch).contains(presenceSamples) else {
                    throw ValidationError("--presence-samples must be 1...\(Limits.maxWatchBatch)")
                }
                guard !failover.failover else { throw ValidationError("--replicas and --failover are two runs: give one") }
            } else if refserver != nil {
                throw ValidationError("--refserver goes with --replicas")
            }
            if failover.failover, target != nil || sessions != nil {
                throw ValidationError("--failover starts its own replicas: leave out --target and --sessions")
            }
        }

        func run() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            // Every session is a descriptor here too.
            FileDescriptorLimit.raiseToHard()
            if replicas {
                try await ReplicaComparison(
                    connections: connections, duration: .seconds(duration), rounds: rounds ?? 3, logins: logins,
                    presenceSamples: presenceSamples, storm: storm, refserver: refserver
                ).run(in: scratch)
                return
            }
            if failover.failover {
                return try await failover.run(scratch: scratch)
            }
            var child: LocatorChild?
            defer { child?.stop() }
            let address: HostPort
            if let target {
                address = target
            } else {
                let started = try await LocatorChild.start(directory: scratch)
                child = started
                address = HostPort(host: "127.0.0.1", port: started.port)
            }
            if let sessions, let child {
                try await weigh(sessions: sessions, locator: child, at: address)
            } else {
                try await measureQueries(at: address)
            }
        }

        private func measureQueries(at address: HostPort) async throws {
            let result =
                if modern {
                    try await ModernLocatorLoad(target: address, connections: connections, duration: .seconds(duration)).run()
                } else {
                    try await LocatorLoad(target: address, connections: connections, duration: .seconds(duration)).run()
                }
            let kind = modern ? "modern (TLS) QUERY" : "course q<id>"
            say("locator benchmark: \(kind), \(connections) connections, \(String(format: "%.1f", duration)) s, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            say("  queries      \(result.latencies.count) (\(result.errors) errors)")
            say("  throughput   \(Int(Double(result.latencies.count) / result.elapsed.inSeconds)) queries/s")
            say("  latency p50  \(result.latencies.percentile(0.50).formattedMicroseconds)")
            say("  latency p99  \(result.latencies.percentile(0.99).formattedMicroseconds)")
        }

        private func weigh(sessions count: Int, locator: LocatorChild, at address: HostPort) async throws {
            let kind = modern ? "idle TLS sessions" : "idle course connections"
            let rounds = rounds ?? 1
            say("locator memory: \(count) \(kind), \(rounds) round\(rounds == 1 ? "" : "s")")
            let holder = IdleSessions(target: address, modern: modern)
            let mebibyte = Double(1 << 20)
            say(String(format: "  fresh           %8.1f MiB", Double(locator.residentBytes) / mebibyte))
            // A few sessions first, so the code they run is paged in before the baseline is taken:
            // what stays after the load is then the load's, not the program's.
            await holder.close(try await holder.open(min(count, 100)))
            let start = await settledResidentBytes(of: locator)
            say(String(format: "  warmed up       %8.1f MiB", Double(start) / mebibyte))
            for round in 1...rounds {
                let before = locator.residentBytes
                let held = try await holder.open(count)
                let with = locator.residentBytes
                await holder.close(held)
                let after = await settledResidentBytes(of: locator)
                say(
                    String(
                        format: "  round %-3d  with %8.1f MiB  per session %6.1f KiB  after close %8.1f MiB",
                        round, Double(with) / mebibyte, Double(with - before) / Double(count) / 1024, Double(after) / mebibyte))
            }
            let end = locator.residentBytes
            say(String(format: "  after all       %8.1f MiB (%+.0f%% of warmed up)", Double(end) / mebibyte, (Double(end) / Double(start) - 1) * 100))
        }

        /// The locator's memory once it has let go of closed connections: its sweep, which runs at
        /// least once a second, gives freed memory back after a wave of connections has closed.
        private func settledResidentBytes(of locator: LocatorChild) async -> Int {
            try? await Task.sleep(for: .milliseconds(2500))
            return locator.residentBytes
        }
    }
}
