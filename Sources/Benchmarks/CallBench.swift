import ArgumentParser
import CommandLineSupport
import Foundation
import Glibc
import Logging
import NIOCore
import Voice

extension Bench {
    struct CallBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "call",
            abstract: "Run a voice call on loopback and measure latency, bitrate and CPU time.",
            discussion: """
                Two media sessions in this process call each other over 127.0.0.1. Without --input \
                both send a click train and the benchmark times each click from capture to playout. \
                With --input the caller plays that WAV file and the callee's playout is written to \
                --output, for speech-quality scoring (Tests/Benchmarks/pesq_call.py); --opus-only \
                writes the file through the Opus encoder and decoder alone, the ceiling of a call.
                """
        )

        @Option(help: ArgumentHelp("Length of the click-train call, in seconds.", valueName: "seconds"))
        var duration = 10.0

        @Option(help: ArgumentHelp("Share of datagrams each side drops on purpose, 0...0.5 (testing hook).", valueName: "share"))
        var loss = 0.0

        @Option(help: ArgumentHelp("Seed of the datagrams --loss drops; the same seed loses the same frames.", valueName: "n"))
        var seed: UInt64 = 1

        @Option(help: ArgumentHelp("A speech WAV file for the caller to play.", valueName: "path"), completion: .file(extensions: ["wav"]))
        var input: String?

        @Option(help: ArgumentHelp("Where the callee's playout goes (with --input).", valueName: "path"), completion: .file(extensions: ["wav"]))
        var output: String?

        @Option(help: ArgumentHelp("Opus bitrate in kbit/s.", valueName: "kbit/s"))
        var bitrate = OpusSettings().bitrate / 1000

        @Option(help: ArgumentHelp("The loss Opus plans its in-band FEC for, in percent.", valueName: "percent"))
        var expectedLoss = OpusSettings().expectedLossPercent

        @Flag(help: "With --input and --output: encode and decode with Opus alone, no call.")
        var opusOnly = false

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard duration >= 1, duration <= 600 else { throw ValidationError("--duration must be 1...600 seconds") }
            guard (0...0.5).contains(loss) else { throw ValidationError("--loss must be 0...0.5") }
            guard (input == nil) == (output == nil) else { throw ValidationError("--input and --output go together") }
            guard !opusOnly || input != nil else { throw ValidationError("--opus-only needs --input and --output") }
            guard (6...128).contains(bitrate) else { throw ValidationError("--bitrate must be 6...128 kbit/s") }
            guard (0...100).contains(expectedLoss) else { throw ValidationError("--expected-loss must be 0...100") }
        }

        func run() async throws {
            do {
                if let input, let output {
                    let speech = try WAVFile(path: input)
                    if opusOnly {
                        try codecAlone(speech, output: output)
                    } else {
                        try await speechCall(speech, output: output)
                    }
                } else {
                    try await clickTrain()
                }
            } catch let error as AudioError {
                throw ValidationError(error.description)
            }
        }

        // MARK: Clicks

        /// A 4 ms 1 kHz burst every 400 ms, at a different place in its 20 ms frame each time.
        private static func clicks(seconds: Double) -> [Int16] {
            var samples = [Int16](repeating: 0, count: Int(seconds * Double(AudioFrame.sampleRate)))
            let period = AudioFrame.sampleRate * 2 / 5, burst = AudioFrame.sampleRate / 250
            for (index, start) in stride(from: period / 2, to: samples.count - burst, by: period).enumerated() {
                let start = start + (index * 137) % AudioFrame.samples
                for n in 0..<burst {
                    let window = 0.5 - 0.5 * cos(2 * Double.pi * Double(n) / Double(burst))
                    samples[start + n] = Int16(16_000 * window * sin(2 * Double.pi * 1000 * Double(n) / Double(AudioFrame.sampleRate)))
                }
            }
            return samples
        }

        /// Where each click starts: the first sample above a quarter of the click level, at least
        /// 200 ms after the previous one.
        private static func onsets(_ samples: [Int16]) -> [Int] {
            var found: [Int] = []
            var index = 0
            while index < samples.count {
                if abs(Int(samples[index])) > 4000 {
                    found.append(index)
                    index += AudioFrame.sampleRate / 5
                } else {
                    index += 1
                }
            }
            return found
        }

        private func clickTrain() async throws {
            let clicks = Self.clicks(seconds: duration)
            let logs = (callerIn: FrameLog(), callerOut: FrameLog(), calleeIn: FrameLog(), calleeOut: FrameLog())
            let usage = CPUUsage()
            let (caller, callee) = try await call(
                callerSource: LoggedSource(samples: clicks, log: logs.callerIn), callerSink: LoggedSink(log: logs.callerOut),
                calleeSource: LoggedSource(samples: clicks, log: logs.calleeIn), calleeSink: LoggedSink(log: logs.calleeOut))
            let cpu = usage.elapsed()
            let lookahead = try OpusFrameEncoder().lookahead

            say("call benchmark: \(String(format: "%.0f", duration)) s click train both ways on loopback, \(String(format: "%.0f", loss * 100))% loss, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            for (name, sent, heard, received) in [
                ("caller → callee", logs.callerIn, logs.calleeOut, callee), ("callee → caller", logs.calleeIn, logs.callerOut, caller),
            ] {
                let latencies = Self.latencies(sent: sent, heard: heard)
                let sorted = latencies.sorted()
                let median = sorted.isEmpty ? .zero : sorted[sorted.count / 2]
                say("  \(name): latency median \(median.milliseconds), max \((sorted.last ?? .zero).milliseconds) (\(latencies.count) of \(Self.onsets(sent.samples).count) clicks heard); jitter buffer \(received.jitterBufferTarget.milliseconds)")
            }
            say("  latency floor    \(lookahead.milliseconds) Opus lookahead + up to 20 ms of framing, before any buffering")
            printRates(caller: caller, callee: callee)
            say("  CPU time         \(String(format: "%.1f", cpu / callSeconds(caller) * 1000)) ms per second of call (both ends in this process)")
        }

        /// Capture-to-playout time of each click that was heard.
        private static func latencies(sent: FrameLog, heard: FrameLog) -> [Duration] {
            let played = onsets(heard.samples).compactMap { heard.playedAt($0) }
            return onsets(sent.samples).compactMap { sent.capturedAt($0) }.compactMap { captured in
                played.first { $0 > captured && $0 - captured < .milliseconds(400) }.map { $0 - captured }
            }
        }

        // MARK: Speech

        private func speechCall(_ speech: WAVFile, output: String) async throws {
            // Half a second of silence after the speech lets the last words play out.
            let padded = speech.samples + [Int16](repeating: 0, count: AudioFrame.sampleRate / 2)
            let (caller, callee) = try await call(
                callerSource: LoggedSource(samples: padded, log: FrameLog()), callerSink: LoggedSink(log: FrameLog()),
                calleeSource: LoggedSource(samples: padded, log: FrameLog()),
                calleeSink: LoggedSink(log: FrameLog(), file: try WAVFileSink(path: output)))
            say("speech call: \(String(format: "%.1f", speech.duration.inSeconds)) s both ways on loopback, \(String(format: "%.0f", loss * 100))% loss → \(output)")
            say("  received         loss \(String(format: "%.1f", callee.loss * 100))%, \(callee.framesFromCopies) frames played from the copy in the next datagram, \(callee.framesRecovered) rebuilt by FEC, \(callee.framesConcealed) concealed, \(callee.framesDiscarded) dropped to shrink the buffer, \(callee.framesLate) late")
            printRates(caller: caller, callee: callee)
        }

        /// With --loss, the ceiling of a call under that loss: protected from the first frame (the
        /// protected bitrate, each packet again in the next datagram), losing the frames the
        /// caller's impairment loses with the same --seed, decoded by a perfect receiver: a lost frame from
        /// the next datagram's copy when that arrived, else concealment.
        private func codecAlone(_ speech: WAVFile, output: String) throws {
            var settings = opus
            if loss > 0 { settings.bitrate = settings.protectedBitrate }
            let encoder = try OpusFrameEncoder(settings: settings), decoder = try OpusFrameDecoder()
            let sink = try WAVFileSink(path: output)
            var source = WAVFileSource(speech)
            var packets: [[UInt8]] = []
            while let frame = source.read() { packets.append(try encoder.encode(frame)) }
            var generator = SeededGenerator(seed: seed)
            let lost = packets.map { _ in Double.random(in: 0..<1, using: &generator) < loss }
            for (index, packet) in packets.enumerated() {
                let copyArrived = loss > 0 && index + 1 < packets.count && !lost[index + 1]
                try sink.write(!lost[index] || copyArrived ? try decoder.decode(packet) : decoder.conceal())
            }
            let bytes = packets.reduce(0) { $0 + $1.count } * (loss > 0 ? 2 : 1), frames = packets.count
            try sink.finish()
            let seconds = Double(frames) * AudioFrame.duration.inSeconds
            say("opus alone: \(String(format: "%.1f", seconds)) s → \(output), \(String(format: "%.1f", Double(bytes) * 8 / 1000 / seconds)) kbit/s of Opus\(loss > 0 ? " (packets and their copies)" : ""), \(lost.filter { $0 }.count) of \(frames) packets lost")
        }

        // MARK: The call

        /// Runs both ends until the caller's source has ended, then hangs up.
        private func call(
            callerSource: LoggedSource, callerSink: sending LoggedSink, calleeSource: LoggedSource, calleeSink: sending LoggedSink
        ) async throws -> (caller: MediaStatistics, callee: MediaStatistics) {
            var logger = common.makeLogger(label: "p2pchat.bench")
            logger.logLevel = max(logger.logLevel, .warning)
            let key = MediaKey.random()
            let callerSocket = try await MediaSocket.bind(host: "127.0.0.1")
            let calleeSocket = try await MediaSocket.bind(host: "127.0.0.1")
            func configuration(seed: UInt64) -> MediaSessionConfiguration {
                var configuration = MediaSessionConfiguration()
                configuration.opus = opus
                if loss > 0 { configuration.impairment = NetworkImpairment(loss: loss, seed: seed) }
                return configuration
            }
            let caller = try MediaSession(
                socket: callerSocket, route: .socket(to: calleeSocket.localAddress), key: key, role: .caller,
                source: callerSource, sink: callerSink, configuration: configuration(seed: seed), logger: logger)
            let callee = try MediaSession(
                socket: calleeSocket, route: .socket(to: callerSocket.localAddress), key: key, role: .callee,
                source: calleeSource, sink: calleeSink, configuration: configuration(seed: seed &+ 1), logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await callee.run() }
                group.addTask { try await caller.run() }
                while !caller.statistics.sourceEnded { try await Task.sleep(for: .milliseconds(10)) }
                group.cancelAll()
                try await group.waitForAll()
            }
            return (caller.statistics, callee.statistics)
        }

        private func printRates(caller: MediaStatistics, callee: MediaStatistics) {
            func rate(_ value: Double) -> String { String(format: "%.1f kbit/s", value) }
            say("  bitrate          caller → callee \(rate(caller.sentKilobitsPerSecond)), callee → caller \(rate(callee.sentKilobitsPerSecond)) (UDP payload; goal ≤ 40)")
            if let roundTrip = callee.roundTripTime { say("  round trip       \(roundTrip.milliseconds)") }
        }

        private var opus: OpusSettings {
            OpusSettings(bitrate: bitrate * 1000, expectedLossPercent: expectedLoss)
        }

        private func callSeconds(_ statistics: MediaStatistics) -> Double {
            max(statistics.duration.inSeconds, 0.001)
        }
    }
}

extension Duration {
    fileprivate var milliseconds: String { String(format: "%.1f ms", inSeconds * 1000) }
}
