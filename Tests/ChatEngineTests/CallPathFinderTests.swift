@testable import ChatEngine
import ChatWire
import Foundation
import Locator
import Logging
import NIOCore
import Testing
import TestSupport
import Voice

/// How an answered call's media finds its way: probes on the friend's candidates, the LAN
/// first, and the TURN UDP allocation when no probe is answered within a second.
@Suite("Call media paths", .timeLimit(.minutes(2)))
struct CallPathFinderTests {
    @Test("both sides probe at once: the friend's LAN candidate is confirmed both ways and the path is lan")
    func lanPath() async throws {
        let caller = try await MediaSocket.bind(host: "127.0.0.1")
        let callee = try await MediaSocket.bind(host: "127.0.0.1")
        let key = MediaKey.random()
        let callerSide = CallTransport(socket: caller, candidates: [try lan(caller)], relay: nil)
        let calleeSide = CallTransport(socket: callee, candidates: [try lan(callee)], relay: nil)
        async let fromCaller = CallPathFinder(transport: callerSide, remote: media(of: calleeSide), key: key, role: .caller).find()
        async let fromCallee = CallPathFinder(transport: calleeSide, remote: media(of: callerSide), key: key, role: .callee).find()
        let (callerFound, calleeFound) = await (fromCaller, fromCallee)
        #expect(callerFound?.path == .lan)
        #expect(calleeFound?.path == .lan)
        if case .socket(let address)? = callerFound?.route { #expect(address == callee.localAddress) } else { Issue.record("not a socket route") }
        await caller.close()
        await callee.close()
    }

    @Test(
        "no probe is answered within a second: both sides take the TURN UDP allocation, and audio arrives through it",
        .enabled(if: TestTurnServer.isInstalled, TestTurnServer.missingReason))
    func relayFallback() async throws {
        try await withTestTurnServer { server in
            let credentials = TurnCredentials(
                TurnRelay(host: server.host, port: server.port, secret: server.secret, credentialLifetime: .seconds(600)).offer(for: "alice"))
            let relayAddress = try SocketAddress(ipAddress: server.host, port: server.port)
            let scope = OwnTasks()
            let caller = try await MediaSocket.bind(host: "127.0.0.1")
            let callee = try await MediaSocket.bind(host: "127.0.0.1")
            let callerRelay = try await CallRelay.allocate(at: relayAddress, credentials: credentials, in: scope)
            let calleeRelay = try await CallRelay.allocate(at: relayAddress, credentials: credentials, in: scope)
            // Each side's only direct candidate is a port nothing answers on: no hole can open.
            let nowhere = try #require(PeerCandidate(kind: .direct, host: "127.0.0.1", port: 9))
            let callerSide = CallTransport(socket: caller, candidates: [nowhere, try relayed(callerRelay)], relay: callerRelay)
            let calleeSide = CallTransport(socket: callee, candidates: [nowhere, try relayed(calleeRelay)], relay: calleeRelay)
            let key = MediaKey.random()
            async let fromCaller = CallPathFinder(transport: callerSide, remote: media(of: calleeSide), key: key, role: .caller).find()
            async let fromCallee = CallPathFinder(transport: calleeSide, remote: media(of: callerSide), key: key, role: .callee).find()
            let (callerFound, calleeFound) = await (fromCaller, fromCallee)
            let callerRoute = try #require(callerFound)
            let calleeRoute = try #require(calleeFound)
            #expect(callerRoute.path == .relayed)
            #expect(calleeRoute.path == .relayed)

            let talker = try MediaSession(
                socket: caller, route: callerRoute.route, key: key, role: .caller, source: ToneSource(frames: .max), sink: NoSink())
            let listener = try MediaSession(
                socket: callee, route: calleeRoute.route, key: key, role: .callee, source: ToneSource(frames: 0), sink: NoSink())
            callerRelay.serve(talker, peer: media(of: calleeSide).relayTarget, in: scope, logger: .init(label: "test"))
            calleeRelay.serve(listener, peer: media(of: callerSide).relayTarget, in: scope, logger: .init(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await talker.run() }
                group.addTask { try await listener.run() }
                // Waits for the event: a second of audio through the relay (the tone goes on
                // until then, so a datagram the loaded machine drops delays it, never stalls it).
                while listener.statistics.framesReceived < 50 { try await Task.sleep(for: .milliseconds(20)) }
                talker.stop()
                listener.stop()
                try await group.waitForAll()
            }
            #expect(listener.statistics.framesReceived >= 50)
            if case .relay = callerRoute.route {} else { Issue.record("the caller's media does not go to the relay") }
            #expect(listener.statistics.datagramsRejected == 0)
            await callerRelay.free()
            await calleeRelay.free()
        }
    }

    private func lan(_ socket: MediaSocket) throws -> PeerCandidate {
        try #require(PeerCandidate(kind: .lan, host: "127.0.0.1", port: socket.port))
    }

    private func relayed(_ relay: CallRelay) throws -> PeerCandidate {
        try #require(PeerCandidate(kind: .relayed, host: relay.relayed.host, port: Int(relay.relayed.port)))
    }

    private func media(of side: CallTransport) -> CallPeerMedia {
        CallPeerMedia(candidates: side.candidates, connectionAddress: nil)
    }
}

/// `frames` 20 ms frames of a 440 Hz tone, then the end.
private struct ToneSource: AudioSource {
    var frames: Int
    private var sent = 0

    init(frames: Int) { self.frames = frames }

    mutating func read() -> [Int16]? {
        guard sent < frames else { return nil }
        defer { sent += 1 }
        return (0..<AudioFrame.samples).map { index in
            Int16(8000 * sin(2 * Double.pi * 440 * Double(sent * AudioFrame.samples + index) / Double(AudioFrame.sampleRate)))
        }
    }
}

private struct NoSink: AudioSink {
    mutating func write(_ frame: [Int16]) {}
    mutating func finish() {}
}
