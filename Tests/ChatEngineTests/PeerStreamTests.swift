@testable import ChatEngine
import ChatWire
import Foundation
import NIOCore
import Synchronization
import Testing

/// Counts the bytes of one stream and remembers how many had arrived when asked.
private final class CountingReceiver: StreamReceiver {
    let received = Atomic<Int>(0)

    func receive(_ bytes: ByteBuffer, on connection: PeerConnection) async {
        received.add(bytes.readableBytes, ordering: .relaxed)
    }
}

@Suite("Peer connections: the binary path beside the control path")
struct PeerStreamTests {
    @Test("a kind-1 stream that fills the connection does not hold back a message")
    func bulkStreamBesideMessages() async throws {
        try await TestNetwork.run { network in
            // A generous ack wait: on a loaded machine the ack may take a while, and what this test
            // asserts is that the message gets through while the stream still runs.
            let alice = try await network.user("alice") { $0.parts.messaging.ackWait = .seconds(60) }
            let bob = try await network.user("bob")
            try await befriend(alice, bob)

            let receiver = CountingReceiver()
            let streamID: UInt32 = 7
            bob.engine.streams.open(streamID, from: "alice", to: receiver)
            let connection = try await alice.engine.reach("bob")

            // The stream runs until the message is through. Were the message held back until the
            // stream ends, the stream would reach its cap first. The message goes out behind one
            // chunk and the kernel's buffer; with both engines in one debug-build process on a
            // loaded two-core machine its round trip took up to 0.5 s (100 MB of stream).
            let chunk = ByteBuffer(repeating: 0xA5, count: 64 * 1024)
            let payload = StreamChunk(streamID: streamID, bytes: chunk).payload
            let cap = 32 * 1024 * 1024 * 1024
            let stop = Atomic<Bool>(false)
            let writer = Task {
                var sent = 0
                while sent < cap, !stop.load(ordering: .relaxed) {
                    try await connection.sendChunk(payload)
                    sent += chunk.readableBytes
                }
                return sent
            }

            // Once the stream is well under way.
            #expect(await eventually { receiver.received.load(ordering: .relaxed) >= 16 * 1024 * 1024 })
            let started = ContinuousClock.now
            let (_, delivery) = try await alice.engine.send("still here", to: "bob")
            let roundTrip = ContinuousClock.now - started
            let arrived = await bob.events.first { $0.message?.body == "still here" }
            stop.store(true, ordering: .relaxed)
            let sent = try await writer.value
            print("message round trip beside a stream: \(roundTrip); the stream carried \(sent) bytes")
            #expect(delivery == .delivered)
            #expect(arrived != nil)
            #expect(sent < cap, "the message waited for the whole stream")
            #expect(await eventually(within: .seconds(60)) { receiver.received.load(ordering: .relaxed) == sent })
        }
    }

    @Test("chunks of a stream nobody opened are dropped, and the connection carries on")
    func unknownStream() async throws {
        try await TestNetwork.run { network in
            let alice = try await network.user("alice")
            let bob = try await network.user("bob")
            try await befriend(alice, bob)
            let connection = try await alice.engine.reach("bob")
            try await connection.sendChunk(StreamChunk(streamID: 99, bytes: ByteBuffer(repeating: 1, count: 1000)).payload)
            try await alice.engine.send("after the stray chunk", to: "bob")
            #expect(await bob.events.first { $0.message?.body == "after the stray chunk" } != nil)
        }
    }
}
