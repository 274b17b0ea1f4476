import NIOCore
import NIOPosix
import Testing
import TestSupport
import Voice

/// Calls between two media sessions on loopback, judged on the WAV file the callee "played".
@Suite(.serialized)
struct MediaSessionTests {
    @Test(.enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason))
    func speechArrivesWithItsLengthAndShape() async throws {
        let fixture = try SpeechFixture.make()
        let output = fixture.path("heard.wav")
        let result = try await LoopbackCall().run(source: WAVFileSource(fixture.speech), sink: try WAVFileSink(path: output))
        let heard = try WAVFile(path: output)

        #expect(abs((heard.duration - fixture.speech.duration).inSeconds) <= 0.1)
        let input = Envelope(fixture.speech.samples), played = Envelope(heard.samples)
        let (lag, correlation) = input.alignment(of: played)
        #expect(correlation >= 0.8, "envelope correlation \(correlation) at \(lag * 10) ms; \(result.callee)")
        #expect(result.callee.framesReceived == result.caller.framesSent)
        #expect(result.callee.datagramsRejected == 0)
        #expect(result.callee.roundTripTime != nil)
        #expect(result.caller.lossReportedByPeer == 0)
        #expect(!result.caller.sendingCopies, "a clean path pays for no copies")
        #expect(result.callee.sentKilobitsPerSecond < 1, "the listening side sends only pings")
        #expect((10...40).contains(result.caller.sentKilobitsPerSecond))
    }

    @Test(.enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason))
    func tenPercentLossLeavesNoGapOver60Milliseconds() async throws {
        let fixture = try SpeechFixture.make()
        let output = fixture.path("heard.wav")
        var call = LoopbackCall()
        call.callerConfiguration.impairment = NetworkImpairment(loss: 0.1, seed: 7)
        let result = try await call.run(source: WAVFileSource(fixture.speech), sink: try WAVFileSink(path: output))
        let heard = try WAVFile(path: output)

        #expect(result.caller.datagramsDropped > 0)
        #expect((0.04...0.2).contains(result.callee.loss), "measured loss \(result.callee.loss)")
        #expect(result.callee.framesFromCopies > 0, "no lost frame was played from the next datagram's copy")
        #expect(result.caller.lossReportedByPeer > 0, "the callee's loss reports did not reach the caller")
        #expect(result.caller.sendingCopies)
        #expect(result.caller.sentKilobitsPerSecond <= 40, "\(result.caller.sentKilobitsPerSecond) kbit/s with copies")
        let input = Envelope(fixture.speech.samples), played = Envelope(heard.samples)
        let (lag, correlation) = input.alignment(of: played)
        #expect(correlation >= 0.8, "envelope correlation \(correlation); \(result.callee)")
        let gap = input.longestGap(in: played, lag: lag)
        #expect(gap * 10 <= 60, "a \(gap * 10) ms gap in the speech")
    }

    @Test(.enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason))
    func wrongKeyDecodesNothingAndPlaysSilence() async throws {
        let fixture = try SpeechFixture.make()
        let output = fixture.path("heard.wav")
        var call = LoopbackCall()
        call.calleeKey = MediaKey.random()
        let result = try await call.run(source: WAVFileSource(fixture.speech), sink: try WAVFileSink(path: output))
        let heard = try WAVFile(path: output)

        #expect(result.callee.datagramsRejected >= result.caller.framesSent)
        #expect(result.callee.framesReceived == 0)
        #expect(result.callee.framesDecoded == 0)
        #expect(result.callee.framesConcealed == 0)
        #expect(result.caller.roundTripTime == nil, "a ping under the wrong key was answered")
        #expect(!heard.samples.isEmpty)
        #expect(heard.samples.allSatisfy { $0 == 0 })
    }

    @Test(.enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason))
    func replayedDatagramsAreDropped() async throws {
        let fixture = try SpeechFixture.make()
        let output = fixture.path("heard.wav")
        let relay = try await ReplayingRelay.start()
        var call = LoopbackCall()
        call.route = { callee, caller in
            await relay.connect(caller: caller, callee: callee)
            return relay.address
        }
        let result = try await call.run(source: WAVFileSource(fixture.speech), sink: try WAVFileSink(path: output))
        await relay.close()
        let heard = try WAVFile(path: output)

        #expect(result.callee.datagramsReplayed >= result.caller.framesSent)
        #expect(result.callee.framesReceived == result.caller.framesSent)
        #expect(result.callee.datagramsRejected == 0)
        let (_, correlation) = Envelope(fixture.speech.samples).alignment(of: Envelope(heard.samples))
        #expect(correlation >= 0.8, "envelope correlation \(correlation); \(result.callee)")
    }
}
