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
    @Test("a 1 GiB kind-1 stream flows to its receiver while a message still gets through")
    func bulkStreamBesideMessages() async throws {
        try await TestNetwork.run { network in
            // A generous ack wait: on a loaded machine the ack may take a while, and what this test
            // asserts is that the message arrives before the stream ends.
            let alice = try await network.user("alice") { $0.ackWait = .seconds(60) }
            let bob = try await network.user("bob")
            try await befriend(alice, bob)

            let receiver = CountingReceiver()
            let streamID: UInt32 = 7
            bob.engine.streams.open(streamID, from: "alice", to: receiver)
            let connection = try await alice.engine.reach("bob")

            let chunk = ByteBuffer(repeating: 0xA5, count: 64 * 1024)
            let payload = StreamChunk(streamID: streamID, bytes: chunk).payload
            let total = 1024 * 1024 * 1024
            let writer = Task {
                for _ in 0..<(total / chunk.readableBytes) {
                    try await connection.sendChunk(payload)
                }
            }

            // Once the stream is well under way, a message must overtake the rest of it.
            #expect(await eventually { receiver.received.load(ordering: .relaxed) >= 16 * 1024 * 1024 })
            let started = ContinuousClock.now
            let (_, delivery) = try await alice.engine.send("still here", to: "bob")
            let roundTrip = ContinuousClock.now - started
            let arrived = await bob.events.first { $0.message?.body == "still here" }
            let bytesWhenMessageArrived = receiver.received.load(ordering: .relaxed)
            print("message round trip during a 1 GiB stream: \(roundTrip); stream bytes by then: \(bytesWhenMessageArrived)")
            #expect(delivery == .delivered)
            #expect(arrived != nil)
            #expect(bytesWhenMessageArrived < total, "the message waited for the whole stream")

            try await writer.value
            #expect(await eventually(within: .seconds(60)) { receiver.received.load(ordering: .relaxed) == total })
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
