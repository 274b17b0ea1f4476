import ArgumentParser
import Foundation
import Locator
import Logging
import NIOCore
import NIOPosix

extension P2PChat {
    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure p2pchat's parts and print the figures.",
            subcommands: [LocatorBench.self, MessagesBench.self, GroupsBench.self]
        )
    }

    struct LocatorBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "locator",
            abstract: "Load a locator with course-protocol queries over concurrent connections.",
            discussion: """
                Each connection logs in one course id, then sends `q<id>` and waits for the reply, \
                again and again. Without --target an in-process locator on 127.0.0.1 is measured.
                """
        )

        @Option(help: ArgumentHelp("A running locator to measure (loopback or a test host only).", valueName: "host:port"))
        var target: HostPort?

        @Option(help: ArgumentHelp("Concurrent connections.", valueName: "n"))
        var connections = 64

        @Option(help: ArgumentHelp("How long to measure, in seconds.", valueName: "seconds"))
        var duration = 5.0

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard (1...1000).contains(connections) else { throw ValidationError("--connections must be 1...1000") }
            guard duration > 0, duration <= 600 else { throw ValidationError("--duration must be in (0, 600] seconds") }
        }

        func run() async throws {
            var logger = common.makeLogger(label: "p2pchat.bench")
            logger.logLevel = max(logger.logLevel, .warning)
            let address: HostPort
            var server: LocatorServer?
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            if let target {
                address = target
            } else {
                var configuration = LocatorConfiguration(host: "127.0.0.1", port: 0, directory: scratch)
                configuration.maxConnectionsPerAddress = connections + 16
                let started = try await LocatorServer.bind(configuration: configuration, logger: logger)
                server = started
                address = HostPort(host: "127.0.0.1", port: started.localAddress.port ?? 0)
            }
            let running = server
            let serverTask = Task { try await running?.run() }
            defer { serverTask.cancel() }

            let result = try await LocatorLoad(target: address, connections: connections, duration: .seconds(duration)).run()
            await server?.shutdown()
            say("locator benchmark: \(connections) connections, \(String(format: "%.1f", duration)) s, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            say("  queries      \(result.latencies.count) (\(result.errors) errors)")
            say("  throughput   \(Int(Double(result.latencies.count) / result.elapsed.inSeconds)) queries/s")
            say("  latency p50  \(result.latencies.percentile(0.50).formattedMicroseconds)")
            say("  latency p99  \(result.latencies.percentile(0.99).formattedMicroseconds)")
        }
    }
}
