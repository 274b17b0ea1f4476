import ArgumentParser
import CommandLineSupport
import Foundation
import Locator
import NatTopology
import Voice

extension Bench {
    struct PathsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "paths",
            abstract: "Measure the paths through NAT in network namespaces: first message, file, call, memory (root).",
            discussion: """
                Builds the tests' small internet in network namespaces (root, iproute2, iptables, \
                coturn): a public side with a locator and coturn, homes behind cone and symmetric \
                NATs, a LAN. It always deletes them at the end, also on an error or Ctrl-C. In one \
                run: the time from /login to the first message's `sent delivered`, --tries times, \
                for each path (lan, direct, punched, relayed; for punched also until the \
                connection is punched); a --size file relayed beside direct; a call's media round \
                trip relayed beside direct (UDP), as the caller's /call reports it each second; and \
                a client's memory per relayed connection, with --relayed-connections friends behind \
                a symmetric NAT.
                """
        )

        @Option(help: ArgumentHelp("Timed logins for each path.", valueName: "n"))
        var tries = 20

        @Option(help: ArgumentHelp("The size of the file sent relayed and direct (K, M, G: powers of 1024).", valueName: "size"))
        var size = ByteSize(bytes: 1 << 30)

        @Option(help: ArgumentHelp("Seconds of each call; its round trip is read once a second.", valueName: "seconds"))
        var callSeconds = 10

        @Option(help: ArgumentHelp("Relayed connections held by one client to weigh them.", valueName: "n"))
        var relayedConnections = 8

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard (1...1000).contains(tries) else { throw ValidationError("--tries must be 1...1000") }
            guard size.bytes > 0 else { throw ValidationError("--size must be above 0") }
            guard (1...600).contains(callSeconds) else { throw ValidationError("--call-seconds must be 1...600") }
            guard (1...200).contains(relayedConnections) else { throw ValidationError("--relayed-connections must be 1...200") }
        }

        func run() async throws {
            if let reason = PathsLab.unavailableReason { throw BenchClient.Failure(description: "bench paths \(reason)") }
            let begun = ContinuousClock.now
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("p2pchat-bench-paths-\(UUID().uuidString)")
            FileDescriptorLimit.raiseToHard()
            let lab = try await PathsLab(scratch: scratch)
            defer { lab.tearDown() }

            let source = scratch.appendingPathComponent("payload.bin")
            try FilesBench.makeFile(source, bytes: size.bytes)
            // The call's microphone: silence, longer than the call, so the call ends with /hangup.
            let silence = scratch.appendingPathComponent("silence.wav")
            try WAVFile.encode([Int16](repeating: 0, count: (callSeconds + 30) * AudioFrame.sampleRate)).write(to: silence)
            let audio = ["--audio-in", "file:\(silence.path)", "--audio-out", "file:\(scratch.appendingPathComponent("heard.wav").path)"]

            let topology = lab.topology
            let pairs: [(path: String, first: (name: String, namespace: String), second: (name: String, namespace: String))] = [
                ("lan", ("lana", topology.coneA), ("lanb", topology.coneB)),
                ("direct", ("opena", topology.open), ("openb", topology.openB)),
                ("punched", ("conea", topology.coneA), ("conec", topology.coneC)),
                ("relayed", ("syma", topology.symA), ("symb", topology.symB)),
            ]
            var firstMessages: [(path: String, delivered: Latencies, punched: Latencies?)] = []
            var files: [String: Double] = [:]
            var calls: [String: (path: String, milliseconds: [Int])] = [:]
            for (path, first, second) in pairs {
                let pair = try await PathPair(
                    path: path, first: first, second: second, lab: lab, autoAccept: size.bytes, options: audio)
                defer { pair.quit() }
                say("  \(path): \(first.name) in \(first.namespace) ↔ \(second.name) in \(second.namespace), friends; \(tries) timed logins")
                var delivered: [Duration] = [], punched: [Duration] = []
                for number in 1...tries {
                    let times = try await pair.firstMessage(try: number, untilPunched: path == "punched")
                    delivered.append(times.delivered)
                    if let time = times.punched { punched.append(time) }
                }
                firstMessages.append((path, Latencies(delivered), punched.isEmpty ? nil : Latencies(punched)))
                if path == "direct" || path == "relayed" {
                    files[path] = try await pair.sendFile(source, bytes: size.bytes)
                    calls[path] = try await pair.callRoundTrips(seconds: callSeconds)
                }
            }
            let memory = try await RelayedConnectionMemory(count: relayedConnections).run(in: lab)

            report(firstMessages: firstMessages, files: files, calls: calls, memory: memory)
            say(String(format: "  the whole run took %.0f s", (ContinuousClock.now - begun).inSeconds))
        }

        private func report(
            firstMessages: [(path: String, delivered: Latencies, punched: Latencies?)], files: [String: Double],
            calls: [String: (path: String, milliseconds: [Int])], memory: RelayedConnectionMemory.Result
        ) {
            #if DEBUG
            let build = "debug build"
            #else
            let build = "release build"
            #endif
            say("paths benchmark: network namespaces (cone and symmetric NAT homes, coturn on the public side), \(build), "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
            say("  first message after login (/login to sent delivered), \(tries) tries     p50        p99")
            var direct: Duration?
            for entry in firstMessages {
                say("    \(entry.path.padding(toLength: 62, withPad: " ", startingAt: 0))\(Self.ms(entry.delivered.percentile(0.5)))  \(Self.ms(entry.delivered.percentile(0.99)))")
                if entry.path == "direct" { direct = entry.delivered.percentile(0.5) }
                if let punched = entry.punched {
                    say("    \("punched: until the connection is punched".padding(toLength: 62, withPad: " ", startingAt: 0))"
                        + "\(Self.ms(punched.percentile(0.5)))  \(Self.ms(punched.percentile(0.99)))")
                }
            }
            if let direct, let relayed = firstMessages.first(where: { $0.path == "relayed" })?.delivered.percentile(0.5), direct > .zero {
                say(String(format: "    relayed / direct, p50                                         %.2f×", relayed.inSeconds / direct.inSeconds))
            }
            let mib = Double(size.bytes) / Double(1 << 20)
            if let directRate = files["direct"], let relayedRate = files["relayed"] {
                say(String(format: "  file %.0f MiB direct (public ↔ public)                           %.0f MB/s (the ceiling)", mib, directRate / 1e6))
                say(String(format: "  file %.0f MiB relayed (symmetric NAT ↔ symmetric NAT, coturn)   %.0f MB/s", mib, relayedRate / 1e6))
                say(String(format: "  relayed / direct                                               %.2f× (goal ≥ 0.5×)", relayedRate / directRate))
            }
            if let directCall = calls["direct"], let relayedCall = calls["relayed"] {
                say("  call media round trip (ping/pong over the call's UDP path, whole ms, once a second, median / max)")
                say("    direct  (path \(directCall.path), \(directCall.milliseconds.count) samples)".padding(toLength: 64, withPad: " ", startingAt: 0)
                    + Self.medianAndMax(directCall.milliseconds))
                say("    relayed (path \(relayedCall.path), TURN UDP, \(relayedCall.milliseconds.count) samples)".padding(toLength: 64, withPad: " ", startingAt: 0)
                    + Self.medianAndMax(relayedCall.milliseconds))
                if let directMedian = Self.median(directCall.milliseconds), let relayedMedian = Self.median(relayedCall.milliseconds) {
                    say(String(format: "    added one way by the relay (half the medians' difference)   %.1f ms (goal ≤ 5 ms)",
                               (relayedMedian - directMedian) / 2))
                }
            }
            let mebibyte = Double(1 << 20)
            say("  client memory (RSS), relayed connections (\(memory.relayed) of \(relayedConnections + 1) shown relayed by /query)")
            say(String(format: "    logged in, none     %7.1f MiB", Double(memory.loggedIn) / mebibyte))
            say(String(format: "    with 1              %7.1f MiB", Double(memory.withOne) / mebibyte))
            say(String(format: "    with %-4d           %7.1f MiB", relayedConnections + 1, Double(memory.withAll) / mebibyte))
            say(String(format: "    per relayed connection  %6.1f KiB (the last %d over the first)", memory.perConnection / 1024, relayedConnections))
        }

        private static func ms(_ duration: Duration) -> String {
            String(format: "%7.0f ms", duration.inSeconds * 1000)
        }

        private static func median(_ values: [Int]) -> Double? {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return nil }
            return sorted.count % 2 == 1 ? Double(sorted[sorted.count / 2]) : Double(sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }

        private static func medianAndMax(_ values: [Int]) -> String {
            guard let median = median(values), let most = values.max() else { return "no round trip reported" }
            return String(format: "%.1f ms / %d ms", median, most)
        }
    }
}
