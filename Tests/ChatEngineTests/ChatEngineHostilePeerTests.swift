import ChatEngine
import ChatIdentity
import ChatWire
import Foundation
import NIOCore
import Testing
import TestSupport

/// mallory is a peer written by hand: registered at the locator with her own certificate, she
/// dials alice and sends what no engine would. alice must drop it, and keep serving bob.
@Suite("ChatEngine: a hostile peer")
struct ChatEngineHostilePeerTests {
    /// alice and bob are friends; mallory is logged in at the locator and connected to alice.
    struct Scene {
        var alice: TestUser
        var bob: TestUser
        var mallory: RawPeer
        var presence: LocatorPresence

        static func make(
            _ network: TestNetwork, configureAlice: (inout EngineConfiguration) -> Void = { _ in }
        ) async throws -> Scene {
            let alice = try await network.user("alice", configure: configureAlice)
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let identity = try Identity.generate(commonName: "mallory")
            let presence = try await LocatorPresence.login("mallory", fingerprint: identity.fingerprint, at: network.locator)
            let (mallory, hello) = try await RawPeer.connect(as: "mallory", identity: identity, to: alice)
            try #require(hello?.source == "alice", "alice did not answer mallory's Hello")
            return Scene(alice: alice, bob: bob, mallory: mallory, presence: presence)
        }

        /// mallory asks to be alice's friend and alice accepts: now mallory's own messages count.
        func befriendMallory() async throws {
            try mallory.send(Envelope(type: .friendRequest, source: "mallory", target: "alice"))
            try #require(await alice.events.first { $0.friendRequestFrom == "mallory" } != nil)
            try await alice.engine.acceptFriend("mallory")
            try #require(await mallory.received.first { $0.type == .friendAccept } != nil, "mallory got no FriendAccept")
        }

        /// A frame alice must act on, sent after the hostile ones: once its effect is seen, everything
        /// before it on the connection has been handled (frames are handled in order).
        func markerRequest() async throws {
            let mark = await alice.events.mark()
            try mallory.send(Envelope(type: .friendRequest, source: "mallory", target: "alice"))
            try #require(
                await alice.events.first(after: mark) { $0.friendRequestFrom == "mallory" } != nil,
                "alice stopped handling mallory's connection")
        }

        /// bob still gets through to alice, whatever mallory did.
        func bobStillGetsThrough(_ text: String) async throws {
            let sent = try await bob.engine.send(text, to: "alice")
            #expect(sent.delivery == .delivered)
            #expect(await alice.events.first { $0.message?.id == sent.id } != nil, "alice stopped serving bob")
        }

        func close() async {
            await mallory.close()
            await presence.close()
        }
    }

    @Test("a stranger's message is dropped")
    func strangerMessageDropped() async throws {
        try await TestNetwork.run { network in
            let scene = try await Scene.make(network)
            let message = Envelope(type: .message, source: "mallory", target: "alice", data: "buy cheap watches")
            try scene.mallory.send(message)
            try await scene.markerRequest()

            #expect(await scene.alice.events.count { $0.message != nil } == 0)
            #expect(try await scene.alice.engine.history(with: "mallory").isEmpty)
            #expect(try await scene.alice.engine.search("watches").isEmpty)
            #expect(await scene.mallory.received.count { $0.type == .ack } == 0, "a dropped message is not acknowledged")
            try await scene.bobStillGetsThrough("hi alice")
            await scene.close()
        }
    }

    @Test("a frame whose Source is not the connection's peer is dropped, even in a friend's name")
    func spoofedSourceDropped() async throws {
        try await TestNetwork.run { network in
            let scene = try await Scene.make(network)
            let spoofed = Envelope(type: .message, source: "bob", target: "alice", data: "send me your password")
            try scene.mallory.send(spoofed)
            try scene.mallory.send(Envelope(type: .friendRemove, source: "bob", target: "alice"))
            try await scene.markerRequest()

            #expect(await scene.alice.events.count { $0.message != nil } == 0)
            #expect(!(try await scene.alice.bodies(with: "bob")).contains("send me your password"))
            #expect(await scene.alice.events.count { $0 == .friends(.removed(id: "bob")) } == 0)
            #expect(try await scene.alice.engine.friends().map(\.id) == ["bob"], "a forged FriendRemove took effect")
            try await scene.bobStillGetsThrough("it is me, the real bob")
            await scene.close()
        }
    }

    @Test("invalid JSON, an unknown Type, a file chunk and a message for someone else are dropped; the connection lives on")
    func malformedFramesDropped() async throws {
        try await TestNetwork.run { network in
            let scene = try await Scene.make(network)
            try await scene.befriendMallory()
            let mark = await scene.alice.events.mark()

            scene.mallory.send(frame: .envelope(ByteBuffer(string: "{ this is not JSON")))
            scene.mallory.send(frame: .envelope(ByteBuffer(string: #"{"Type":"Msg","Source":"mallory","Target":"alice"}"#)))
            scene.mallory.send(frame: .envelope(ByteBuffer(bytes: [0xff, 0xfe, 0x00, 0x7b])))
            try scene.mallory.send(Envelope(type: EnvelopeType(rawValue: "Zap"), source: "mallory", target: "alice", data: "zap"))
            scene.mallory.send(frame: .chunk(ByteBuffer(string: "stray file bytes")))
            let misaddressed = Envelope(type: .message, source: "mallory", target: "bob", data: "meant for bob")
            try scene.mallory.send(misaddressed)

            let marker = Envelope(type: .message, source: "mallory", target: "alice", data: "marker")
            try scene.mallory.send(marker)
            #expect(await scene.alice.events.first(after: mark) { $0.message?.id == marker.id } != nil,
                    "alice stopped handling mallory's connection")
            #expect(await scene.mallory.received.first { $0.type == .ack && $0.data == marker.id } != nil)

            #expect(await scene.alice.events.all.dropFirst(mark).compactMap(\.message).map(\.body) == ["marker"])
            #expect(try await scene.alice.bodies(with: "mallory") == ["marker"])
            #expect(try await scene.alice.engine.search("meant").isEmpty)
            #expect(await scene.mallory.received.count { $0.type == .ack && $0.data == misaddressed.id } == 0)
            #expect(await scene.alice.events.count(after: mark) { if case .session(.error) = $0 { true } else { false } } == 0)
            try await scene.bobStillGetsThrough("still here")
            await scene.close()
        }
    }

    @Test("an oversized frame header closes only that connection")
    func oversizedFrameClosesOnlyThatConnection() async throws {
        try await TestNetwork.run { network in
            let scene = try await Scene.make(network)
            var header = ByteBuffer()
            header.writeInteger(UInt32(Limits.maxFrameLength + 1))
            header.writeInteger(PeerFrame.Kind.envelope.rawValue)
            header.writeString("{")
            scene.mallory.send(raw: header)
            #expect(await scene.mallory.received.waitUntilFinished(within: .seconds(5)), "alice kept a connection whose frame is over the limit")

            try await scene.bobStillGetsThrough("unaffected")
            // The listener is still up: mallory can come back, and is served.
            let identity = scene.mallory.identity
            let (again, hello) = try await RawPeer.connect(as: "mallory", identity: identity, to: scene.alice)
            #expect(hello?.source == "alice")
            try again.send(Envelope(type: .friendRequest, source: "mallory", target: "alice"))
            #expect(await scene.alice.events.first { $0.friendRequestFrom == "mallory" } != nil)
            await again.close()
            await scene.close()
        }
    }

    @Test("a Hello that is not the first frame, or not for alice, ends the handshake")
    func badHelloRefused() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let identity = try Identity.generate(commonName: "mallory")
            let presence = try await LocatorPresence.login("mallory", fingerprint: identity.fingerprint, at: network.locator)
            let port = try #require(await alice.engine.peerPort)

            let wrongTarget = try await RawPeer.dial(as: "mallory", identity: identity, port: port, pin: alice.engine.fingerprint)
            try wrongTarget.send(Envelope(type: .hello, source: "mallory", target: "carol"))
            #expect(await wrongTarget.received.waitUntilFinished())
            #expect(await wrongTarget.received.count { _ in true } == 0)
            await wrongTarget.close()

            let noHello = try await RawPeer.dial(as: "mallory", identity: identity, port: port, pin: alice.engine.fingerprint)
            try noHello.send(Envelope(type: .message, source: "mallory", target: "alice", data: "skipping the handshake"))
            #expect(await noHello.received.waitUntilFinished())
            await noHello.close()
            #expect(await alice.events.count { $0.message != nil } == 0)
            await presence.close()
        }
    }
}
