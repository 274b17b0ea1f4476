@testable import ChatEngine
import Foundation
import Testing
import TestSupport
import Voice

/// Calls between engines on loopback, with WAV files for microphone and speaker.
@Suite(.serialized)
struct ChatEngineCallsTests {
    @Test(.enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason))
    func speechArrivesWithTheLengthItWasSpokenAndBothSidesSeeTheCall() async throws {
        let fixture = try SpeechFixture.make()
        try await TestNetwork.run { network in
            let heard = fixture.path("bob-heard.wav")
            let (alice, bob) = try await friends(network, alice: { $0.parts.calls.audioIn = "file:\(fixture.wavPath)" }, bob: {
                $0.parts.calls.audioIn = "file:\(fixture.wavPath)"
                $0.parts.calls.audioOut = "file:\(heard)"
            })
            try await connect(alice, bob)

            try await waitForSpeechToEnd(alice)
            try await alice.engine.hangUp()

            let ended = await bob.events.first { $0.callEndedReason != nil }
            #expect(ended?.callEndedReason == .peerHungUp)
            #expect(await alice.events.first { $0.callEndedReason != nil }?.callEndedReason == .hungUp)
            let played = try WAVFile(path: heard)
            #expect(abs(played.samples.count - fixture.speech.samples.count) <= AudioFrame.sampleRate / 10,
                    "played \(played.duration), spoken \(fixture.speech.duration)")
            #expect(played.samples.contains { abs(Int($0)) > 1000 }, "nothing audible was played")
            #expect(await alice.engine.currentCall == nil)
            #expect(await bob.engine.currentCall == nil)
        }
    }

    @Test(.enabled(if: SpeechFixture.toolsInstalled, SpeechFixture.missingToolsReason))
    func aCallThroughALSAFilePluginDevices() async throws {
        let fixture = try SpeechFixture.make()
        try await TestNetwork.run { network in
            let played = fixture.path("played.wav")
            let alsa = """
                pcm.testcap { type file slave { pcm { type null } } file "/dev/null" infile "\(fixture.rawPath)" format "raw" }
                pcm.testplay { type file slave { pcm { type null } } file "\(played)" format "wav" }
                """
            let (alice, bob) = try await friends(network, alice: {
                $0.parts.calls.alsaConfiguration = alsa
                $0.parts.calls.audioIn = "testcap"
            }, bob: {
                $0.parts.calls.alsaConfiguration = alsa
                $0.parts.calls.audioOut = "testplay"
            })
            try await connect(alice, bob)
            try await Task.sleep(for: fixture.speech.duration)
            try await alice.engine.hangUp()
            #expect(await bob.events.first { $0.callEndedReason != nil }?.callEndedReason == .peerHungUp)

            let heard = try WAVFile(path: played)
            #expect(heard.samples.count >= fixture.speech.samples.count / 2, "played \(heard.duration)")
            #expect(heard.samples.contains { abs(Int($0)) > 1000 }, "nothing audible came through the ALSA devices")
        }
    }

    @Test("echo cancellation cleans a sound card's microphone unless turned off, and never a file")
    func echoCancellationFollowsTheSourceAndTheSetting() async throws {
        try await TestNetwork.run { network in
            let alsa = "pcm.silence { type null }"
            let (alice, bob) = try await friends(network, alice: {
                $0.parts.calls.alsaConfiguration = alsa
                $0.parts.calls.audioIn = "silence"
                $0.parts.calls.audioOut = "silence"
            })
            try await connect(alice, bob)
            #expect(try await alice.engine.callStatistics(publish: false).echoCancellation, "the sound card's microphone is not cleaned")
            #expect(try await !bob.engine.callStatistics(publish: false).echoCancellation, "a file source was run through the canceller")
            try await alice.engine.hangUp()
            _ = await bob.events.first { $0.callEndedReason != nil }

            await alice.engine.setEchoCancellation(false)
            let mark = await alice.events.mark()
            async let outcome = alice.engine.call("bob")
            _ = await bob.events.first(after: mark) { $0 == .calls(.incoming(from: "alice")) }
            try await bob.engine.answerCall(from: "alice")
            #expect(try await outcome == .answered)
            #expect(try await !alice.engine.callStatistics(publish: false).echoCancellation, "/set aec off was not followed")
            try await alice.engine.hangUp()
        }
    }

    @Test(arguments: ["caller", "callee"])
    func hangingUpEndsTheCallOnBothSides(side: String) async throws {
        try await TestNetwork.run { network in
            let (alice, bob) = try await friends(network)
            try await connect(alice, bob)
            let statistics = try await alice.engine.callStatistics()
            #expect(statistics.peer == "bob")
            #expect(await alice.events.first { if case .calls(.stats) = $0 { true } else { false } } != nil)

            let (leaving, staying) = side == "caller" ? (alice, bob) : (bob, alice)
            try await leaving.engine.hangUp()
            #expect(await leaving.events.first { $0.callEndedReason != nil }?.callEndedReason == .hungUp)
            #expect(await staying.events.first { $0.callEndedReason != nil }?.callEndedReason == .peerHungUp)
            await #expect(throws: CallError.noCall) { try await staying.engine.hangUp() }
        }
    }

    @Test func aFriendInACallAnswersBusyAndARejectedCallEnds() async throws {
        try await TestNetwork.run { network in
            let (alice, bob) = try await friends(network)
            let carol = try await network.user("carol") { self.fileAudio(&$0, network, "carol") }
            try await befriend(carol, bob)
            await #expect(throws: FriendError.notFriend("carol")) { _ = try await alice.engine.call("carol") }

            async let ringing = alice.engine.call("bob")
            #expect(await bob.events.first { $0 == .calls(.incoming(from: "alice")) } != nil)
            #expect(try await carol.engine.call("bob") == .ended(.busy))
            #expect(await carol.events.first { $0.callEndedReason != nil }?.callEndedReason == .busy)

            try await bob.engine.rejectCall(from: "alice")
            #expect(try await ringing == .ended(.rejected))
            #expect(await alice.events.first { $0.callEndedReason != nil }?.callEndedReason == .rejected)
            #expect(await bob.engine.currentCall == nil)
        }
    }

    @Test func anUnansweredCallStopsRingingAfterTheRingTime() async throws {
        try await TestNetwork.run { network in
            let (alice, bob) = try await friends(network, alice: { $0.parts.calls.ringTimeout = .seconds(1) })
            #expect(try await alice.engine.call("bob") == .ended(.noAnswer))
            #expect(await bob.events.first { $0 == .calls(.incoming(from: "alice")) } != nil)
            #expect(await bob.events.first { $0.callEndedReason != nil }?.callEndedReason == .missed)
            await #expect(throws: CallError.noIncomingCall) { try await bob.engine.answerCall() }
        }
    }

    @Test func anIncomingCallStopsRingingAfterTheRingTimeWhenTheCallerSaysNothing() async throws {
        try await TestNetwork.run { network in
            // Alice rings for a minute; Bob's own ring time ends his side of it first.
            let (alice, bob) = try await friends(
                network, alice: { $0.parts.calls.ringTimeout = .seconds(60) }, bob: { $0.parts.calls.ringTimeout = .seconds(1) })
            async let ringing = alice.engine.call("bob")
            #expect(await bob.events.first { $0 == .calls(.incoming(from: "alice")) } != nil)
            #expect(await bob.events.first { $0.callEndedReason != nil }?.callEndedReason == .missed)
            #expect(await bob.engine.currentCall == nil)
            await #expect(throws: CallError.noIncomingCall) { try await bob.engine.answerCall() }
            try await alice.engine.hangUp()
            #expect(try await ringing == .ended(.cancelled))
        }
    }

    @Test func aLogoutWhileACallRingsEndsItsRingTimerAndASecondLoginWorks() async throws {
        try await TestNetwork.run { network in
            let (alice, bob) = try await friends(network)  // the default ring time: 30 s
            async let ringing = bob.engine.call("alice")
            #expect(await alice.events.first { $0 == .calls(.incoming(from: "bob")) } != nil)
            let tree = try #require(await alice.engine.sessionScope)
            let loggingOut = await alice.events.mark()
            await alice.engine.logout()
            // The ring timer ran in the session's tree, and the tree is over: nothing of it runs.
            #expect(tree.runningCount == 0)
            // The call ended with the connection that carried it, once, before the logout did.
            #expect(await alice.events.first(after: loggingOut) { $0 == .session(.loggedOut(user: "alice")) } != nil)
            let ended = await alice.events.all.dropFirst(loggingOut).compactMap(\.callEndedReason)
            #expect(ended == [.peerDisconnected] || ended == [.loggedOut], "\(ended)")
            #expect(try await ringing != .answered)

            let loggingIn = await alice.events.mark()
            try await alice.login()
            async let again = bob.engine.call("alice")
            #expect(await alice.events.first(after: loggingIn) { $0 == .calls(.incoming(from: "bob")) } != nil)
            try await alice.engine.answerCall()
            #expect(try await again == .answered)
            // Nothing spoke for the first call again: no `missed` from its ring timer.
            #expect(await alice.events.count(after: loggingOut) { $0.callEndedReason != nil } == 1)
            try await bob.engine.hangUp()
            #expect(await alice.events.first(after: loggingIn) { $0.callEndedReason != nil }?.callEndedReason == .peerHungUp)
        }
    }

    @Test func friendsCallingEachOtherAtOnceGetOneCall() async throws {
        try await TestNetwork.run { network in
            let (alice, bob) = try await friends(network)
            async let fromAlice = alice.engine.call("bob")
            async let fromBob = bob.engine.call("alice")
            #expect(try await fromAlice == .answered)
            #expect(try await fromBob == .answered)
            #expect(await alice.events.first { $0 == .calls(.started(peer: "bob", path: .direct)) } != nil)
            #expect(await bob.events.first { $0 == .calls(.started(peer: "alice", path: .direct)) } != nil)
            #expect(await alice.events.count { $0.callEndedReason != nil } == 0, "a call ended: busy?")
            #expect(try await alice.engine.callStatistics(publish: false).peer == "bob")
            #expect(try await bob.engine.callStatistics(publish: false).peer == "alice")
            try await bob.engine.hangUp()
            #expect(await alice.events.first { $0.callEndedReason != nil }?.callEndedReason == .peerHungUp)
            #expect(await bob.events.first { $0.callEndedReason != nil }?.callEndedReason == .hungUp)
        }
    }

    @Test func callingTheFriendWhoseCallRingsAnswersIt() async throws {
        try await TestNetwork.run { network in
            let (alice, bob) = try await friends(network)
            async let ringing = alice.engine.call("bob")
            #expect(await bob.events.first { $0 == .calls(.incoming(from: "alice")) } != nil)
            #expect(try await bob.engine.call("alice") == .answered)
            #expect(try await ringing == .answered)
            #expect(try await alice.engine.callStatistics(publish: false).peer == "bob")
            try await alice.engine.hangUp()
            #expect(await bob.events.first { $0.callEndedReason != nil }?.callEndedReason == .peerHungUp)
        }
    }

    @Test func aPeerThatVanishesMidCallEndsTheCall() async throws {
        try await TestNetwork.run { network in
            let (alice, bob) = try await friends(network)
            try await connect(alice, bob)
            await bob.engine.close()
            let ended = await alice.events.first { $0.callEndedReason != nil }
            #expect(ended?.callEndedReason == .peerDisconnected)
            #expect(await alice.engine.currentCall == nil)
        }
    }

    @Test func noSoundCardIsOneErrorAtCall() async throws {
        try await TestNetwork.run { network in
            let (alice, _) = try await friends(network, alice: { $0.parts.calls.audioIn = "p2pchat_no_such_device" })
            await #expect {
                _ = try await alice.engine.call("bob")
            } throws: { error in
                "\(error)".contains("--audio-in file:") && !"\(error)".contains("\n")
            }
            #expect(await alice.engine.currentCall == nil)
        }
    }

    // MARK: Helpers

    /// Alice and Bob, friends, each with a second of silence for a microphone and a WAV file for a speaker.
    private func friends(
        _ network: TestNetwork, alice: (inout EngineConfiguration) -> Void = { _ in },
        bob: (inout EngineConfiguration) -> Void = { _ in }
    ) async throws -> (TestUser, TestUser) {
        let a = try await network.user("alice") {
            fileAudio(&$0, network, "alice")
            alice(&$0)
        }
        let b = try await network.user("bob") {
            fileAudio(&$0, network, "bob")
            bob(&$0)
        }
        try await befriend(a, b)
        return (a, b)
    }

    private func fileAudio(_ configuration: inout EngineConfiguration, _ network: TestNetwork, _ name: String) {
        let silence = network.root.appendingPathComponent("\(name)-silence.wav").path
        if let sink = try? WAVFileSink(path: silence) {
            for _ in 0..<50 { try? sink.write(AudioFrame.silence) }
            try? sink.finish()
        }
        configuration.parts.calls.audioIn = "file:\(silence)"
        configuration.parts.calls.audioOut = "file:" + network.root.appendingPathComponent("\(name)-heard.wav").path
    }

    /// Alice calls Bob and Bob answers.
    private func connect(_ alice: TestUser, _ bob: TestUser) async throws {
        async let outcome = alice.engine.call(bob.name)
        let incoming = await bob.events.first { $0 == .calls(.incoming(from: alice.name)) }
        try #require(incoming != nil, "bob never heard the call ring")
        #expect(await alice.events.first { $0 == .calls(.ringing(peer: bob.name)) } != nil)
        try await bob.engine.answerCall(from: alice.name)
        #expect(try await outcome == .answered)
        #expect(await alice.events.first { $0 == .calls(.started(peer: bob.name, path: .direct)) } != nil)
        #expect(await bob.events.first { $0 == .calls(.started(peer: alice.name, path: .direct)) } != nil)
    }

    private func waitForSpeechToEnd(_ user: TestUser) async throws {
        while try await !user.engine.callStatistics(publish: false).sourceEnded {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

extension EngineEvent {
    var callEndedReason: CallEndReason? {
        if case .calls(.ended(_, let reason, _)) = self { reason } else { nil }
    }
}
