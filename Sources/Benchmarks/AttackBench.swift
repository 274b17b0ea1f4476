import ArgumentParser
import ChatWire
import CommandLineSupport
import Foundation
import Locator
import NIOCore

extension Bench {
    struct AttackBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attacks",
            abstract: "Attack a locator of its own on loopback and print what it and its honest clients see.",
            discussion: """
                Starts a locator as a process of its own on 127.0.0.1 with the default limits, then, \
                each for --duration seconds: clients that flood queries and PINGs and never read \
                (the locator's memory, and an honest client's query latency meanwhile); a registration \
                flood from 50 addresses (an honest login's latency, with none as the baseline, and the \
                accounts created a minute); 16 connections of one address guessing a password (the \
                guesses checked and refused a minute, and whether the owner still logs in).
                """
        )

        @Option(help: ArgumentHelp("How long each attack lasts, in seconds.", valueName: "seconds"))
        var duration = 10.0

        @OptionGroup var common: CommonOptions

        /// The limits a public locator runs with (the benchmark's locator lifts them otherwise).
        static let defaultLimits = [
            "--max-connections-per-address", "256", "--registration-rate", "20", "--registration-rate-total", "120",
            "--legacy-login-rate", "20", "--hash-queue-per-address", "64",
        ]

        func validate() throws {
            guard duration >= 1, duration <= 600 else { throw ValidationError("--duration must be 1...600 seconds") }
        }

        func run() async throws {
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-bench-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            FileDescriptorLimit.raiseToHard()
            let child = try await LocatorChild.start(directory: scratch, arguments: Self.defaultLimits)
            defer { child.stop() }
            let target = HostPort(host: "127.0.0.1", port: child.port)
            let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
            say("locator under attack: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(load) at start, \(Int(duration)) s each")
            let attacks = try LocatorAttacks(target: target, locatorProcess: child.processIdentifier, duration: .seconds(duration))
            try await attacks.nonReadingClients()
            try await attacks.registrationFlood()
            try await attacks.passwordGuessing()
        }
    }
}
