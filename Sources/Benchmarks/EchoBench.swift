import ArgumentParser
import CommandLineSupport
import Foundation
import Voice

extension Bench {
    struct EchoBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "echo-cancel",
            abstract: "Measure the call's echo cancellation: how much echo it takes out, what it keeps, and its CPU time.",
            discussion: """
                The far end's speech (--far) is played into a simulated room: the speaker reaches \
                the microphone after --delay milliseconds, 6 dB quieter, followed by reflections \
                that die away over 150 ms. The microphone hears that echo, and from the middle of \
                the recording on also the near end (--near). The canceller cleans the microphone \
                frame by frame, as a call does. Printed: the echo return loss enhancement (ERLE) \
                with and without it, once it has had two seconds to learn the room; how much \
                quieter the near end's voice comes out; and the CPU time per second of call, \
                beside Opus encoding the same audio, the one other thing a call does with each \
                captured frame. Make speech with `espeak-ng -w a.wav TEXT && sox a.wav -r 48000 -c 1 -b 16 far.wav`.
                """
        )

        @Option(help: ArgumentHelp("The far end's speech: a WAV file.", valueName: "path"), completion: .file(extensions: ["wav"]))
        var far: String

        @Option(help: ArgumentHelp("The near end's speech: a WAV file.", valueName: "path"), completion: .file(extensions: ["wav"]))
        var near: String

        @Option(help: ArgumentHelp("Speaker-to-microphone delay, in milliseconds.", valueName: "ms"))
        var delay = 30

        @OptionGroup var common: CommonOptions

        func validate() throws {
            guard (0...150).contains(delay) else { throw ValidationError("--delay must be 0...150 ms") }
        }

        func run() async throws {
            let farSpeech: [Int16], nearSpeech: [Int16]
            do {
                farSpeech = try WAVFile(path: far).samples
                nearSpeech = try WAVFile(path: near).samples
            } catch {
                throw ValidationError(error.description)
            }
            let learning = 2 * AudioFrame.sampleRate
            guard farSpeech.count >= learning + AudioFrame.sampleRate else {
                throw ValidationError("--far must hold at least 3 s of speech: the canceller learns the room for 2 s")
            }

            // The far end talks alone, then the near end answers over the end of it.
            let nearStart = farSpeech.count * 2 / 3
            let length = max(farSpeech.count, nearStart + nearSpeech.count)
            let played = farSpeech + [Int16](repeating: 0, count: length - farSpeech.count)
            let echo = Room(delayMilliseconds: delay).echo(of: played)
            var microphone = echo
            for (index, sample) in nearSpeech.enumerated() {
                microphone[nearStart + index] = Int16(clamping: Int(microphone[nearStart + index]) + Int(sample))
            }

            let cancelling = CPUUsage()
            let cleaned = EchoCanceller().clean(microphone: microphone, played: played)
            let cancellerSeconds = cancelling.elapsed()
            let encoding = CPUUsage()
            let encoder = try OpusFrameEncoder()
            for start in stride(from: 0, to: cleaned.count - AudioFrame.samples + 1, by: AudioFrame.samples) {
                _ = try encoder.encode(Array(microphone[start..<start + AudioFrame.samples]))
            }
            let opusSeconds = encoding.elapsed()

            let audioSeconds = Double(cleaned.count) / Double(AudioFrame.sampleRate)
            let farAlone = learning..<nearStart
            let withCanceller = EchoCanceller.returnLossEnhancement(microphone: microphone, cleaned: cleaned, over: farAlone)
            let without = EchoCanceller.returnLossEnhancement(microphone: microphone, cleaned: microphone, over: farAlone)
            let nearHeard = Array(cleaned[nearStart..<min(cleaned.count, nearStart + nearSpeech.count)])
            let nearSpoken = Array(nearSpeech.prefix(nearHeard.count))
            let nearLoss = EchoCanceller.returnLossEnhancement(microphone: nearSpoken, cleaned: nearHeard, over: 0..<nearHeard.count)

            say("echo benchmark: \(String(format: "%.1f", audioSeconds)) s of call, a room with a \(delay) ms delay, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            say("  ERLE without     \(String(format: "%5.1f", without)) dB")
            say("  ERLE with        \(String(format: "%5.1f", withCanceller)) dB  (far end alone, after the first 2 s)")
            say("  near end         \(String(format: "%5.1f", nearLoss)) dB quieter once cleaned (talking over the far end's last third)")
            say("  CPU per second   canceller \(Self.milliseconds(cancellerSeconds / audioSeconds)), Opus encoding alone \(Self.milliseconds(opusSeconds / audioSeconds)): \(String(format: "%.2f", cancellerSeconds / max(opusSeconds, 1e-9)))×")
        }

        private static func milliseconds(_ seconds: Double) -> String {
            String(format: "%.2f ms", seconds * 1000)
        }
    }

    /// A room between the speaker and the microphone: the direct path, then reflections at fixed
    /// pseudo-random times over 150 ms, each quieter than the one before.
    struct Room {
        let taps: [(delay: Int, gain: Double)]

        init(delayMilliseconds: Int) {
            let samplesPerMillisecond = AudioFrame.sampleRate / 1000
            let direct = delayMilliseconds * samplesPerMillisecond
            var taps = [(delay: direct, gain: 0.5)]
            var state: UInt32 = 12345
            for index in 1...24 {
                state = state &* 1_103_515_245 &+ 12345
                let delay = direct + index * 6 * samplesPerMillisecond + Int(state >> 16) % (4 * samplesPerMillisecond)
                let sign: Double = state & 1 == 0 ? 1 : -1
                taps.append((delay, sign * 0.35 * pow(0.85, Double(index))))
            }
            self.taps = taps
        }

        func echo(of played: [Int16]) -> [Int16] {
            var echo = [Double](repeating: 0, count: played.count)
            for (delay, gain) in taps where delay < played.count {
                for index in delay..<played.count { echo[index] += gain * Double(played[index - delay]) }
            }
            return echo.map { Int16(clamping: Int($0.rounded())) }
        }
    }
}
