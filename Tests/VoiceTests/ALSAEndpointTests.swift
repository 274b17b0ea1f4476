import Foundation
import Testing
import TestSupport
import Voice

/// The ALSA path without a sound card: PCMs made of the `file` and `null` plugins, defined in a
/// configuration the test writes.
@Suite(.serialized)
struct ALSAEndpointTests {
    @Test(.enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason))
    func callThroughALSAFilePluginDevices() async throws {
        let fixture = try SpeechFixture.make()
        let played = fixture.path("played.wav")
        let configuration = """
            pcm.testcap { type file slave { pcm { type null } } file "/dev/null" infile "\(fixture.rawPath)" format "raw" }
            pcm.testplay { type file slave { pcm { type null } } file "\(played)" format "wav" }
            """
        let result = try await LoopbackCall().run(
            source: try ALSASource(device: "testcap", configuration: configuration),
            sink: try ALSASink(device: "testplay", configuration: configuration),
            duration: fixture.speech.duration)
        let heard = try WAVFile(path: played)

        #expect(result.callee.framesDecoded > 0)
        #expect(abs((heard.duration - fixture.speech.duration).inSeconds) <= 0.1)
        let (lag, correlation) = Envelope(fixture.speech.samples).alignment(of: Envelope(heard.samples))
        #expect(correlation >= 0.8, "envelope correlation \(correlation) at \(lag * 10) ms")
    }

    @Test func missingDeviceIsOneLineThatSuggestsAFile() {
        #expect {
            _ = try ALSASource(device: "p2pchat_no_such_device")
        } throws: { error in
            let line = "\(error)"
            return line.contains("p2pchat_no_such_device") && line.contains("--audio-in file:") && !line.contains("\n")
        }
        #expect {
            _ = try AudioEndpoint(spec: "p2pchat_no_such_device").openSink()
        } throws: { error in
            "\(error)".contains("--audio-out file:")
        }
    }
}
