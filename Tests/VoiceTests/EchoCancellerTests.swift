import Testing
import TestSupport
import Voice

/// The far end's speech is played into a room that sox makes (a delay, the wall's reverberation,
/// some loss), and what comes back is what the microphone captures, alone or with the near end
/// speaking: the canceller must take out the first and keep the second.
@Suite(.serialized, .enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason))
struct EchoCancellerTests {
    /// The room: 30 ms from speaker to microphone, 6 dB quieter, with a reverberant tail.
    static let room = ["gain", "-6", "pad", "0.03", "0", "reverb", "-w", "40", "50", "30"]

    static func far() throws -> SpeechFixture {
        try SpeechFixture.make("The far end is talking now, and everything it says comes back through the room. One, two, three, four, five, six, seven.")
    }

    @Test("the far end's voice coming back through the room is cancelled out of the microphone")
    func echoIsCancelled() throws {
        let far = try Self.far()
        let echo = try far.transformed("echo.wav", effects: Self.room).samples
        let microphone = Array(echo.prefix(far.speech.samples.count))

        let cleaned = EchoCanceller().clean(microphone: microphone, played: far.speech.samples)

        // Judged once the canceller has had two seconds to learn the room.
        let learned = 2 * AudioFrame.sampleRate..<cleaned.count
        let enhancement = EchoCanceller.returnLossEnhancement(microphone: microphone, cleaned: cleaned, over: learned)
        #expect(enhancement >= 15, "the echo is only \(enhancement) dB quieter")
    }

    @Test("the near end's own voice passes, while the far end is silent and while both talk")
    func nearEndSpeechPasses() throws {
        let far = try Self.far()
        let near = try SpeechFixture.make("Here is the near end, answering a question of its own.")
        let echo = try far.transformed("echo.wav", effects: Self.room).samples
        // The far end talks; the near end starts once the far end's echo has been learned and
        // goes on after it ends.
        let nearStart = 3 * AudioFrame.sampleRate
        let length = nearStart + near.speech.samples.count
        let played = far.speech.samples + [Int16](repeating: 0, count: max(0, length - far.speech.samples.count))
        var microphone = echo + [Int16](repeating: 0, count: max(0, length - echo.count))
        microphone = Array(microphone.prefix(length))
        for (index, sample) in near.speech.samples.enumerated() {
            microphone[nearStart + index] = Int16(clamping: Int(microphone[nearStart + index]) + Int(sample))
        }

        let cleaned = EchoCanceller().clean(microphone: microphone, played: played)

        let heard = Envelope(Array(cleaned[nearStart...])), spoken = Envelope(near.speech.samples)
        let (_, correlation) = spoken.alignment(of: heard, maximumLag: 4)
        #expect(correlation >= 0.85, "the near end's speech came out changed: envelope correlation \(correlation)")
        let loss = EchoCanceller.returnLossEnhancement(
            microphone: near.speech.samples, cleaned: Array(cleaned[nearStart...]), over: 0..<cleaned.count - nearStart)
        #expect(loss <= 6, "the near end's speech came out \(loss) dB quieter")
    }

    @Test("in a call, the caller no longer hears its own voice come back from the callee's room")
    func callerDoesNotHearItself() async throws {
        let far = try Self.far()
        func heardBack(cancelling: Bool) async throws -> [Int16] {
            let room = Room()
            let recording = far.path("heard-back-\(cancelling).wav")
            var call = LoopbackCall()
            call.calleeConfiguration.echoCancellation = cancelling
            let result = try await call.run(
                source: WAVFileSource(far.speech), sink: room.speaker, calleeSource: room.microphone,
                callerSink: try WAVFileSink(path: recording))
            #expect(result.callee.echoCancellation == cancelling)
            return try WAVFile(path: recording).samples
        }
        let withoutCanceller = try await heardBack(cancelling: false)
        let withCanceller = try await heardBack(cancelling: true)

        let learned = 2 * AudioFrame.sampleRate..<min(withoutCanceller.count, withCanceller.count)
        try #require(!learned.isEmpty, "the calls were shorter than two seconds")
        let enhancement = EchoCanceller.returnLossEnhancement(microphone: withoutCanceller, cleaned: withCanceller, over: learned)
        #expect(enhancement >= 15, "the caller's own voice came back only \(enhancement) dB quieter")
    }
}
